package clp4j.engine.backend.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** In-place optimizer updates (AdamW, Adafactor) and the CLP parameter mix, over contiguous ranges. */
public final class OptimizerKernels {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = Simd.L;

    private OptimizerKernels() { }

    /** out = (1 - beta) sum_i w[i] xs[i] + beta ref over elements [from, to); ref may be null. */
    public static void mix(float[][] xs, int[] xo, float[] w, float beta, float[] ref, int ro, float[] out, int oo, int from, int to) {
        float keep = 1f - beta;
        int end = from + F.loopBound(to - from);
        int i = from;
        for (; i < end; i += L) {
            FloatVector acc = ref == null ? FloatVector.zero(F) : FloatVector.fromArray(F, ref, ro + i).mul(beta);
            for (int r = 0; r < xs.length; r++) {
                acc = FloatVector.fromArray(F, xs[r], xo[r] + i).fma(FloatVector.broadcast(F, keep * w[r]), acc);
            }
            acc.intoArray(out, oo + i);
        }
        for (; i < to; i++) {
            float s = ref == null ? 0f : beta * ref[ro + i];
            for (int r = 0; r < xs.length; r++) s += keep * w[r] * xs[r][xo[r] + i];
            out[oo + i] = s;
        }
    }

    /** One AdamW step over elements [from, to); bc1, bc2 are 1 - beta^t. */
    public static void adamw(float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo,
                      float lr, float b1, float b2, float eps, float wd, float bc1, float bc2, int from, int to) {
        float decay = 1f - lr * wd;
        float step = lr / bc1;
        float rsb2 = (float) (1.0 / Math.sqrt(bc2));
        int end = from + F.loopBound(to - from);
        int i = from;
        for (; i < end; i += L) {
            FloatVector gv = FloatVector.fromArray(F, g, go + i);
            FloatVector mv = FloatVector.fromArray(F, m, mo + i).mul(b1).add(gv.mul(1f - b1));
            FloatVector vv = FloatVector.fromArray(F, v, vo + i).mul(b2).add(gv.mul(gv).mul(1f - b2));
            mv.intoArray(m, mo + i);
            vv.intoArray(v, vo + i);
            FloatVector denom = vv.lanewise(VectorOperators.SQRT).mul(rsb2).add(eps);
            FloatVector pv = FloatVector.fromArray(F, p, po + i).mul(decay);
            pv.sub(mv.mul(step).div(denom)).intoArray(p, po + i);
        }
        for (; i < to; i++) {
            float gi = g[go + i];
            float mi = b1 * m[mo + i] + (1f - b1) * gi;
            float vi = b2 * v[vo + i] + (1f - b2) * gi * gi;
            m[mo + i] = mi;
            v[vo + i] = vi;
            float denom = (float) Math.sqrt(vi) * rsb2 + eps;
            p[po + i] = p[po + i] * decay - step * mi / denom;
        }
    }

    /** sum of x^2 over n elements. */
    public static double sumSquares(float[] x, int xo, int n) {
        return GemmSkinny.dot(x, xo, x, xo, n);
    }

    /** v = decay v + (1 - decay)(g^2 + eps1); then u = g / sqrt(v) written to u (may alias nothing). Returns sum u^2. */
    public static double adafactorUnfactored(float[] g, int go, float[] v, int vo, float decay, float eps1, float[] u, int uo, int n) {
        FloatVector acc = FloatVector.zero(F);
        int end = F.loopBound(n);
        int i = 0;
        for (; i < end; i += L) {
            FloatVector gv = FloatVector.fromArray(F, g, go + i);
            FloatVector vv = FloatVector.fromArray(F, v, vo + i).mul(decay).add(gv.fma(gv, FloatVector.broadcast(F, eps1)).mul(1f - decay));
            vv.intoArray(v, vo + i);
            FloatVector uv = gv.div(vv.lanewise(VectorOperators.SQRT));
            uv.intoArray(u, uo + i);
            acc = uv.fma(uv, acc);
        }
        float[] t = Lanes.buffer();
        acc.intoArray(t, 0);
        double s = Lanes.sum(t, 0);
        for (; i < n; i++) {
            float gi = g[go + i];
            float vi = decay * v[vo + i] + (1f - decay) * (gi * gi + eps1);
            v[vo + i] = vi;
            float ui = gi / (float) Math.sqrt(vi);
            u[uo + i] = ui;
            s += ui * ui;
        }
        return s;
    }

    /**
     * Factored second moment for one R x C matrix slice: updates vRow[R] and vCol[C] from g, then
     * writes u = g / sqrt(vRow / mean(vRow)) / sqrt(vCol) into u. Returns sum u^2.
     */
    public static double adafactorFactored(float[] g, int go, int rows, int cols, float[] vRow, int vro, float[] vCol, int vco,
                                    float decay, float eps1, float[] u, int uo, float[] colSum) {
        java.util.Arrays.fill(colSum, 0, cols, 0f);
        FloatVector e1 = FloatVector.broadcast(F, eps1);
        int end = F.loopBound(cols);
        float[] t = Lanes.buffer();
        for (int r = 0; r < rows; r++) {
            int gr = go + r * cols;
            FloatVector acc = FloatVector.zero(F);
            int c = 0;
            for (; c < end; c += L) {
                FloatVector gv = FloatVector.fromArray(F, g, gr + c);
                FloatVector sq = gv.fma(gv, e1);
                acc = acc.add(sq);
                sq.add(FloatVector.fromArray(F, colSum, c)).intoArray(colSum, c);
            }
            acc.intoArray(t, 0);
            float rs = Lanes.sum(t, 0);
            for (; c < cols; c++) {
                float sq = g[gr + c] * g[gr + c] + eps1;
                rs += sq;
                colSum[c] += sq;
            }
            vRow[vro + r] = decay * vRow[vro + r] + (1f - decay) * (rs / cols);
        }
        for (int c = 0; c < cols; c++) vCol[vco + c] = decay * vCol[vco + c] + (1f - decay) * (colSum[c] / rows);
        float rowMean = ElementwiseKernels.sum(vRow, vro, rows) / rows;
        // colSum now holds 1 / sqrt(vCol)
        for (int c = 0; c < cols; c++) colSum[c] = (float) (1.0 / Math.sqrt(vCol[vco + c]));
        double s = 0;
        for (int r = 0; r < rows; r++) {
            float rf = (float) (1.0 / Math.sqrt(vRow[vro + r] / rowMean));
            FloatVector rfv = FloatVector.broadcast(F, rf);
            int gr = go + r * cols;
            int ur = uo + r * cols;
            FloatVector acc = FloatVector.zero(F);
            int c = 0;
            for (; c < end; c += L) {
                FloatVector uv = FloatVector.fromArray(F, g, gr + c).mul(rfv).mul(FloatVector.fromArray(F, colSum, c));
                uv.intoArray(u, ur + c);
                acc = uv.fma(uv, acc);
            }
            acc.intoArray(t, 0);
            s += Lanes.sum(t, 0);
            for (; c < cols; c++) {
                float uv = g[gr + c] * rf * colSum[c];
                u[ur + c] = uv;
                s += uv * uv;
            }
        }
        return s;
    }

    /** p = p - scale * u * invClip - scale * wd * p over n elements. */
    public static void applyUpdate(float[] p, int po, float[] u, int uo, float step, float decay, int n) {
        FloatVector sv = FloatVector.broadcast(F, -step);
        int end = F.loopBound(n);
        int i = 0;
        for (; i < end; i += L) {
            FloatVector.fromArray(F, u, uo + i).fma(sv, FloatVector.fromArray(F, p, po + i).mul(decay)).intoArray(p, po + i);
        }
        for (; i < n; i++) p[po + i] = p[po + i] * decay - step * u[uo + i];
    }
}
