package clp4j.engine.backend.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Products where C has at most {@link #MAX_SIDE} rows or columns (matrix-vector work and small
 * batches, such as one greedy-decoding step of a batch through a linear layer). Packing would
 * copy all of B (the whole weight) on every call, so these read the operands in place instead:
 * register-blocked dot products along K when op(B) is contiguous along K (4 rows of op(B)^T by
 * 4 rows of A per pass, so each weight row is read from memory once per call for all rows of A),
 * otherwise row updates along N. A C with few columns is computed as its transpose,
 * C^T = op(B)^T op(A)^T, through the same code with the strides swapped.
 */
final class GemmSkinny {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = Simd.L;
    static final int MAX_SIDE = 16;
    /** Columns accumulated at once in the row-update form (MAX_SIDE x W floats = 16 KiB stay in L1). */
    private static final int W = 256;

    /** Per thread: A's rows made contiguous, row-update accumulators, one 4 x 4 block of dot products and block4x4's scratch. */
    private static final ThreadLocal<float[][]> WORKSPACE =
            ThreadLocal.withInitial(() -> new float[][]{new float[0], new float[MAX_SIDE * W], new float[16], new float[16 * L]});

    private GemmSkinny() { }

    public static boolean useFor(int m, int n) {
        return m <= MAX_SIDE || n <= MAX_SIDE;
    }

    /**
     * Columns [j0, j1) of C = alpha op(A) op(B) + beta C when m &lt;= MAX_SIDE; otherwise (n small)
     * all of C, and j0, j1 must be 0, n.
     */
    public static void compute(boolean transA, boolean transB, int m, int j0, int j1, int k, float alpha,
                        float[] a, int ao, int lda, float[] b, int bo, int ldb,
                        float beta, float[] c, int co, int ldc) {
        int aRs = transA ? 1 : lda, aCs = transA ? lda : 1;
        int bRs = transB ? 1 : ldb, bCs = transB ? ldb : 1;
        if (m <= MAX_SIDE) {
            rows(m, j0, j1, k, alpha, a, ao, aRs, aCs, b, bo, bRs, bCs, beta, c, co, ldc, 1);
        } else {
            // n <= MAX_SIDE: C^T (n x m) = op(B)^T (n x k) op(A)^T (k x m)
            rows(j1 - j0, 0, m, k, alpha, b, bo + j0 * bCs, bCs, bRs, a, ao, aCs, aRs, beta, c, co + j0, 1, ldc);
        }
    }

    /**
     * C(i, j) = alpha sum_p A(i, p) B(p, j) + beta C(i, j) for i &lt; m (small), j in [j0, j1), with
     * A(i, p) = a[ao + i aRs + p aCs], B(p, j) = b[bo + p bRs + j bCs], C(i, j) = c[co + i cRs + j cCs].
     */
    private static void rows(int m, int j0, int j1, int k, float alpha,
                             float[] a, int ao, int aRs, int aCs, float[] b, int bo, int bRs, int bCs,
                             float beta, float[] c, int co, int cRs, int cCs) {
        float[][] ws = WORKSPACE.get();
        if (bRs == 1) {
            // op(B) contiguous along K: dot products against contiguous copies of A's rows
            if (ws[0].length < m * k) ws[0] = new float[m * k];
            float[] ar = ws[0];
            for (int i = 0; i < m; i++) {
                if (aCs == 1) System.arraycopy(a, ao + i * aRs, ar, i * k, k);
                else for (int p = 0; p < k; p++) ar[i * k + p] = a[ao + i * aRs + p * aCs];
            }
            dots(m, j0, j1, k, alpha, ar, b, bo, bCs, beta, c, co, cRs, cCs, ws[2], ws[3]);
        } else {
            rowUpdates(m, j0, j1, k, alpha, a, ao, aRs, aCs, b, bo, bRs, beta, c, co, cRs, cCs, ws[1]);
        }
    }

    /**
     * The dot-product form: C(i, j) from ar's row i (contiguous, length k) and b[bo + j bCs ..] (contiguous).
     * Each 4 x 4 block takes its 4 rows of op(B)^T from the 4 quarters of [j0, j1) (rows j, j + q,
     * j + 2q, j + 3q), not 4 neighbours: a decoding step streams its weights from memory, and the L2
     * hardware prefetcher follows each 4 KiB page as one stream, so neighbouring 2 KiB rows (K = 512)
     * were one stream at a time and four quarters are four (scratch timing on a decoder step's
     * weights: 11.6 -> 14.7 GB/s median over 2 threads; a native loop with software prefetch reaches
     * about 25). Every C(i, j) is summed the same way in any block, so results do not change.
     */
    private static void dots(int m, int j0, int j1, int k, float alpha, float[] ar, float[] b, int bo, int bCs,
                             float beta, float[] c, int co, int cRs, int cCs, float[] blk, float[] acc) {
        int q = (j1 - j0) / 4;
        int ys = q * bCs;
        for (int j = j0; j < j0 + q; j++) {
            int bj = bo + j * bCs;
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                block4x4(ar, i * k, k, b, bj, ys, blk, acc);
                for (int ii = 0; ii < 4; ii++) {
                    for (int jj = 0; jj < 4; jj++) {
                        merge(c, co + (i + ii) * cRs + (j + jj * q) * cCs, alpha * blk[ii * 4 + jj], beta);
                    }
                }
            }
            for (; i < m; i++) {
                block1x4(ar, i * k, k, b, bj, ys, blk);
                for (int jj = 0; jj < 4; jj++) merge(c, co + i * cRs + (j + jj * q) * cCs, alpha * blk[jj], beta);
            }
        }
        for (int j = j0 + 4 * q; j < j1; j++) {
            for (int i = 0; i < m; i++) merge(c, co + i * cRs + j * cCs, alpha * dot(ar, i * k, b, bo + j * bCs, k), beta);
        }
    }

    /** out[4 ii + jj] = sum_p x(ii, p) y(jj, p) for 4 rows of x (stride k) and 4 rows of y (stride ys); acc: scratch for 16 vectors. */
    private static void block4x4(float[] x, int xo, int k, float[] y, int yo, int ys, float[] out, float[] acc) {
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
        // the 16 lane sums in one call over a copy (see Lanes): written out inline they pushed this
        // method past C2's inlining budget, and each call left out of line boxed the vector it was passed
        c00.intoArray(acc, 0); c01.intoArray(acc, L); c02.intoArray(acc, 2 * L); c03.intoArray(acc, 3 * L);
        c10.intoArray(acc, 4 * L); c11.intoArray(acc, 5 * L); c12.intoArray(acc, 6 * L); c13.intoArray(acc, 7 * L);
        c20.intoArray(acc, 8 * L); c21.intoArray(acc, 9 * L); c22.intoArray(acc, 10 * L); c23.intoArray(acc, 11 * L);
        c30.intoArray(acc, 12 * L); c31.intoArray(acc, 13 * L); c32.intoArray(acc, 14 * L); c33.intoArray(acc, 15 * L);
        Lanes.sums(acc, 0, 16, out, 0);
        if (p < k) {
            for (int ii = 0; ii < 4; ii++) {
                int xi = xo + ii * k;
                for (int jj = 0; jj < 4; jj++) {
                    int yj = yo + jj * ys;
                    float s = out[ii * 4 + jj];
                    for (int q = p; q < k; q++) s += x[xi + q] * y[yj + q];
                    out[ii * 4 + jj] = s;
                }
            }
        }
    }

    /** out[jj] = sum_p x(p) y(jj, p) for one row of x and 4 rows of y (stride ys). */
    private static void block1x4(float[] x, int xo, int k, float[] y, int yo, int ys, float[] out) {
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
        for (int jj = 0; jj < 4 && p < k; jj++) {
            int yj = yo + jj * ys;
            float s = out[jj];
            for (int q = p; q < k; q++) s += x[xo + q] * y[yj + q];
            out[jj] = s;
        }
    }

    /** The row-update form (op(B) contiguous along N): accumulates W columns of every row of C at once. */
    private static void rowUpdates(int m, int j0, int j1, int k, float alpha, float[] a, int ao, int aRs, int aCs,
                                   float[] b, int bo, int bRs, float beta, float[] c, int co, int cRs, int cCs,
                                   float[] acc) {
        for (int jc = j0; jc < j1; jc += W) {
            int w = Math.min(W, j1 - jc);
            java.util.Arrays.fill(acc, 0, m * W, 0f);
            int wv = F.loopBound(w);
            for (int p = 0; p < k; p++) {
                int bp = bo + p * bRs + jc;
                for (int i = 0; i < m; i++) {
                    float aip = a[ao + i * aRs + p * aCs];
                    FloatVector av = FloatVector.broadcast(F, aip);
                    int ai = i * W;
                    int j = 0;
                    for (; j < wv; j += L) {
                        FloatVector.fromArray(F, b, bp + j).fma(av, FloatVector.fromArray(F, acc, ai + j))
                                .intoArray(acc, ai + j);
                    }
                    for (; j < w; j++) acc[ai + j] += aip * b[bp + j];
                }
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < w; j++) merge(c, co + i * cRs + (jc + j) * cCs, alpha * acc[i * W + j], beta);
            }
        }
    }

    private static void merge(float[] c, int idx, float v, float beta) {
        c[idx] = beta == 0f ? v : v + beta * c[idx];
    }

    /** sum_p x[xo + p] y[yo + p], the lanes summed by {@link Lanes#sum(float[], int)} and the tail added after in order. */
    public static float dot(float[] x, int xo, float[] y, int yo, int k) {
        FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
        int p = 0;
        int k2 = k - 2 * L + 1;
        for (; p < k2; p += 2 * L) {
            s0 = FloatVector.fromArray(F, x, xo + p).fma(FloatVector.fromArray(F, y, yo + p), s0);
            s1 = FloatVector.fromArray(F, x, xo + p + L).fma(FloatVector.fromArray(F, y, yo + p + L), s1);
        }
        for (; p < k - L + 1; p += L) {
            s0 = FloatVector.fromArray(F, x, xo + p).fma(FloatVector.fromArray(F, y, yo + p), s0);
        }
        float[] t = Lanes.buffer();
        s0.add(s1).intoArray(t, 0);
        float s = Lanes.sum(t, 0);
        for (; p < k; p++) s += x[xo + p] * y[yo + p];
        return s;
    }
}
