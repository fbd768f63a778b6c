package clp4j.engine.backend.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register blocks of dot products for {@link GemmSkinny}: rows of x (stride k) against rows of y
 * (stride ys), out[r * cols + s] = sum_p x(r, p) y(s, p). Every product is summed the same way in
 * every block: one vector accumulator along K, the lanes by {@link Lanes}' tree, then the tail past
 * the last full vector added in order, so a C element does not depend on the block that made it.
 * The accumulators are spilled and summed in one {@link Lanes#sums} call: written out inline the
 * lane sums pushed a block past C2's inlining budget, and each call left out of line boxed the
 * vector it was passed.
 */
final class DotBlocks {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = Simd.L;

    private DotBlocks() { }

    /** 8 rows of x, 3 rows of y, one pass: 24 accumulators, 3 y vectors and one x vector stay in the 32 registers. acc: 24 vectors. */
    static void block8x3(float[] x, int xo, int k, float[] y, int yo, int ys, float[] out, float[] acc) {
        int y0 = yo, y1 = yo + ys, y2 = yo + 2 * ys;
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c30 = c00, c31 = c00, c32 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00, c50 = c00, c51 = c00, c52 = c00;
        FloatVector c60 = c00, c61 = c00, c62 = c00, c70 = c00, c71 = c00, c72 = c00;
        int end = F.loopBound(k);
        int p = 0;
        for (; p < end; p += L) {
            FloatVector w0 = FloatVector.fromArray(F, y, y0 + p);
            FloatVector w1 = FloatVector.fromArray(F, y, y1 + p);
            FloatVector w2 = FloatVector.fromArray(F, y, y2 + p);
            FloatVector v = FloatVector.fromArray(F, x, xo + p);
            c00 = w0.fma(v, c00); c01 = w1.fma(v, c01); c02 = w2.fma(v, c02);
            v = FloatVector.fromArray(F, x, xo + k + p);
            c10 = w0.fma(v, c10); c11 = w1.fma(v, c11); c12 = w2.fma(v, c12);
            v = FloatVector.fromArray(F, x, xo + 2 * k + p);
            c20 = w0.fma(v, c20); c21 = w1.fma(v, c21); c22 = w2.fma(v, c22);
            v = FloatVector.fromArray(F, x, xo + 3 * k + p);
            c30 = w0.fma(v, c30); c31 = w1.fma(v, c31); c32 = w2.fma(v, c32);
            v = FloatVector.fromArray(F, x, xo + 4 * k + p);
            c40 = w0.fma(v, c40); c41 = w1.fma(v, c41); c42 = w2.fma(v, c42);
            v = FloatVector.fromArray(F, x, xo + 5 * k + p);
            c50 = w0.fma(v, c50); c51 = w1.fma(v, c51); c52 = w2.fma(v, c52);
            v = FloatVector.fromArray(F, x, xo + 6 * k + p);
            c60 = w0.fma(v, c60); c61 = w1.fma(v, c61); c62 = w2.fma(v, c62);
            v = FloatVector.fromArray(F, x, xo + 7 * k + p);
            c70 = w0.fma(v, c70); c71 = w1.fma(v, c71); c72 = w2.fma(v, c72);
        }
        c00.intoArray(acc, 0); c01.intoArray(acc, L); c02.intoArray(acc, 2 * L);
        c10.intoArray(acc, 3 * L); c11.intoArray(acc, 4 * L); c12.intoArray(acc, 5 * L);
        c20.intoArray(acc, 6 * L); c21.intoArray(acc, 7 * L); c22.intoArray(acc, 8 * L);
        c30.intoArray(acc, 9 * L); c31.intoArray(acc, 10 * L); c32.intoArray(acc, 11 * L);
        c40.intoArray(acc, 12 * L); c41.intoArray(acc, 13 * L); c42.intoArray(acc, 14 * L);
        c50.intoArray(acc, 15 * L); c51.intoArray(acc, 16 * L); c52.intoArray(acc, 17 * L);
        c60.intoArray(acc, 18 * L); c61.intoArray(acc, 19 * L); c62.intoArray(acc, 20 * L);
        c70.intoArray(acc, 21 * L); c71.intoArray(acc, 22 * L); c72.intoArray(acc, 23 * L);
        Lanes.sums(acc, 0, 16, out, 0);
        Lanes.sums(acc, 16 * L, 8, out, 16);
        tails(8, 3, x, xo, k, y, yo, ys, p, out);
    }

    /** 4 rows of x, 4 rows of y. acc: 16 vectors. */
    static void block4x4(float[] x, int xo, int k, float[] y, int yo, int ys, float[] out, float[] acc) {
        int x0 = xo, x1 = xo + k, x2 = xo + 2 * k, x3 = xo + 3 * k;
        int y0 = yo, y1 = yo + ys, y2 = yo + 2 * ys, y3 = yo + 3 * ys;
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        int end = F.loopBound(k);
        int p = 0;
        for (; p < end; p += L) {
            FloatVector w0 = FloatVector.fromArray(F, y, y0 + p);
            FloatVector w1 = FloatVector.fromArray(F, y, y1 + p);
            FloatVector w2 = FloatVector.fromArray(F, y, y2 + p);
            FloatVector w3 = FloatVector.fromArray(F, y, y3 + p);
            FloatVector v = FloatVector.fromArray(F, x, x0 + p);
            c00 = w0.fma(v, c00); c01 = w1.fma(v, c01); c02 = w2.fma(v, c02); c03 = w3.fma(v, c03);
            v = FloatVector.fromArray(F, x, x1 + p);
            c10 = w0.fma(v, c10); c11 = w1.fma(v, c11); c12 = w2.fma(v, c12); c13 = w3.fma(v, c13);
            v = FloatVector.fromArray(F, x, x2 + p);
            c20 = w0.fma(v, c20); c21 = w1.fma(v, c21); c22 = w2.fma(v, c22); c23 = w3.fma(v, c23);
            v = FloatVector.fromArray(F, x, x3 + p);
            c30 = w0.fma(v, c30); c31 = w1.fma(v, c31); c32 = w2.fma(v, c32); c33 = w3.fma(v, c33);
        }
        c00.intoArray(acc, 0); c01.intoArray(acc, L); c02.intoArray(acc, 2 * L); c03.intoArray(acc, 3 * L);
        c10.intoArray(acc, 4 * L); c11.intoArray(acc, 5 * L); c12.intoArray(acc, 6 * L); c13.intoArray(acc, 7 * L);
        c20.intoArray(acc, 8 * L); c21.intoArray(acc, 9 * L); c22.intoArray(acc, 10 * L); c23.intoArray(acc, 11 * L);
        c30.intoArray(acc, 12 * L); c31.intoArray(acc, 13 * L); c32.intoArray(acc, 14 * L); c33.intoArray(acc, 15 * L);
        Lanes.sums(acc, 0, 16, out, 0);
        tails(4, 4, x, xo, k, y, yo, ys, p, out);
    }

    /**
     * One row of x, 16 rows of y: for short rows (an attention score per cached key, K = 64) the lane
     * sums dominate, and 16 of them combine in one {@link Lanes#sums} call. acc: 16 vectors.
     */
    static void block1x16(float[] x, int xo, int k, float[] y, int yo, int ys, float[] out, float[] acc) {
        FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        FloatVector c8 = c0, c9 = c0, c10 = c0, c11 = c0, c12 = c0, c13 = c0, c14 = c0, c15 = c0;
        int end = F.loopBound(k);
        int p = 0;
        for (; p < end; p += L) {
            FloatVector v = FloatVector.fromArray(F, x, xo + p);
            int r = yo + p;
            c0 = FloatVector.fromArray(F, y, r).fma(v, c0);
            c1 = FloatVector.fromArray(F, y, r + ys).fma(v, c1);
            c2 = FloatVector.fromArray(F, y, r + 2 * ys).fma(v, c2);
            c3 = FloatVector.fromArray(F, y, r + 3 * ys).fma(v, c3);
            c4 = FloatVector.fromArray(F, y, r + 4 * ys).fma(v, c4);
            c5 = FloatVector.fromArray(F, y, r + 5 * ys).fma(v, c5);
            c6 = FloatVector.fromArray(F, y, r + 6 * ys).fma(v, c6);
            c7 = FloatVector.fromArray(F, y, r + 7 * ys).fma(v, c7);
            c8 = FloatVector.fromArray(F, y, r + 8 * ys).fma(v, c8);
            c9 = FloatVector.fromArray(F, y, r + 9 * ys).fma(v, c9);
            c10 = FloatVector.fromArray(F, y, r + 10 * ys).fma(v, c10);
            c11 = FloatVector.fromArray(F, y, r + 11 * ys).fma(v, c11);
            c12 = FloatVector.fromArray(F, y, r + 12 * ys).fma(v, c12);
            c13 = FloatVector.fromArray(F, y, r + 13 * ys).fma(v, c13);
            c14 = FloatVector.fromArray(F, y, r + 14 * ys).fma(v, c14);
            c15 = FloatVector.fromArray(F, y, r + 15 * ys).fma(v, c15);
        }
        c0.intoArray(acc, 0); c1.intoArray(acc, L); c2.intoArray(acc, 2 * L); c3.intoArray(acc, 3 * L);
        c4.intoArray(acc, 4 * L); c5.intoArray(acc, 5 * L); c6.intoArray(acc, 6 * L); c7.intoArray(acc, 7 * L);
        c8.intoArray(acc, 8 * L); c9.intoArray(acc, 9 * L); c10.intoArray(acc, 10 * L); c11.intoArray(acc, 11 * L);
        c12.intoArray(acc, 12 * L); c13.intoArray(acc, 13 * L); c14.intoArray(acc, 14 * L); c15.intoArray(acc, 15 * L);
        Lanes.sums(acc, 0, 16, out, 0);
        tails(1, 16, x, xo, k, y, yo, ys, p, out);
    }

    /** One row of x, 4 rows of y. */
    static void block1x4(float[] x, int xo, int k, float[] y, int yo, int ys, float[] out) {
        int y0 = yo, y1 = yo + ys, y2 = yo + 2 * ys, y3 = yo + 3 * ys;
        FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0;
        int end = F.loopBound(k);
        int p = 0;
        for (; p < end; p += L) {
            FloatVector v = FloatVector.fromArray(F, x, xo + p);
            c0 = FloatVector.fromArray(F, y, y0 + p).fma(v, c0);
            c1 = FloatVector.fromArray(F, y, y1 + p).fma(v, c1);
            c2 = FloatVector.fromArray(F, y, y2 + p).fma(v, c2);
            c3 = FloatVector.fromArray(F, y, y3 + p).fma(v, c3);
        }
        float[] t = Lanes.buffer();
        c0.intoArray(t, 0); c1.intoArray(t, L); c2.intoArray(t, 2 * L); c3.intoArray(t, 3 * L);
        Lanes.sums(t, 0, 4, out, 0);
        tails(1, 4, x, xo, k, y, yo, ys, p, out);
    }

    /** One row of x against one row of y: the rows and columns the blocks leave over. */
    static float block1x1(float[] x, int xo, int k, float[] y, int yo) {
        FloatVector c0 = FloatVector.zero(F);
        int end = F.loopBound(k);
        int p = 0;
        for (; p < end; p += L) c0 = FloatVector.fromArray(F, y, yo + p).fma(FloatVector.fromArray(F, x, xo + p), c0);
        float[] t = Lanes.buffer();
        c0.intoArray(t, 0);
        float s = Lanes.sum(t, 0);
        for (; p < k; p++) s += x[xo + p] * y[yo + p];
        return s;
    }

    /** Adds, in order, the products past the last full vector (from p to k) to each of a block's sums. */
    private static void tails(int rows, int cols, float[] x, int xo, int k, float[] y, int yo, int ys, int p, float[] out) {
        if (p == k) return;
        for (int r = 0; r < rows; r++) {
            int xr = xo + r * k;
            for (int s = 0; s < cols; s++) {
                int ysr = yo + s * ys;
                float sum = out[r * cols + s];
                for (int q = p; q < k; q++) sum += x[xr + q] * y[ysr + q];
                out[r * cols + s] = sum;
            }
        }
    }
}
