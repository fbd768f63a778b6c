// CLP parameter mixing (paper Algorithm 2): out = sum_j c[j] * x_j (+ cRef * ref), with
// c[j] = (1 - beta) * w[j] and cRef = beta computed on the host, and its backward into the
// replicas (paper A.3): g_j += c[j] * gOut. One pass over memory for all m replicas, so the
// cost is (m + 2) tensor reads/writes, the floor a memcpy-bound kernel can reach.
#include "common.cuh"

#define MIX_MAX_M 8

// Up to 8 replicas by value; the host chains launches (accumulate = 1) for m > 8.
// Host layout (LaunchArgs.mixPointers): 8 pointers then 8 floats = 96 bytes.
struct MixPtrs {
    float* p[MIX_MAX_M];
    float c[MIX_MAX_M];
};

extern "C" __global__ void clp_mix(float* out, MixPtrs xs, int m, const float* ref, float cRef,
                                   long long n, int accumulate) {
    GRID_LOOP(i, n) {
        float acc = accumulate ? out[i] : 0.0f;
#pragma unroll
        for (int j = 0; j < MIX_MAX_M; ++j) {
            if (j < m) acc = fmaf(xs.c[j], xs.p[j][i], acc);
        }
        if (ref != nullptr) acc = fmaf(cRef, ref[i], acc);
        out[i] = acc;
    }
}

// The same with 16-byte loads; every pointer is 16-byte aligned (checked by the host) and n4 = n / 4.
// The n % 4 tail is done by clp_mix on the host's second launch.
extern "C" __global__ void clp_mix_vec4(float* out, MixPtrs xs, int m, const float* ref, float cRef,
                                        long long n4, int accumulate) {
    float4* o4 = reinterpret_cast<float4*>(out);
    const float4* r4 = reinterpret_cast<const float4*>(ref);
    GRID_LOOP(i, n4) {
        float4 acc = accumulate ? o4[i] : make_float4(0.0f, 0.0f, 0.0f, 0.0f);
#pragma unroll
        for (int j = 0; j < MIX_MAX_M; ++j) {
            if (j < m) {
                float4 x = reinterpret_cast<const float4*>(xs.p[j])[i];
                float c = xs.c[j];
                acc.x = fmaf(c, x.x, acc.x);
                acc.y = fmaf(c, x.y, acc.y);
                acc.z = fmaf(c, x.z, acc.z);
                acc.w = fmaf(c, x.w, acc.w);
            }
        }
        if (ref != nullptr) {
            float4 r = r4[i];
            acc.x = fmaf(cRef, r.x, acc.x);
            acc.y = fmaf(cRef, r.y, acc.y);
            acc.z = fmaf(cRef, r.z, acc.z);
            acc.w = fmaf(cRef, r.w, acc.w);
        }
        o4[i] = acc;
    }
}

// gxs[j][i] += c[j] * g[i] for j < m: reads g once for all replicas.
extern "C" __global__ void clp_mix_backward(MixPtrs gxs, int m, const float* g, long long n) {
    GRID_LOOP(i, n) {
        float gi = g[i];
#pragma unroll
        for (int j = 0; j < MIX_MAX_M; ++j) {
            if (j < m) gxs.p[j][i] = fmaf(gxs.c[j], gi, gxs.p[j][i]);
        }
    }
}

extern "C" __global__ void clp_mix_backward_vec4(MixPtrs gxs, int m, const float* g, long long n4) {
    const float4* g4 = reinterpret_cast<const float4*>(g);
    GRID_LOOP(i, n4) {
        float4 gi = g4[i];
#pragma unroll
        for (int j = 0; j < MIX_MAX_M; ++j) {
            if (j < m) {
                float4* p = reinterpret_cast<float4*>(gxs.p[j]);
                float4 v = p[i];
                float c = gxs.c[j];
                v.x = fmaf(c, gi.x, v.x);
                v.y = fmaf(c, gi.y, v.y);
                v.z = fmaf(c, gi.z, v.z);
                v.w = fmaf(c, gi.w, v.w);
                p[i] = v;
            }
        }
    }
}
