// CPU emulation of the CUDA C subset the clp4j kernels use, so that the kernel sources compile as
// C++ and run on the host (test double for machines without a GPU; see cuda_emu.cpp).
// All threads of a block run as cooperative fibers on one OS thread; __syncthreads and the warp
// shuffles are block-wide barriers, which is exact for kernels in which every thread of the block
// reaches each of them (true for the clp4j kernels).
#pragma once
#include <cmath>
#include <cstdint>
#include <algorithm>

struct dim3 { unsigned x, y, z; };
struct alignas(16) float4 { float x, y, z, w; };
static inline float4 make_float4(float x, float y, float z, float w) { return float4{x, y, z, w}; }

extern dim3 threadIdx, blockIdx, blockDim, gridDim;
namespace emu {
void syncthreads();
float shfl_xor(float v, int lane_mask);
long long shfl_xor(long long v, int lane_mask);
}
#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static
static inline void __syncthreads() { emu::syncthreads(); }
static inline float __shfl_xor_sync(unsigned, float v, int o) { return emu::shfl_xor(v, o); }
static inline long long __shfl_xor_sync(unsigned, long long v, int o) { return emu::shfl_xor(v, o); }
static inline float atomicAdd(float* p, float v) { float old = *p; *p = old + v; return old; }
using std::min;
