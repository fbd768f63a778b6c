// Reductions over the last axis (op codes: ordinals of clp4j.engine.backend.ReduceOp) and their
// backward.
#include "common.cuh"

#define RED_SUM 0
#define RED_MEAN 1
#define RED_MAX 2

// One block per row: out[r] = reduce(x[r, :]); MAX is NaN when the row holds a NaN, as torch.max.
extern "C" __global__ void clp_reduce_last(int op, const float* x, float* out, int D) {
    const float* xr = x + (long long) blockIdx.x * D;
    float v;
    if (op == RED_MAX) {
        v = -INFINITY;
        for (int j = threadIdx.x; j < D; j += blockDim.x) v = max_nan(v, xr[j]);
        v = block_max(v);
    } else {
        v = 0.0f;
        for (int j = threadIdx.x; j < D; j += blockDim.x) v += xr[j];
        v = block_sum(v);
        if (op == RED_MEAN) v /= (float) D;
    }
    if (threadIdx.x == 0) out[blockIdx.x] = v;
}

// SUM and MEAN: gx[r, j] = gy[r] * s with s = 1 or 1 / D; elementwise.
extern "C" __global__ void clp_reduce_last_backward_spread(const float* gy, float s, float* gx, int D, long long n) {
    GRID_LOOP(i, n) gx[i] = gy[i / D] * s;
}

// MAX: the gradient goes to the first position holding the row maximum y[r] (the first NaN when y[r]
// is NaN); one block per row.
extern "C" __global__ void clp_reduce_last_backward_max(const float* x, const float* y, const float* gy,
                                                        float* gx, int D) {
    long long base = (long long) blockIdx.x * D;
    float m = y[blockIdx.x];
    long long first = 0x7fffffffffffffffLL;
    for (int j = threadIdx.x; j < D; j += blockDim.x) {
        float v = x[base + j];
        if (v == m || (m != m && v != v)) { first = j; break; }
    }
    first = block_min_ll(first);
    float g = gy[blockIdx.x];
    for (int j = threadIdx.x; j < D; j += blockDim.x) gx[base + j] = j == first ? g : 0.0f;
}
