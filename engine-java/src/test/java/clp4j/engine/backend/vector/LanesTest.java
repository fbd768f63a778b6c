package clp4j.engine.backend.vector;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fixed-order lane reductions, bit for bit against scalar models of the same order, both
 * before and after a hot loop that gets the kernels JIT-compiled ({@code reduceLanes} gave one
 * result interpreted and another compiled).
 */
class LanesTest {
    private static final int L = Simd.L;

    @Test
    void sumsAndDotsMatchTheirScalarModelsColdAndHot() {
        Random rnd = new Random(3);
        int[] lengths = {1, L - 1, L, 2 * L + 3, 5 * L + 7, 1000};
        float[][] xs = new float[lengths.length][], ys = new float[lengths.length][];
        for (int t = 0; t < lengths.length; t++) {
            xs[t] = wide(rnd, lengths[t]);
            ys[t] = wide(rnd, lengths[t]);
        }
        check(xs, ys, "cold");
        float sink = 0;
        for (int it = 0; it < 20_000; it++) {
            for (int t = 0; t < xs.length; t++) {
                sink += ElementwiseKernels.sum(xs[t], 0, xs[t].length) + GemmSkinny.dot(xs[t], 0, ys[t], 0, ys[t].length)
                        + ElementwiseKernels.max(xs[t], 0, xs[t].length);
            }
        }
        assertEquals(false, Float.isNaN(sink));
        check(xs, ys, "after 20000 calls");
    }

    @Test
    void laneTreeSumAndMaxOfASpilledVector() {
        Random rnd = new Random(4);
        for (int it = 0; it < 100; it++) {
            float[] v = wide(rnd, L);
            float[] sorted = v.clone();
            java.util.Arrays.sort(sorted);
            float[] t = new float[3 * L];
            FloatVector.fromArray(Simd.F, v, 0).intoArray(t, L); // at an offset, between other values
            assertEquals(Float.floatToIntBits(treeSum(v)), Float.floatToIntBits(Lanes.sum(t, L)), "lane sum of " + java.util.Arrays.toString(v));
            FloatVector.fromArray(Simd.F, v, 0).intoArray(t, 2 * L);
            assertEquals(sorted[L - 1], Lanes.max(t, 2 * L));
        }
    }

    @Test
    void blocksOfSixteenSumsAreTheTreeSumsColdAndHot() {
        Random rnd = new Random(5);
        float[][] blocks = new float[8][];
        for (int b = 0; b < blocks.length; b++) blocks[b] = wide(rnd, 16 * L);
        checkBlocks(blocks, "cold");
        float[] t = new float[16 * L + 3], out = new float[16];
        float sink = 0;
        for (int it = 0; it < 50_000; it++) {
            float[] v = blocks[it % blocks.length];
            System.arraycopy(v, 0, t, 3, v.length);
            Lanes.sums(t, 3, 16, out, 0);
            sink += out[it % 16];
        }
        assertEquals(false, Float.isNaN(sink));
        checkBlocks(blocks, "after 50000 calls");
    }

    private static void checkBlocks(float[][] blocks, String when) {
        for (float[] v : blocks) {
            float[] t = new float[16 * L + 5];
            System.arraycopy(v, 0, t, 5, v.length);
            float[] out = new float[19];
            Lanes.sums(t, 5, 16, out, 2);
            for (int j = 0; j < 16; j++) {
                float[] lanes = java.util.Arrays.copyOfRange(v, j * L, (j + 1) * L);
                assertEquals(Float.floatToIntBits(treeSum(lanes)), Float.floatToIntBits(out[2 + j]),
                        "sum " + j + " of a block of 16 at " + L + " lanes, " + when);
            }
        }
    }

    /** The pairwise tree: (v0 + v[L/2]) + ..., i.e. halves added lanewise until one value is left. */
    private static float treeSum(float[] lanes) {
        float[] v = lanes.clone();
        for (int n = v.length; n > 1; n /= 2) {
            float[] half = new float[n / 2];
            for (int i = 0; i < n / 2; i++) half[i] = v[i] + v[i + n / 2];
            v = half;
        }
        return v[0];
    }

    private static void check(float[][] xs, float[][] ys, String when) {
        for (int t = 0; t < xs.length; t++) {
            float[] x = xs[t], y = ys[t];
            assertEquals(Float.floatToIntBits(sumModel(x)), Float.floatToIntBits(ElementwiseKernels.sum(x, 0, x.length)),
                    "sum of " + x.length + " elements, " + when);
            assertEquals(Float.floatToIntBits(dotModel(x, y)), Float.floatToIntBits(GemmSkinny.dot(x, 0, y, 0, x.length)),
                    "dot of " + x.length + " elements, " + when);
        }
    }

    /** Values spread over many magnitudes, so that a different summation order changes the rounding. */
    private static float[] wide(Random rnd, int n) {
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(7) - 3));
        return d;
    }

    /** One accumulator per lane over whole vectors, the lane tree, then the tail in order. */
    private static float sumModel(float[] x) {
        float[] acc = new float[L];
        int end = x.length / L * L;
        for (int i = 0; i < end; i++) acc[i % L] += x[i];
        float s = treeSum(acc);
        for (int i = end; i < x.length; i++) s += x[i];
        return s;
    }

    /** GemmSkinny.dot's order: two fused accumulators over pairs of vectors, one more vector, lane tree, tail. */
    private static float dotModel(float[] x, float[] y) {
        float[] s0 = new float[L], s1 = new float[L];
        int k = x.length, p = 0;
        for (; p + 2 * L <= k; p += 2 * L) {
            for (int l = 0; l < L; l++) {
                s0[l] = Math.fma(x[p + l], y[p + l], s0[l]);
                s1[l] = Math.fma(x[p + L + l], y[p + L + l], s1[l]);
            }
        }
        for (; p + L <= k; p += L) {
            for (int l = 0; l < L; l++) s0[l] = Math.fma(x[p + l], y[p + l], s0[l]);
        }
        for (int l = 0; l < L; l++) s0[l] += s1[l];
        float s = treeSum(s0);
        for (; p < k; p++) s += x[p] * y[p];
        return s;
    }
}
