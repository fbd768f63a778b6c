package clp4j.engine.backend.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp and tanh built only from IEEE lanewise operations (add, mul, fma, min, max, bit moves), with
 * scalar twins that perform the same operations in the same order. The Vector API's own
 * {@code lanewise(EXP / TANH)} gave different last bits interpreted and JIT-compiled (a different
 * math library behind each), which broke run-to-run reproducibility; these give the same bits in
 * every execution mode, and the vector body and the scalar tail of a row agree too.
 * Accuracy: within about 2 ulp (Cephes-style minimax polynomials on a Cody-Waite reduced argument).
 */
public final class VMath {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split so that n * LN2_HI is exact for the n that occur. */
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding and subtracting it rounds a float of magnitude below 2^22 to the nearest integer. */
    private static final float ROUND = 12582912f;
    private static final float LO = -104f, HI = 89f;
    private static final float E0 = 1.9875691500e-4f, E1 = 1.3981999507e-3f, E2 = 8.3334519073e-3f,
            E3 = 4.1665795894e-2f, E4 = 1.6666665459e-1f, E5 = 5.0000001201e-1f;
    private static final float T0 = -5.70498872745e-3f, T1 = 2.06390887954e-2f, T2 = -5.37397155531e-2f,
            T3 = 1.33314422036e-1f, T4 = -3.33332819422e-1f;
    /** Below this |x| tanh uses its odd polynomial; above, 1 - 2 / (exp(2|x|) + 1). */
    private static final float TANH_SMALL = 0.625f;

    private VMath() { }

    /** e^x per lane; exp(-inf) = 0, exp(+inf) = +inf, NaN stays NaN. */
    public static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(LO).min(HI);
        FloatVector n = xc.mul(LOG2E).add(ROUND).sub(ROUND);
        FloatVector r = n.neg().fma(FloatVector.broadcast(F, LN2_HI), xc);
        r = n.neg().fma(FloatVector.broadcast(F, LN2_LO), r);
        FloatVector p = r.fma(FloatVector.broadcast(F, E0), FloatVector.broadcast(F, E1));
        p = p.fma(r, FloatVector.broadcast(F, E2));
        p = p.fma(r, FloatVector.broadcast(F, E3));
        p = p.fma(r, FloatVector.broadcast(F, E4));
        p = p.fma(r, FloatVector.broadcast(F, E5));
        p = p.fma(r.mul(r), r).add(1f);
        IntVector ni = (IntVector) n.convertShape(VectorOperators.F2I, I, 0);
        IntVector half = ni.lanewise(VectorOperators.ASHR, 1);
        FloatVector s1 = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = ni.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2);
    }

    /**
     * out[oo + i] = e^(x[xo + i] - m) for i &lt; n (out may be x). Kernels call this rather than
     * {@link #exp(FloatVector)} in their own loops: a vector passed to a method of ours is boxed
     * when C2 leaves the call out of line, which its node-count cutoff does in large compiled
     * trees (log-softmax's boxed several vectors per 16 elements once, after a long run of
     * GEMMs); here the call that can be cut off passes arrays, and exp sits in a small loop.
     */
    public static void expShift(float[] x, int xo, float m, float[] out, int oo, int n) {
        FloatVector mv = FloatVector.broadcast(F, m);
        int i = 0;
        int end = F.loopBound(n);
        for (; i < end; i += F.length()) exp(FloatVector.fromArray(F, x, xo + i).sub(mv)).intoArray(out, oo + i);
        for (; i < n; i++) out[oo + i] = exp(x[xo + i] - m);
    }

    /** Scalar twin of {@link #exp(FloatVector)}: the same operations in the same order. */
    public static float exp(float x) {
        float xc = Math.min(Math.max(x, LO), HI);
        float n = (xc * LOG2E + ROUND) - ROUND;
        float r = Math.fma(-n, LN2_HI, xc);
        r = Math.fma(-n, LN2_LO, r);
        float p = Math.fma(r, E0, E1);
        p = Math.fma(p, r, E2);
        p = Math.fma(p, r, E3);
        p = Math.fma(p, r, E4);
        p = Math.fma(p, r, E5);
        p = Math.fma(p, r * r, r) + 1f;
        int ni = (int) n;
        int half = ni >> 1;
        return p * Float.intBitsToFloat((half + 127) << 23) * Float.intBitsToFloat((ni - half + 127) << 23);
    }

    /** tanh per lane. */
    public static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector z = x.mul(x);
        FloatVector p = z.fma(FloatVector.broadcast(F, T0), FloatVector.broadcast(F, T1));
        p = p.fma(z, FloatVector.broadcast(F, T2));
        p = p.fma(z, FloatVector.broadcast(F, T3));
        p = p.fma(z, FloatVector.broadcast(F, T4));
        FloatVector small = p.mul(z).fma(x, x);
        FloatVector e = exp(a.add(a));
        FloatVector big = FloatVector.broadcast(F, 1f).sub(FloatVector.broadcast(F, 2f).div(e.add(1f)));
        big = big.blend(big.neg(), x.compare(VectorOperators.LT, 0f));
        VectorMask<Float> isSmall = a.compare(VectorOperators.LT, TANH_SMALL);
        return big.blend(small, isSmall);
    }

    /** Scalar twin of {@link #tanh(FloatVector)}. */
    public static float tanh(float x) {
        float a = Math.abs(x);
        float z = x * x;
        if (a < TANH_SMALL) {
            float p = Math.fma(z, T0, T1);
            p = Math.fma(p, z, T2);
            p = Math.fma(p, z, T3);
            p = Math.fma(p, z, T4);
            return Math.fma(p * z, x, x);
        }
        float e = exp(a + a);
        float big = 1f - 2f / (e + 1f);
        return x < 0f ? -big : big;
    }
}
