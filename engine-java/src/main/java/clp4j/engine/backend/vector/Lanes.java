package clp4j.engine.backend.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Horizontal sums and maxima of one vector's lanes in an order fixed by this code.
 * {@code reduceLanes} leaves its order unspecified, and in practice the interpreter and C2 add the
 * lanes in different orders, so the same op gave results differing in the last bits before and
 * after JIT compilation. Here lane i is combined with lane i + h for h = L/2, L/4, ..., 1 and
 * i &lt; h (a pairwise tree, each step one lanewise operation with the lanes swapped across bit h);
 * lane 0 ends up with the result.
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
    private static final ThreadLocal<float[]> BUFFER = ThreadLocal.withInitial(() -> new float[4 * L]);
    /** Level s of a tree folds lane bit h = L >> (s + 1): SWAP[s] maps lane i to i ^ h (to i + h for the lanes below h). */
    private static final VectorShuffle<Float> SWAP0 = swap(0), SWAP1 = swap(1), SWAP2 = swap(2), SWAP3 = swap(3);
    /** For {@link #sums} of 16: HALF[s] marks the lanes with bit h set. */
    private static final VectorMask<Float> HALF0 = half(0), HALF1 = half(1), HALF2 = half(2), HALF3 = half(3);
    /** Which of the 16 sums lane t of {@link #sums}'s combined vectors holds (the identity at 16 lanes). */
    private static final int[] SUM_OF_LANE = sumOfLane();

    private Lanes() { }

    /** The lane bit a level-s combine folds (1 past the last level, where unused). */
    private static int levelBit(int s) {
        if (L > 16) throw new IllegalStateException("Lanes supports at most 16 float lanes; this species has " + L);
        return Math.max(1, L >> (s + 1));
    }

    private static VectorMask<Float> half(int s) {
        boolean[] set = new boolean[L];
        for (int i = 0; i < L; i++) set[i] = (i & levelBit(s)) != 0;
        return VectorMask.fromArray(F, set, 0);
    }

    private static VectorShuffle<Float> swap(int s) {
        int h = levelBit(s);
        return VectorShuffle.fromOp(F, i -> i ^ h);
    }

    /** Follows which vector's lanes each lane holds through the combines of {@link #sums} (same pairing). */
    private static int[] sumOfLane() {
        int[][] owner = new int[16][L];
        for (int j = 0; j < 16; j++) java.util.Arrays.fill(owner[j], j);
        int n = 16;
        for (int s = 0; (L >> (s + 1)) >= 1; s++) {
            int half = n / 2, h = L >> (s + 1);
            int[][] next = new int[half][L];
            for (int j = 0; j < half; j++) {
                for (int i = 0; i < L; i++) next[j][i] = (i & h) == 0 ? owner[j][i] : owner[j + half][i];
            }
            owner = next;
            n = half;
        }
        int[] lane = new int[16];
        for (int j = 0; j < n; j++) System.arraycopy(owner[j], 0, lane, j * L, L);
        return lane;
    }

    /** The calling thread's scratch for spilling up to 4 vectors. */
    public static float[] buffer() {
        return BUFFER.get();
    }

    /** The sum of the L lanes at t[off ..], as the pairwise tree described above. */
    public static float sum(float[] t, int off) {
        FloatVector v = FloatVector.fromArray(F, t, off);
        if (L >= 2) v = v.add(v.rearrange(SWAP0));
        if (L >= 4) v = v.add(v.rearrange(SWAP1));
        if (L >= 8) v = v.add(v.rearrange(SWAP2));
        if (L >= 16) v = v.add(v.rearrange(SWAP3));
        return v.lane(0);
    }

    /**
     * out[outOff + j] = {@link #sum} of the L lanes at t[off + j L ..], for j &lt; count (one call for
     * a block of sums). A block of 16 (the GEMM's 4 x 4 dot products) is summed 16 at a time: each
     * level combines two vectors a, b into one whose lanes with bit h clear hold a's pair sums
     * a[i] + a[i + h] and the others b's, so 15 combines replace 16 separate trees of 4 levels.
     * The pairs added are the tree's, so the results are bit-identical to 16 calls of {@link #sum};
     * t[off ..] is overwritten.
     */
    public static void sums(float[] t, int off, int count, float[] out, int outOff) {
        if (count != 16) {
            for (int j = 0; j < count; j++) out[outOff + j] = sum(t, off + j * L);
            return;
        }
        FloatVector c0 = FloatVector.fromArray(F, t, off), c1 = FloatVector.fromArray(F, t, off + L);
        FloatVector c2 = FloatVector.fromArray(F, t, off + 2 * L), c3 = FloatVector.fromArray(F, t, off + 3 * L);
        FloatVector c4 = FloatVector.fromArray(F, t, off + 4 * L), c5 = FloatVector.fromArray(F, t, off + 5 * L);
        FloatVector c6 = FloatVector.fromArray(F, t, off + 6 * L), c7 = FloatVector.fromArray(F, t, off + 7 * L);
        FloatVector c8 = FloatVector.fromArray(F, t, off + 8 * L), c9 = FloatVector.fromArray(F, t, off + 9 * L);
        FloatVector c10 = FloatVector.fromArray(F, t, off + 10 * L), c11 = FloatVector.fromArray(F, t, off + 11 * L);
        FloatVector c12 = FloatVector.fromArray(F, t, off + 12 * L), c13 = FloatVector.fromArray(F, t, off + 13 * L);
        FloatVector c14 = FloatVector.fromArray(F, t, off + 14 * L), c15 = FloatVector.fromArray(F, t, off + 15 * L);
        // level 0 pairs vector j with j + 8, level 1 j with j + 4, ...; 16 / L vectors remain
        c0 = c0.blend(c8, HALF0).add(c8.blend(c0, HALF0).rearrange(SWAP0));
        c1 = c1.blend(c9, HALF0).add(c9.blend(c1, HALF0).rearrange(SWAP0));
        c2 = c2.blend(c10, HALF0).add(c10.blend(c2, HALF0).rearrange(SWAP0));
        c3 = c3.blend(c11, HALF0).add(c11.blend(c3, HALF0).rearrange(SWAP0));
        c4 = c4.blend(c12, HALF0).add(c12.blend(c4, HALF0).rearrange(SWAP0));
        c5 = c5.blend(c13, HALF0).add(c13.blend(c5, HALF0).rearrange(SWAP0));
        c6 = c6.blend(c14, HALF0).add(c14.blend(c6, HALF0).rearrange(SWAP0));
        c7 = c7.blend(c15, HALF0).add(c15.blend(c7, HALF0).rearrange(SWAP0));
        if (L >= 4) {
            c0 = c0.blend(c4, HALF1).add(c4.blend(c0, HALF1).rearrange(SWAP1));
            c1 = c1.blend(c5, HALF1).add(c5.blend(c1, HALF1).rearrange(SWAP1));
            c2 = c2.blend(c6, HALF1).add(c6.blend(c2, HALF1).rearrange(SWAP1));
            c3 = c3.blend(c7, HALF1).add(c7.blend(c3, HALF1).rearrange(SWAP1));
        }
        if (L >= 8) {
            c0 = c0.blend(c2, HALF2).add(c2.blend(c0, HALF2).rearrange(SWAP2));
            c1 = c1.blend(c3, HALF2).add(c3.blend(c1, HALF2).rearrange(SWAP2));
        }
        if (L >= 16) c0 = c0.blend(c1, HALF3).add(c1.blend(c0, HALF3).rearrange(SWAP3));
        int left = 16 / L;
        c0.intoArray(t, off);
        if (left > 1) c1.intoArray(t, off + L);
        if (left > 2) {
            c2.intoArray(t, off + 2 * L);
            c3.intoArray(t, off + 3 * L);
        }
        if (left > 4) {
            c4.intoArray(t, off + 4 * L);
            c5.intoArray(t, off + 5 * L);
            c6.intoArray(t, off + 6 * L);
            c7.intoArray(t, off + 7 * L);
        }
        for (int i = 0; i < 16; i++) out[outOff + SUM_OF_LANE[i]] = t[off + i];
    }

    /** The largest of the L lanes at t[off ..] (NaN if any is NaN), as the same tree. */
    public static float max(float[] t, int off) {
        FloatVector v = FloatVector.fromArray(F, t, off);
        if (L >= 2) v = v.max(v.rearrange(SWAP0));
        if (L >= 4) v = v.max(v.rearrange(SWAP1));
        if (L >= 8) v = v.max(v.rearrange(SWAP2));
        if (L >= 16) v = v.max(v.rearrange(SWAP3));
        return v.lane(0);
    }
}
