// Softmax and log-softmax over the last axis with an optional additive broadcast mask, their
// backward, and the per-row cross-entropy. One block per row; blockDim.x a multiple of 32.
// Mask addressing: element j of row r is mask[dims_offset(mrow, r) + j * mcol], where mrow holds
// x's leading dims with the mask's strides (0 on broadcast axes) and mcol is 0 or 1.
#include "common.cuh"

__device__ __forceinline__ float masked(const float* x, const float* mask, long long mbase,
                                        long long mcol, long long j) {
    float v = x[j];
    return mask == nullptr ? v : v + mask[mbase + j * mcol];
}

// logOut = 0: out = softmax(x + mask); logOut = 1: out = log_softmax(x + mask).
// A row whose maximum is -inf (every entry masked to -inf) comes out uniform, never NaN.
extern "C" __global__ void clp_softmax(const float* x, const float* mask, Dims mrow, long long mcol,
                                       float* out, int V, int logOut) {
    long long r = blockIdx.x;
    const float* xr = x + r * V;
    float* orow = out + r * V;
    long long mbase = mask == nullptr ? 0 : dims_offset(mrow, r);
    float mx = -INFINITY;
    for (int j = threadIdx.x; j < V; j += blockDim.x) mx = fmaxf(mx, masked(xr, mask, mbase, mcol, j));
    mx = block_max(mx);
    if (mx == -INFINITY) {
        float u = logOut ? -logf((float) V) : 1.0f / (float) V;
        for (int j = threadIdx.x; j < V; j += blockDim.x) orow[j] = u;
        return;
    }
    float s = 0.0f;
    for (int j = threadIdx.x; j < V; j += blockDim.x) s += expf(masked(xr, mask, mbase, mcol, j) - mx);
    s = block_sum(s);
    if (logOut) {
        float lse = logf(s);
        for (int j = threadIdx.x; j < V; j += blockDim.x) orow[j] = masked(xr, mask, mbase, mcol, j) - mx - lse;
    } else {
        float inv = 1.0f / s;
        for (int j = threadIdx.x; j < V; j += blockDim.x) orow[j] = expf(masked(xr, mask, mbase, mcol, j) - mx) * inv;
    }
}

// gx = y * (gy - sum(gy * y)), y the softmax output.
extern "C" __global__ void clp_softmax_backward(const float* y, const float* gy, float* gx, int V) {
    long long base = (long long) blockIdx.x * V;
    float d = 0.0f;
    for (int j = threadIdx.x; j < V; j += blockDim.x) d += gy[base + j] * y[base + j];
    d = block_sum(d);
    for (int j = threadIdx.x; j < V; j += blockDim.x) gx[base + j] = y[base + j] * (gy[base + j] - d);
}

// gx = gy - exp(y) * sum(gy), y the log-softmax output.
extern "C" __global__ void clp_log_softmax_backward(const float* y, const float* gy, float* gx, int V) {
    long long base = (long long) blockIdx.x * V;
    float s = 0.0f;
    for (int j = threadIdx.x; j < V; j += blockDim.x) s += gy[base + j];
    s = block_sum(s);
    for (int j = threadIdx.x; j < V; j += blockDim.x) gx[base + j] = gy[base + j] - expf(y[base + j]) * s;
}

// Row max and log of the sum of exp(x - max), shared by the cross-entropy forward and backward.
__device__ __forceinline__ void row_lse(const float* xr, int V, float* mxOut, float* lseOut) {
    float mx = -INFINITY;
    for (int j = threadIdx.x; j < V; j += blockDim.x) mx = fmaxf(mx, xr[j]);
    mx = block_max(mx);
    float s = 0.0f;
    for (int j = threadIdx.x; j < V; j += blockDim.x) s += expf(xr[j] - mx);
    s = block_sum(s);
    *mxOut = mx;
    *lseOut = logf(s);
}

// nll[r] = logsumexp(logits[r]) - logits[r][t[r]]; 0 where t[r] == ignoreIndex. Targets were
// range-checked on the host.
extern "C" __global__ void clp_cross_entropy(const float* logits, const int* targets, int ignoreIndex,
                                             float* nll, int V) {
    long long r = blockIdx.x;
    int t = targets[r];
    if (t == ignoreIndex) {
        if (threadIdx.x == 0) nll[r] = 0.0f;
        return;
    }
    const float* xr = logits + r * V;
    float mx, lse;
    row_lse(xr, V, &mx, &lse);
    if (threadIdx.x == 0) nll[r] = mx + lse - xr[t];
}

// gLogits[r] = gNll[r] * (softmax(logits[r]) - onehot(t[r])); zero rows where ignored.
extern "C" __global__ void clp_cross_entropy_backward(const float* logits, const int* targets, int ignoreIndex,
                                                      const float* gNll, float* gLogits, int V) {
    long long r = blockIdx.x;
    int t = targets[r];
    float* gr = gLogits + r * V;
    if (t == ignoreIndex) {
        for (int j = threadIdx.x; j < V; j += blockDim.x) gr[j] = 0.0f;
        return;
    }
    const float* xr = logits + r * V;
    float mx, lse;
    row_lse(xr, V, &mx, &lse);
    float g = gNll[r];
    for (int j = threadIdx.x; j < V; j += blockDim.x) {
        float p = expf(xr[j] - mx - lse);
        gr[j] = g * (j == t ? p - 1.0f : p);
    }
}
