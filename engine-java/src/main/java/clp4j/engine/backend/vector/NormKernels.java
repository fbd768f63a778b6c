package clp4j.engine.backend.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** T5's RMS norm (no mean subtraction, no bias) over one row, forward and backward. */
public final class NormKernels {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = Simd.L;

    private NormKernels() { }

    /** y = w * x * rstd with rstd = 1 / sqrt(mean(x^2) + eps); returns rstd. */
    public static float rmsNorm(float[] x, int xo, float[] w, int wo, float eps, float[] y, int yo, int n) {
        float ms = GemmSkinny.dot(x, xo, x, xo, n) / n;
        float rstd = (float) (1.0 / Math.sqrt(ms + eps));
        FloatVector r = FloatVector.broadcast(F, rstd);
        int i = 0;
        int end = F.loopBound(n);
        for (; i < end; i += L) {
            FloatVector.fromArray(F, x, xo + i).mul(r).mul(FloatVector.fromArray(F, w, wo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) y[yo + i] = x[xo + i] * rstd * w[wo + i];
        return rstd;
    }

    /** gx = rstd * g - x * rstd^3 * mean(g * x), with g = gy * w. */
    public static void rmsNormBackwardX(float[] x, int xo, float[] w, int wo, float rstd, float[] gy, int go,
                                 float[] gx, int gxo, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        int end = F.loopBound(n);
        for (; i < end; i += L) {
            FloatVector g = FloatVector.fromArray(F, gy, go + i).mul(FloatVector.fromArray(F, w, wo + i));
            acc = g.fma(FloatVector.fromArray(F, x, xo + i), acc);
        }
        float[] t = Lanes.buffer();
        acc.intoArray(t, 0);
        float dot = Lanes.sum(t, 0);
        for (; i < n; i++) dot += gy[go + i] * w[wo + i] * x[xo + i];
        float c = rstd * rstd * rstd * dot / n;
        FloatVector rv = FloatVector.broadcast(F, rstd);
        FloatVector cv = FloatVector.broadcast(F, -c);
        for (i = 0; i < end; i += L) {
            FloatVector g = FloatVector.fromArray(F, gy, go + i).mul(FloatVector.fromArray(F, w, wo + i));
            FloatVector.fromArray(F, x, xo + i).fma(cv, g.mul(rv)).intoArray(gx, gxo + i);
        }
        for (; i < n; i++) gx[gxo + i] = rstd * gy[go + i] * w[wo + i] - c * x[xo + i];
    }

    /** gw += gy * x * rstd for one row. */
    public static void rmsNormBackwardW(float[] x, int xo, float rstd, float[] gy, int go, float[] gw, int gwo, int n) {
        FloatVector rv = FloatVector.broadcast(F, rstd);
        int i = 0;
        int end = F.loopBound(n);
        for (; i < end; i += L) {
            FloatVector.fromArray(F, gy, go + i).mul(FloatVector.fromArray(F, x, xo + i))
                    .fma(rv, FloatVector.fromArray(F, gw, gwo + i)).intoArray(gw, gwo + i);
        }
        for (; i < n; i++) gw[gwo + i] += gy[go + i] * x[xo + i] * rstd;
    }
}
