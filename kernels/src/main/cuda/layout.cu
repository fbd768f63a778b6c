// Embedding gather and scatter-add, and permute (an explicit copy with permuted axes).
#include "common.cuh"

// out[i, d] = table[ids[i], d]; ids were range-checked on the host.
extern "C" __global__ void clp_embedding_gather(const float* table, const int* ids, float* out, int D, long long n) {
    GRID_LOOP(i, n) {
        long long row = i / D;
        out[i] = table[(long long) ids[row] * D + (i - row * D)];
    }
}

// gTable[ids[i], d] += g[i, d]; atomics because ids repeat.
extern "C" __global__ void clp_embedding_scatter_add(const float* g, const int* ids, float* gTable, int D, long long n) {
    GRID_LOOP(i, n) {
        long long row = i / D;
        atomicAdd(gTable + (long long) ids[row] * D + (i - row * D), g[i]);
    }
}

// out[o] = x[offset of o in x]; pd holds out's dims with x's strides taken in perm order.
extern "C" __global__ void clp_permute(const float* x, float* out, long long n, Dims pd) {
    GRID_LOOP(o, n) out[o] = x[dims_offset(pd, o)];
}
