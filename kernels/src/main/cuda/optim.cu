// Optimizer updates in place. AdamW: one elementwise pass, bias corrections from the host.
// Adafactor (T5X semantics, clp4j.engine.optim.Adafactor): the host runs
//   [clp_sumsq(p) if scaleParameter] -> second-moment update (row/col or full)
//   -> [clp_adafactor_row_mean if factored] -> clp_adafactor_ysq -> clp_adafactor_apply
// with a small device scratch: scratch[0] = sum p^2 (old p), scratch[1] = sum y^2.
#include "common.cuh"

extern "C" __global__ void clp_adamw(float* p, const float* g, float* m, float* v, float lr, float b1, float b2,
                                     float eps, float wd, float bc1, float bc2, long long n) {
    GRID_LOOP(i, n) {
        float gi = g[i];
        float mi = b1 * m[i] + (1.0f - b1) * gi;
        float vi = b2 * v[i] + (1.0f - b2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        float pi = p[i];
        pi -= lr * wd * pi;
        pi -= lr * (mi / bc1) / (sqrtf(vi / bc2) + eps);
        p[i] = pi;
    }
}

// acc[0] += sum x^2 (block partial sums, one atomic per block).
extern "C" __global__ void clp_sumsq(const float* x, long long n, float* acc) {
    float s = 0.0f;
    GRID_LOOP(i, n) s = fmaf(x[i], x[i], s);
    s = block_sum(s);
    if (threadIdx.x == 0) atomicAdd(acc, s);
}

// Factored, rows: one block per row q of the [nMat * R, C] view:
// vRow[q] = decay * vRow[q] + (1 - decay) * mean_c(g^2 + eps1).
extern "C" __global__ void clp_adafactor_row(const float* g, float* vRow, int C, float decay, float eps1) {
    long long q = blockIdx.x;
    const float* gr = g + q * C;
    float s = 0.0f;
    for (int c = threadIdx.x; c < C; c += blockDim.x) s += gr[c] * gr[c] + eps1;
    s = block_sum(s);
    if (threadIdx.x == 0) vRow[q] = decay * vRow[q] + (1.0f - decay) * (s / (float) C);
}

// Factored, columns: one thread per (matrix, column), rows read in order (coalesced across columns).
extern "C" __global__ void clp_adafactor_col(const float* g, float* vCol, long long nMat, int R, int C,
                                             float decay, float eps1) {
    GRID_LOOP(idx, nMat * C) {
        long long mat = idx / C, c = idx - mat * C;
        const float* gm = g + mat * R * C + c;
        float s = 0.0f;
        for (int r = 0; r < R; ++r) { float v = gm[(long long) r * C]; s += v * v + eps1; }
        vCol[idx] = decay * vCol[idx] + (1.0f - decay) * (s / (float) R);
    }
}

// rowMean[mat] = mean over the R rows of vRow; one block per matrix.
extern "C" __global__ void clp_adafactor_row_mean(const float* vRow, float* rowMean, int R) {
    const float* vr = vRow + (long long) blockIdx.x * R;
    float s = 0.0f;
    for (int r = threadIdx.x; r < R; r += blockDim.x) s += vr[r];
    s = block_sum(s);
    if (threadIdx.x == 0) rowMean[blockIdx.x] = s / (float) R;
}

// Unfactored: v = decay * v + (1 - decay) * (g^2 + eps1).
extern "C" __global__ void clp_adafactor_v(const float* g, float* v, long long n, float decay, float eps1) {
    GRID_LOOP(i, n) v[i] = decay * v[i] + (1.0f - decay) * (g[i] * g[i] + eps1);
}

// The unclipped update y for element i: g * rsqrt(vRow / rowMean) * rsqrt(vCol) when factored
// (v == nullptr), else g * rsqrt(v).
__device__ __forceinline__ float adafactor_y(long long i, const float* g, const float* vRow, const float* vCol,
                                             const float* rowMean, const float* v, int R, int C) {
    if (v != nullptr) return g[i] / sqrtf(v[i]);
    long long q = i / C, c = i - q * C, mat = q / R;
    float rowFactor = 1.0f / sqrtf(vRow[q] / rowMean[mat]);
    float colFactor = 1.0f / sqrtf(vCol[mat * C + c]);
    return g[i] * rowFactor * colFactor;
}

extern "C" __global__ void clp_adafactor_ysq(const float* g, const float* vRow, const float* vCol,
                                             const float* rowMean, const float* v, int R, int C, long long n,
                                             float* scratch) {
    float s = 0.0f;
    GRID_LOOP(i, n) {
        float y = adafactor_y(i, g, vRow, vCol, rowMean, v, R, C);
        s = fmaf(y, y, s);
    }
    s = block_sum(s);
    if (threadIdx.x == 0) atomicAdd(scratch + 1, s);
}

// p = p - lrEff * y / clipDenom - lr * wd * p, lrEff = lr * max(eps2, rms(p)) when scaleParameter,
// clipDenom = max(1, rms(y) / clip) when clip > 0 (the decoupled decay uses the plain lr, as the reference).
extern "C" __global__ void clp_adafactor_apply(float* p, const float* g, const float* vRow, const float* vCol,
                                               const float* rowMean, const float* v, int R, int C, long long n,
                                               const float* scratch, float lr, float eps2, float clip,
                                               int scaleParameter, float wd) {
    float lrEff = scaleParameter ? lr * fmaxf(eps2, sqrtf(scratch[0] / (float) n)) : lr;
    float denom = clip > 0.0f ? fmaxf(1.0f, sqrtf(scratch[1] / (float) n) / clip) : 1.0f;
    GRID_LOOP(i, n) {
        float y = adafactor_y(i, g, vRow, vCol, rowMean, v, R, C) / denom;
        float pi = p[i];
        p[i] = pi - lrEff * y - lr * wd * pi;
    }
}
