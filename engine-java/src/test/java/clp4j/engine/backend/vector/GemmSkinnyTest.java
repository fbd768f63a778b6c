package clp4j.engine.backend.vector;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The skinny GEMM path (C with at most {@link GemmSkinny#MAX_SIDE} rows or columns) against a
 * double triple loop: every M up to MAX_SIDE around the 4 x 4 register block, N and K around the
 * block and the vector width, leading dimensions wider than the matrices, offsets, alpha and beta,
 * both through {@link GemmSkinny#compute} and through {@link VectorGemm} with a 3-thread pool.
 */
class GemmSkinnyTest {
    private static CpuThreadPool pool;
    private static VectorGemm gemm;

    @BeforeAll
    static void start() {
        pool = new CpuThreadPool(3);
        gemm = new VectorGemm(pool);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    @Test
    void everySmallMAgainstTripleLoop() {
        Random rnd = new Random(5);
        int[][] nk = {{1, 1}, {3, 17}, {17, 3}, {1000, 17}, {513, 33}, {17, 1000}, {5, 513}, {64, 64}};
        for (int m = 1; m <= GemmSkinny.MAX_SIDE; m++) {
            for (int[] s : nk) {
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                    check(rnd, ta, tb, m, s[0], s[1], 1f, 0f, 0, 0, 0, true);
                    check(rnd, ta, tb, m, s[0], s[1], -0.75f, 1.25f, 3, 2, 5, (m + t) % 2 == 0);
                }
            }
        }
    }

    @Test
    void fewColumnsManyRowsIsTheTranspose() {
        Random rnd = new Random(6);
        for (int n = 1; n <= GemmSkinny.MAX_SIDE; n += 3) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                check(rnd, ta, tb, 300, n, 67, 0.5f, -2f, 1, 4, 2, false);
            }
        }
    }

    @Test
    void largeDecodingShapeThroughThePool() {
        Random rnd = new Random(8);
        check(rnd, false, true, 8, 2048, 512, 1f, 0f, 0, 0, 0, false);
        check(rnd, false, true, 16, 1000, 513, 1f, 0.5f, 0, 0, 0, false);
        check(rnd, false, false, 8, 1000, 513, 2f, 0f, 0, 0, 0, false);
    }

    @Test
    void eachElementIsSummedTheSameWayWhateverTheBlockingOrSplit() {
        // the blocks take weight rows from quarters or thirds of the column range, 4 x 4 or 8 x 3 at
        // a time, and leave columns over; none of that may change a single bit of C(i, j)
        Random rnd = new Random(9);
        for (int k : new int[]{17, 64, 515}) {
            for (int n : new int[]{7, 50, 97}) {
                int m = 11;
                float[] a = gauss(rnd, m * k), b = gauss(rnd, n * k);
                float[] whole = new float[m * n];
                GemmSkinny.compute(false, true, m, 0, n, k, 1f, a, 0, k, b, 0, k, 0f, whole, 0, n);
                for (int split : new int[]{1, Math.min(16, n - 1), n - 3}) {
                    float[] parts = new float[m * n];
                    GemmSkinny.compute(false, true, m, 0, split, k, 1f, a, 0, k, b, 0, k, 0f, parts, 0, n);
                    GemmSkinny.compute(false, true, m, split, n, k, 1f, a, 0, k, b, 0, k, 0f, parts, 0, n);
                    assertArrayEquals(whole, parts, "k=" + k + " n=" + n + " columns split at " + split);
                }
                for (int rows : new int[]{1, 4, 8}) {
                    float[] byRows = new float[m * n];
                    for (int i0 = 0; i0 < m; i0 += rows) {
                        int r = Math.min(rows, m - i0);
                        GemmSkinny.compute(false, true, r, 0, n, k, 1f, a, i0 * k, k, b, 0, k, 0f, byRows, i0 * n, n);
                    }
                    assertArrayEquals(whole, byRows, "k=" + k + " n=" + n + " rows of A " + rows + " at a time");
                }
            }
        }
    }

    @Test
    void oneRowInRegistersSumsAsTheRowUpdatesDo() {
        // one row of A keeps its sums in registers, 4 vectors of B's columns at a time (attention
        // weights times a head's values), the columns left over in memory; a second, identical row
        // sends the same product through the in-memory row updates, which must give the same bits
        Random rnd = new Random(10);
        for (int[] nk : new int[][]{{4 * Simd.L, 1}, {4 * Simd.L, 17}, {4 * Simd.L, 128}, {8 * Simd.L + 5, 33}, {Simd.L + 3, 9}}) {
            int n = nk[0], k = nk[1];
            float[] a = gauss(rnd, k), b = gauss(rnd, k * n);
            float[] two = new float[2 * k];
            System.arraycopy(a, 0, two, 0, k);
            System.arraycopy(a, 0, two, k, k);
            float[] one = new float[n], both = new float[2 * n];
            GemmSkinny.compute(false, false, 1, 0, n, k, 1f, a, 0, k, b, 0, n, 0f, one, 0, n);
            GemmSkinny.compute(false, false, 2, 0, n, k, 1f, two, 0, k, b, 0, n, 0f, both, 0, n);
            assertArrayEquals(java.util.Arrays.copyOf(both, n), one, "n=" + n + " k=" + k);
            assertArrayEquals(java.util.Arrays.copyOfRange(both, n, 2 * n), one, "n=" + n + " k=" + k + ", second row");
        }
    }

    @Test
    void onlyTheGivenColumnRangeIsWritten() {
        Random rnd = new Random(4);
        int m = 6, n = 40, k = 37;
        float[] a = gauss(rnd, m * k), b = gauss(rnd, n * k), c = new float[m * n];
        java.util.Arrays.fill(c, Float.NaN);
        GemmSkinny.compute(false, true, m, 9, 26, k, 1f, a, 0, k, b, 0, k, 0f, c, 0, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                if (j < 9 || j >= 26) assertEquals(Float.NaN, c[i * n + j], "C(" + i + ", " + j + ") outside [9, 26)");
                else assertEquals(expected(a, 0, k, false, b, 0, k, true, i, j, k), c[i * n + j], 1e-4 * (1 + k), "C(" + i + ", " + j + ")");
            }
        }
    }

    /** direct: GemmSkinny.compute on all columns; otherwise VectorGemm.gemm (serial or split over the pool). */
    private static void check(Random rnd, boolean ta, boolean tb, int m, int n, int k, float alpha, float beta,
                              int padA, int padB, int padC, boolean direct) {
        int lda = (ta ? m : k) + padA, ldb = (tb ? k : n) + padB, ldc = n + padC;
        int ao = 3, bo = 1, co = 2;
        float[] a = gauss(rnd, ao + (ta ? k : m) * lda);
        float[] b = gauss(rnd, bo + (tb ? n : k) * ldb);
        float[] c = gauss(rnd, co + m * ldc);
        float[] c0 = c.clone();
        if (direct) GemmSkinny.compute(ta, tb, m, 0, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
        else gemm.gemm(ta, tb, 1, m, n, k, alpha, a, ao, lda, 0, b, bo, ldb, 0, beta, c, co, ldc, 0);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double want = alpha * expected(a, ao, lda, ta, b, bo, ldb, tb, i, j, k) + beta * c0[co + i * ldc + j];
                double got = c[co + i * ldc + j];
                if (Math.abs(got - want) > 1e-5 * (1 + k) * (1 + Math.abs(want))) {
                    fail("m=" + m + " n=" + n + " k=" + k + " transA=" + ta + " transB=" + tb + " direct=" + direct
                            + ": C(" + i + ", " + j + ") = " + got + ", expected " + want);
                }
            }
            for (int j = n; j < ldc && i < m - 1; j++) {
                assertEquals(c0[co + i * ldc + j], c[co + i * ldc + j], "padding of C row " + i + " changed");
            }
        }
    }

    private static double expected(float[] a, int ao, int lda, boolean ta, float[] b, int bo, int ldb, boolean tb,
                                   int i, int j, int k) {
        double s = 0;
        for (int p = 0; p < k; p++) {
            double x = ta ? a[ao + p * lda + i] : a[ao + i * lda + p];
            double y = tb ? b[bo + j * ldb + p] : b[bo + p * ldb + j];
            s += x * y;
        }
        return s;
    }

    private static float[] gauss(Random rnd, int n) {
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = (float) rnd.nextGaussian();
        return d;
    }
}
