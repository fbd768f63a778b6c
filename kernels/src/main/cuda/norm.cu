// T5 RMS norm over the last axis (no mean subtraction, no bias): y = w * x * rstd with
// rstd = 1 / sqrt(mean(x^2) + eps) kept per row for the backward.
#include "common.cuh"

// One block per row.
extern "C" __global__ void clp_rms_norm(const float* x, const float* w, float eps, float* y, float* rstd, int D) {
    long long base = (long long) blockIdx.x * D;
    float ss = 0.0f;
    for (int j = threadIdx.x; j < D; j += blockDim.x) { float v = x[base + j]; ss = fmaf(v, v, ss); }
    ss = block_sum(ss);
    float rs = 1.0f / sqrtf(ss / (float) D + eps);
    if (threadIdx.x == 0) rstd[blockIdx.x] = rs;
    for (int j = threadIdx.x; j < D; j += blockDim.x) y[base + j] = w[j] * (x[base + j] * rs);
}

// gx = rstd * w * gy - x * rstd^3 * mean(w * gy * x); one block per row.
extern "C" __global__ void clp_rms_norm_backward_x(const float* x, const float* w, const float* rstd,
                                                   const float* gy, float* gx, int D) {
    long long base = (long long) blockIdx.x * D;
    float rs = rstd[blockIdx.x];
    float d = 0.0f;
    for (int j = threadIdx.x; j < D; j += blockDim.x) d += w[j] * gy[base + j] * x[base + j];
    d = block_sum(d);
    float c = rs * rs * rs * d / (float) D;
    for (int j = threadIdx.x; j < D; j += blockDim.x) gx[base + j] = rs * w[j] * gy[base + j] - x[base + j] * c;
}

// gw[j] += sum_r gy[r, j] * x[r, j] * rstd[r]. Block (32, 8): 32 columns, rows of one chunk of
// rowsPerChunk strided by 8; partial sums reduced in shared memory, then one atomic per column.
extern "C" __global__ void clp_rms_norm_backward_w(const float* x, const float* rstd, const float* gy, float* gw,
                                                   int rows, int D, int rowsPerChunk) {
    __shared__ float part[8][33];
    int j = blockIdx.x * 32 + threadIdx.x;
    int r0 = blockIdx.y * rowsPerChunk;
    int r1 = min(rows, r0 + rowsPerChunk);
    float acc = 0.0f;
    if (j < D) {
        for (int r = r0 + threadIdx.y; r < r1; r += 8) {
            long long i = (long long) r * D + j;
            acc = fmaf(gy[i] * x[i], rstd[r], acc);
        }
    }
    part[threadIdx.y][threadIdx.x] = acc;
    __syncthreads();
    if (threadIdx.y == 0 && j < D) {
        float s = 0.0f;
#pragma unroll
        for (int k = 0; k < 8; ++k) s += part[k][threadIdx.x];
        atomicAdd(gw + j, s);
    }
}
