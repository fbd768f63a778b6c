package clp4j.engine.backend.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Products where C has at most {@link #MAX_SIDE} rows or columns (matrix-vector work and small
 * batches, such as one greedy-decoding step of a batch through a linear layer). Packing would
 * copy all of B (the whole weight) on every call, so these read the operands in place instead:
 * register-blocked dot products along K when op(B) is contiguous along K ({@link DotBlocks}: 3
 * rows of op(B)^T by 8 rows of A, or 4 by 4 for fewer rows, so each weight row is read from memory
 * once per call for all rows of A), otherwise row updates along N. A C with few columns is
 * computed as its transpose, C^T = op(B)^T op(A)^T, through the same code with the strides swapped.
 */
final class GemmSkinny {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = Simd.L;
    static final int MAX_SIDE = 16;
    /** Columns accumulated at once in the row-update form (MAX_SIDE x W floats = 16 KiB stay in L1). */
    private static final int W = 256;

    /** Per thread: A's rows made contiguous, row-update accumulators, one block of dot products and the blocks' vector scratch. */
    private static final ThreadLocal<float[][]> WORKSPACE =
            ThreadLocal.withInitial(() -> new float[][]{new float[0], new float[MAX_SIDE * W], new float[24], new float[24 * L]});

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
     * A block's weight rows come from the S quarters (S = 4) or thirds (S = 3) of [j0, j1) (rows j,
     * j + q, ...), not from neighbours: a decoding step streams its weights from memory, and the L2
     * hardware prefetcher follows each 4 KiB page as one stream, so neighbouring 2 KiB rows (K = 512)
     * were one stream at a time and S separate ranges are S (scratch timing on a decoder step's
     * weights: 11.6 -> 14.7 GB/s median over 2 threads; a native loop with software prefetch reaches
     * about 25). With 8 or more rows of A, 3 weight rows meet 8 rows of A in one pass (24
     * accumulators), so each weight vector is loaded once for its 8 products instead of once from
     * memory and again from L1 (another 8-10 %, scratch timing). Every C(i, j) is summed the same way
     * in every block (one accumulator along K, {@link Lanes}' tree, the tail in order), so the results
     * do not depend on the blocking or on how the columns were split between threads. A single row
     * of A meets 16 weight rows at a time (S = 16): with short rows (attention scores, K = 64) the
     * lane sums cost more than the products, and 16 of them combine in one call.
     */
    private static void dots(int m, int j0, int j1, int k, float alpha, float[] ar, float[] b, int bo, int bCs,
                             float beta, float[] c, int co, int cRs, int cCs, float[] blk, float[] acc) {
        boolean wide = m >= 8;
        int streams = m == 1 ? 16 : wide ? 3 : 4, rowsPerBlock = wide ? 8 : 4;
        int q = (j1 - j0) / streams;
        int ys = q * bCs;
        for (int j = j0; j < j0 + q; j++) {
            int bj = bo + j * bCs;
            if (m == 1) {
                DotBlocks.block1x16(ar, 0, k, b, bj, ys, blk, acc);
                mergeBlock(1, 16, blk, alpha, beta, c, co + j * cCs, cRs, q * cCs);
                continue;
            }
            int i = 0;
            for (; i + rowsPerBlock <= m; i += rowsPerBlock) {
                if (wide) DotBlocks.block8x3(ar, i * k, k, b, bj, ys, blk, acc);
                else DotBlocks.block4x4(ar, i * k, k, b, bj, ys, blk, acc);
                mergeBlock(rowsPerBlock, streams, blk, alpha, beta, c, co + i * cRs + j * cCs, cRs, q * cCs);
            }
            for (; i < m; i++) {
                if (wide) {
                    // rows past the last 8 (9 to 15 rows): the 3 weight rows are in L1 by now
                    for (int s = 0; s < 3; s++) blk[s] = DotBlocks.block1x1(ar, i * k, k, b, bj + s * ys);
                } else {
                    DotBlocks.block1x4(ar, i * k, k, b, bj, ys, blk);
                }
                mergeBlock(1, streams, blk, alpha, beta, c, co + i * cRs + j * cCs, cRs, q * cCs);
            }
        }
        for (int j = j0 + streams * q; j < j1; j++) {
            for (int i = 0; i < m; i++) {
                merge(c, co + i * cRs + j * cCs, alpha * DotBlocks.block1x1(ar, i * k, k, b, bo + j * bCs), beta);
            }
        }
    }

    /** C(r, s) (at c[cBase + r cRs + s cStep]) from blk[r cols + s] for a rows x cols block. */
    private static void mergeBlock(int rows, int cols, float[] blk, float alpha, float beta, float[] c, int cBase, int cRs, int cStep) {
        for (int r = 0; r < rows; r++) {
            for (int s = 0; s < cols; s++) merge(c, cBase + r * cRs + s * cStep, alpha * blk[r * cols + s], beta);
        }
    }

    /** The row-update form (op(B) contiguous along N): accumulates W columns of every row of C at once. */
    private static void rowUpdates(int m, int j0, int j1, int k, float alpha, float[] a, int ao, int aRs, int aCs,
                                   float[] b, int bo, int bRs, float beta, float[] c, int co, int cRs, int cCs,
                                   float[] acc) {
        for (int jc = j0; jc < j1; jc += W) {
            int w = Math.min(W, j1 - jc);
            java.util.Arrays.fill(acc, 0, m * W, 0f);
            // a single row of A sums 4 vectors of columns at a time in registers; what is left, in memory
            int inRegisters = m == 1 ? w / (4 * L) * (4 * L) : 0;
            for (int j = 0; j < inRegisters; j += 4 * L) oneRowOfFourVectors(k, a, ao, aCs, b, bo + jc + j, bRs, acc, j);
            int wv = inRegisters + F.loopBound(w - inRegisters);
            for (int p = 0; p < k && inRegisters < w; p++) {
                int bp = bo + p * bRs + jc;
                for (int i = 0; i < m; i++) {
                    float aip = a[ao + i * aRs + p * aCs];
                    FloatVector av = FloatVector.broadcast(F, aip);
                    int ai = i * W;
                    int j = inRegisters;
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

    /**
     * {@link #rowUpdates}' sums for one row of A and 4 vectors of columns (a decoding step's
     * attention weights times one head's values: d_kv = 64 is one such chunk at 512 bits), with the
     * accumulators in registers instead of memory: the same fused multiply-adds in the same order, without a
     * store-to-load round trip per row of B. Writes acc[at .. at + 4 L).
     */
    private static void oneRowOfFourVectors(int k, float[] a, int ao, int aCs, float[] b, int bo, int bRs, float[] acc, int at) {
        FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0;
        for (int p = 0; p < k; p++) {
            FloatVector av = FloatVector.broadcast(F, a[ao + p * aCs]);
            int bp = bo + p * bRs;
            c0 = FloatVector.fromArray(F, b, bp).fma(av, c0);
            c1 = FloatVector.fromArray(F, b, bp + L).fma(av, c1);
            c2 = FloatVector.fromArray(F, b, bp + 2 * L).fma(av, c2);
            c3 = FloatVector.fromArray(F, b, bp + 3 * L).fma(av, c3);
        }
        c0.intoArray(acc, at);
        c1.intoArray(acc, at + L);
        c2.intoArray(acc, at + 2 * L);
        c3.intoArray(acc, at + 3 * L);
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
