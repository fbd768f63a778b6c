// Shared helpers of the clp4j kernels. Every kernel is extern "C" so that the host finds it by
// its plain name (cuModuleGetFunction); the host side is clp4j.nativ.cuda.CudaKernels.
#pragma once
#include <stdint.h>

#define CLP4J_MAX_RANK 8

// A shape with per-axis element strides, passed by value. The host (LaunchArgs.dims) writes
// exactly this layout: int rank, int pad, long long dims[8], long long strides[8] = 136 bytes.
struct Dims {
    int rank;
    int pad;
    long long dims[CLP4J_MAX_RANK];
    long long strides[CLP4J_MAX_RANK];
};

// Offset of the element with row-major linear index i of a tensor of shape d.dims, read through
// d.strides (a stride of 0 broadcasts that axis).
__device__ __forceinline__ long long dims_offset(const Dims& d, long long i) {
    long long off = 0;
    for (int a = d.rank - 1; a >= 0; --a) {
        long long n = d.dims[a];
        off += (i % n) * d.strides[a];
        i /= n;
    }
    return off;
}

__device__ __forceinline__ float warp_sum(float v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

// max that keeps a NaN (fmaxf drops it), as torch's max reduction; a NaN softmax row stays NaN either way.
__device__ __forceinline__ float max_nan(float a, float b) {
    return (a > b || a != a) ? a : b;
}

__device__ __forceinline__ float warp_max(float v) {
    for (int o = 16; o > 0; o >>= 1) v = max_nan(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}

// Block-wide reductions; blockDim.x is a multiple of 32 (at most 1024). Every thread gets the
// result. The __syncthreads at the start lets a kernel call them back to back on one buffer.
__device__ __forceinline__ float block_sum(float v) {
    __shared__ float buf[32];
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nw = blockDim.x >> 5;
    v = warp_sum(v);
    __syncthreads();
    if (lane == 0) buf[warp] = v;
    __syncthreads();
    v = lane < nw ? buf[lane] : 0.0f;
    return warp_sum(v);
}

__device__ __forceinline__ float block_max(float v) {
    __shared__ float buf[32];
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nw = blockDim.x >> 5;
    v = warp_max(v);
    __syncthreads();
    if (lane == 0) buf[warp] = v;
    __syncthreads();
    v = lane < nw ? buf[lane] : -INFINITY;
    return warp_max(v);
}

__device__ __forceinline__ long long min_ll(long long a, long long b) { return a < b ? a : b; }

__device__ __forceinline__ long long block_min_ll(long long v) {
    __shared__ long long buf[32];
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nw = blockDim.x >> 5;
    for (int o = 16; o > 0; o >>= 1) v = min_ll(v, __shfl_xor_sync(0xffffffffu, v, o));
    __syncthreads();
    if (lane == 0) buf[warp] = v;
    __syncthreads();
    v = lane < nw ? buf[lane] : 0x7fffffffffffffffLL;
    for (int o = 16; o > 0; o >>= 1) v = min_ll(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}

// Grid-stride loop over [0, n) with 64-bit indices (whole-model tensors exceed 2^31 bytes).
#define GRID_LOOP(i, n) \
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < (n); \
         i += (long long) blockDim.x * gridDim.x)
