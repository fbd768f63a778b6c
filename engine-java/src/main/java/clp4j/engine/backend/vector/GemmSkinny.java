package clp4j.engine.backend.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Products where C has at most {@link #MAX_SIDE} rows or columns (matrix-vector work, such as
 * one decoding step through a linear layer). Packing would read B twice and pad the tile to
 * MR rows, so these read the operands in place instead: dot products along K when op(B) is
 * contiguous along K, otherwise row updates along N. A C with few columns is computed as its
 * transpose, C^T = op(B)^T op(A)^T, through the same code with the strides swapped.
 */
final class GemmSkinny {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = Simd.L;
    static final int MAX_SIDE = 4;
    /** Columns accumulated at once in the row-update form (MAX_SIDE x W floats stay in L1). */
    private static final int W = 1024;

    private static final ThreadLocal<float[][]> WORKSPACE =
            ThreadLocal.withInitial(() -> new float[][]{new float[0], new float[MAX_SIDE * W]});

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
                for (int p = 0; p < k; p++) ar[i * k + p] = a[ao + i * aRs + p * aCs];
            }
            for (int j = j0; j < j1; j++) {
                int bj = bo + j * bCs;
                for (int i = 0; i < m; i++) {
                    float s = dot(ar, i * k, b, bj, k);
                    merge(c, co + i * cRs + j * cCs, alpha * s, beta);
                }
            }
        } else {
            // op(B) contiguous along N (bCs == 1): accumulate W columns of each row at once
            float[] acc = ws[1];
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
    }

    private static void merge(float[] c, int idx, float v, float beta) {
        c[idx] = beta == 0f ? v : v + beta * c[idx];
    }

    /** sum_p x[xo + p] y[yo + p]. */
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
        float s = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; p < k; p++) s += x[xo + p] * y[yo + p];
        return s;
    }
}
