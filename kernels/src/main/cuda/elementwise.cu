// Elementwise kernels: scale, axpy, unary functions and their backward, binary ops with a
// broadcast second operand, the sum back to a broadcast shape, and dropout.
// Op codes are the ordinals of clp4j.engine.backend.UnaryOp / BinaryOp.
#include "common.cuh"

#define OP_EXP 0
#define OP_LOG 1
#define OP_TANH 2
#define OP_RELU 3
#define OP_GELU_NEW 4

#define GELU_K 0.7978845608028654f   // sqrt(2 / pi)
#define GELU_C 0.044715f

extern "C" __global__ void clp_scale(const float* a, float s, float* out, long long n) {
    GRID_LOOP(i, n) out[i] = s * a[i];
}

extern "C" __global__ void clp_axpy(float alpha, const float* x, float* y, long long n) {
    GRID_LOOP(i, n) y[i] = fmaf(alpha, x[i], y[i]);
}

extern "C" __global__ void clp_unary(int op, const float* x, float* out, long long n) {
    GRID_LOOP(i, n) {
        float v = x[i], r;
        switch (op) {
            case OP_EXP: r = expf(v); break;
            case OP_LOG: r = logf(v); break;
            case OP_TANH: r = tanhf(v); break;
            case OP_RELU: r = v > 0.0f ? v : 0.0f; break;
            default: r = 0.5f * v * (1.0f + tanhf(GELU_K * (v + GELU_C * v * v * v))); break;
        }
        out[i] = r;
    }
}

// gx = gy * f'(x); EXP and TANH use the output y, the others the input x.
extern "C" __global__ void clp_unary_backward(int op, const float* x, const float* y, const float* gy,
                                              float* gx, long long n) {
    GRID_LOOP(i, n) {
        float g = gy[i], r;
        switch (op) {
            case OP_EXP: r = g * y[i]; break;
            case OP_LOG: r = g / x[i]; break;
            case OP_TANH: { float t = y[i]; r = g * (1.0f - t * t); break; }
            case OP_RELU: r = x[i] > 0.0f ? g : 0.0f; break;
            default: {
                float v = x[i];
                float t = tanhf(GELU_K * (v + GELU_C * v * v * v));
                float dt = (1.0f - t * t) * GELU_K * (1.0f + 3.0f * GELU_C * v * v);
                r = g * (0.5f * (1.0f + t) + 0.5f * v * dt);
                break;
            }
        }
        gx[i] = r;
    }
}

__device__ __forceinline__ float apply_binary(int op, float a, float b) {
    switch (op) {
        case 0: return a + b;
        case 1: return a - b;
        case 2: return a * b;
        default: return a / b;
    }
}

// out = a (op) b. mode 0: b has a's shape; 1: b is one element; 2: b read through bd
// (a's dims with b's strides, 0 on broadcast axes).
extern "C" __global__ void clp_binary(int op, const float* a, const float* b, float* out, long long n,
                                      int mode, Dims bd) {
    GRID_LOOP(i, n) {
        float bv = mode == 0 ? b[i] : mode == 1 ? b[0] : b[dims_offset(bd, i)];
        out[i] = apply_binary(op, a[i], bv);
    }
}

// out[o] = sum of g over the reduced axes. keep: out's dims with g's strides; red: the reduced
// axes' dims with g's strides. One thread per output element and chunk of the reduced range
// (blockIdx.y): with one chunk the sum is stored, with several it is added atomically into an out
// the host zeroed first (enough threads even when there are few outputs, e.g. bias-like grads).
extern "C" __global__ void clp_sum_to_shape(const float* g, float* out, long long nOut, Dims keep,
                                            Dims red, long long nRed, long long redPerChunk) {
    long long r0 = (long long) blockIdx.y * redPerChunk;
    long long r1 = min(nRed, r0 + redPerChunk);
    GRID_LOOP(o, nOut) {
        long long base = dims_offset(keep, o);
        float acc = 0.0f;
        for (long long r = r0; r < r1; ++r) acc += g[base + dims_offset(red, r)];
        if (gridDim.y == 1) out[o] = acc;
        else atomicAdd(out + o, acc);
    }
}

// The same with one block per output element (few outputs, long reductions).
extern "C" __global__ void clp_sum_to_shape_block(const float* g, float* out, Dims keep, Dims red,
                                                  long long nRed) {
    long long o = blockIdx.x;
    long long base = dims_offset(keep, o);
    float acc = 0.0f;
    for (long long r = threadIdx.x; r < nRed; r += blockDim.x) acc += g[base + dims_offset(red, r)];
    acc = block_sum(acc);
    if (threadIdx.x == 0) out[o] = acc;
}

// Backend.dropoutKeep, bit for bit: SplitMix64 of seed + (index + 1) * golden gamma, top 24 bits.
__device__ __forceinline__ bool dropout_keep(unsigned long long seed, unsigned long long index, float p) {
    unsigned long long z = seed + (index + 1ULL) * 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z = z ^ (z >> 31);
    float u = (float) (z >> 40) * 5.9604644775390625e-8f;   // 2^-24
    return u >= p;
}

extern "C" __global__ void clp_dropout(const float* x, float p, unsigned long long seed, float* out,
                                       long long n) {
    float keepScale = 1.0f - p;
    GRID_LOOP(i, n) out[i] = dropout_keep(seed, (unsigned long long) i, p) ? x[i] / keepScale : 0.0f;
}
