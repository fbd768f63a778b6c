package clp4j.engine.backend.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Horizontal sums and maxima of one vector's lanes in an order fixed by this code.
 * {@code reduceLanes} leaves its order unspecified, and in practice the interpreter and C2 add the
 * lanes in different orders, so the same op gave results differing in the last bits before and
 * after JIT compilation. Here lane i is combined with lane i + h for h = L/2, L/4, ..., 1 (a
 * pairwise tree, each step one lanewise operation on the vector); lane 0 ends up with the result.
 *
 * <p>Callers spill the vector themselves ({@code v.intoArray(buf, off)}) and pass the array, and
 * the vector is reloaded in here. A vector passed to a method of ours is boxed (allocated)
 * whenever C2 leaves that call out of line, and its node-count cutoff does that in large kernels
 * (seen: a lane sum called from {@code RowKernels.logSoftmax} once the GEMM had been compiled
 * first, one box per row); the Vector API's own methods, {@code intoArray} included, are
 * force-inlined and not subject to the cutoff, and an array crosses a call without boxing.
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
    private static final ThreadLocal<float[]> BUFFER = ThreadLocal.withInitial(() -> new float[4 * L]);

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

    /** The calling thread's scratch for spilling up to 4 vectors. */
    public static float[] buffer() {
        return BUFFER.get();
    }

    /** The sum of the L lanes at t[off ..], as the pairwise tree described above. */
    public static float sum(float[] t, int off) {
        FloatVector v = FloatVector.fromArray(F, t, off);
        if (L >= 2) v = v.add(v.rearrange(S0));
        if (L >= 4) v = v.add(v.rearrange(S1));
        if (L >= 8) v = v.add(v.rearrange(S2));
        if (L >= 16) v = v.add(v.rearrange(S3));
        return v.lane(0);
    }

    /** out[outOff + j] = {@link #sum} of the L lanes at t[off + j L ..], for j &lt; count (one call for a block of sums). */
    public static void sums(float[] t, int off, int count, float[] out, int outOff) {
        for (int j = 0; j < count; j++) out[outOff + j] = sum(t, off + j * L);
    }

    /** The largest of the L lanes at t[off ..] (NaN if any is NaN), as the same tree. */
    public static float max(float[] t, int off) {
        FloatVector v = FloatVector.fromArray(F, t, off);
        if (L >= 2) v = v.max(v.rearrange(S0));
        if (L >= 4) v = v.max(v.rearrange(S1));
        if (L >= 8) v = v.max(v.rearrange(S2));
        if (L >= 16) v = v.max(v.rearrange(S3));
        return v.lane(0);
    }
}
