package clp4j.engine.backend.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Horizontal sums and maxima of one vector in an order fixed by this code. {@code reduceLanes}
 * leaves its order unspecified, and in practice the interpreter and C2 add the lanes in different
 * orders, so the same op gave results differing in the last bits before and after JIT compilation.
 * Here lane i is combined with lane i + h for h = L/2, L/4, ..., 1 (a pairwise tree); lane 0 ends
 * up with the result. Each step is a lanewise IEEE operation, so every execution mode agrees.
 */
public final class Lanes {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = Simd.L;
    /** SHIFT[s] moves lane i + (L >> (s + 1)) to lane i (wrapping); only lanes below the half matter. */
    private static final VectorShuffle<Float>[] SHIFT = shifts();
    private static final VectorShuffle<Float> S0 = SHIFT[0];
    private static final VectorShuffle<Float> S1 = SHIFT.length > 1 ? SHIFT[1] : S0;
    private static final VectorShuffle<Float> S2 = SHIFT.length > 2 ? SHIFT[2] : S0;
    private static final VectorShuffle<Float> S3 = SHIFT.length > 3 ? SHIFT[3] : S0;

    private Lanes() { }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] shifts() {
        int steps = Integer.numberOfTrailingZeros(L);
        if (steps > 4) throw new IllegalStateException("Lanes supports at most 16 float lanes; this species has " + L);
        VectorShuffle<Float>[] s = new VectorShuffle[Math.max(steps, 1)];
        for (int t = 0; t < steps; t++) {
            int h = L >> (t + 1);
            s[t] = VectorShuffle.fromOp(F, i -> (i + h) % L);
        }
        return s;
    }

    /** The sum of v's lanes, as the pairwise tree described above. */
    public static float sum(FloatVector v) {
        if (L >= 2) v = v.add(v.rearrange(S0));
        if (L >= 4) v = v.add(v.rearrange(S1));
        if (L >= 8) v = v.add(v.rearrange(S2));
        if (L >= 16) v = v.add(v.rearrange(S3));
        return v.lane(0);
    }

    /** The largest of v's lanes (NaN if any lane is NaN), as the same tree. */
    public static float max(FloatVector v) {
        if (L >= 2) v = v.max(v.rearrange(S0));
        if (L >= 4) v = v.max(v.rearrange(S1));
        if (L >= 8) v = v.max(v.rearrange(S2));
        if (L >= 16) v = v.max(v.rearrange(S3));
        return v.lane(0);
    }


    private static final ThreadLocal<float[]> SPILL = ThreadLocal.withInitial(() -> new float[L]);

    /**
     * {@link #sum}, the same tree over a copy of the lanes in memory. For code that already holds
     * many vector operations: it adds far fewer nodes to C2's graph than the shuffles, so the call
     * still inlines where sum's would be left out of line and box its argument.
     */
    public static float sumSpilled(FloatVector v) {
        float[] t = SPILL.get();
        v.intoArray(t, 0);
        return sumTree(t);
    }

    /** {@link #max} as {@link #sumSpilled} does it. */
    public static float maxSpilled(FloatVector v) {
        float[] t = SPILL.get();
        v.intoArray(t, 0);
        for (int h = L / 2; h >= 1; h /= 2) {
            for (int i = 0; i < h; i++) t[i] = Math.max(t[i], t[i + h]);
        }
        return t[0];
    }

    /** {@link #sum}'s tree over L values in t (overwritten): t[i] += t[i + h] for h = L/2, ..., 1. */
    private static float sumTree(float[] t) {
        for (int h = t.length / 2; h >= 1; h /= 2) {
            for (int i = 0; i < h; i++) t[i] = t[i] + t[i + h];
        }
        return t[0];
    }

    /** Scalar model of {@link #sum}: the same tree over an array of L lane values (for tests). */
    static float sumModel(float[] lanes) {
        return sumTree(lanes.clone());
    }
}
