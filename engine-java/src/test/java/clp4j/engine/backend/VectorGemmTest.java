package clp4j.engine.backend;

import clp4j.engine.backend.vector.CpuThreadPool;
import clp4j.engine.backend.vector.Simd;
import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * VectorBackend.gemm against a naive triple loop in double: awkward sizes around the micro-tile,
 * the cache blocks and the skinny path, all transposes, batches, leading dimensions wider than
 * the matrices, offsets, shared operands, alpha and beta. Runs with a 3-thread pool so the
 * parallel splits are exercised even on 2 cores.
 */
class VectorGemmTest {
    private static VectorBackend vb;

    @BeforeAll
    static void start() {
        vb = new VectorBackend(new CpuThreadPool(3));
    }

    @AfterAll
    static void stop() {
        vb.close();
    }

    @Test
    void awkwardSizesAllTransposes() {
        int[][] sizes = {{1, 1, 1}, {3, 17, 1}, {17, 3, 5}, {1, 1000, 17}, {1000, 1, 17}, {17, 1000, 3},
                {4, 33, 65}, {5, 40, 300}, {33, 5, 270}, {8, 32, 256}, {9, 33, 257}, {200, 70, 300},
                {37, 129, 100}, {2, 3, 1000}, {100, 100, 1}};
        Random rnd = new Random(7);
        for (int[] s : sizes) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                check(rnd, ta, tb, 1, s[0], s[1], s[2], 1f, 0f, 0, 0, 0);
                check(rnd, ta, tb, 1, s[0], s[1], s[2], -0.5f, 1.5f, 3, 5, 2);
            }
        }
    }

    @Test
    void batchedWithStridesSharedOperandsAndAlphaBeta() {
        Random rnd = new Random(11);
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
            check(rnd, ta, tb, 5, 17, 3, 33, 2f, 0.25f, 1, 2, 3);
            check(rnd, ta, tb, 3, 64, 96, 40, 1f, 1f, 0, 7, 0);
            check(rnd, ta, tb, 7, 2, 50, 9, 0.5f, 0f, 4, 0, 1);
            check(rnd, ta, tb, 2, 300, 260, 70, 1f, -1f, 0, 0, 0);
        }
    }

    @Test
    void largeSquareMatchesAcrossBlocks() {
        check(new Random(3), false, false, 1, 520, 530, 600, 1f, 0f, 0, 0, 0);
        check(new Random(4), true, true, 1, 300, 260, 513, 1f, 0.5f, 2, 1, 3);
        // rows enough for the shared-B path, A transposed (its packing gathers down columns)
        check(new Random(6), true, false, 1, 421, 90, 530, 0.5f, 1f, 3, 0, 1);
    }

    @Test
    void everySmallShapeAroundTheMicroTile() {
        // M and N 1..20 cover partial 12-row tiles and partial 2-vector column panels at every
        // width; K 1 and 3 are single-step and odd K loops
        Random rnd = new Random(13);
        for (int m = 1; m <= 20; m++) {
            for (int n = 1; n <= 20; n++) {
                int t = (m + n) & 3;
                check(rnd, (t & 1) != 0, (t & 2) != 0, 1, m, n, 1 + 2 * ((m * n) & 1), 1f, 0.5f, 1, 0, 2);
            }
        }
        int[][] edges = {{12, 32, 1}, {13, 31, 2}, {24, 64, 1}, {25, 65, 3}, {23, 33, 257}, {36, 96, 255}, {11, 97, 40}};
        for (int[] s : edges) {
            for (int t = 0; t < 4; t++) check(rnd, (t & 1) != 0, (t & 2) != 0, 1, s[0], s[1], s[2], 0.75f, -1f, 2, 3, 1);
        }
    }

    @Test
    void sameResultsOnEveryRun() {
        // rows are split into fixed blocks, each finished over all of K by one thread, so the
        // sums do not depend on which thread ran which block
        Random rnd = new Random(5);
        int m = 390, n = 300, k = 700;
        Tensor a = vb.fromArray(random(rnd, m * k), m, k), b = vb.fromArray(random(rnd, k * n), k, n);
        Tensor c1 = vb.zeros(m, n), c2 = vb.zeros(m, n);
        vb.gemm(false, false, 1, m, n, k, 1f, a, 0, k, 0, b, 0, n, 0, 0f, c1, 0, n, 0);
        for (int run = 0; run < 3; run++) {
            vb.gemm(false, false, 1, m, n, k, 1f, a, 0, k, 0, b, 0, n, 0, 0f, c2, 0, n, 0);
            assertArrayEquals(c1.toArray(), c2.toArray(), "run " + run);
        }
    }

    @Test
    void betaZeroDoesNotReadC() {
        Tensor a = vb.fromArray(new float[]{1, 2, 3, 4}, 2, 2);
        Tensor b = vb.fromArray(new float[]{1, 0, 0, 1}, 2, 2);
        Tensor c = vb.fromArray(new float[]{Float.NaN, Float.NaN, Float.NaN, Float.NaN}, 2, 2);
        vb.gemm(false, false, 1, 2, 2, 2, 1f, a, 0, 2, 0, b, 0, 2, 0, 0f, c, 0, 2, 0);
        float[] out = c.toArray();
        for (int i = 0; i < 4; i++) assertEquals(i + 1, out[i], 0f);
        // k == 0: C = beta C, here 0 with NaN input
        Tensor c2 = vb.fromArray(new float[]{Float.NaN, 1f}, 1, 2);
        vb.gemm(false, false, 1, 1, 2, 0, 1f, a, 0, 1, 0, b, 0, 2, 0, 0f, c2, 0, 2, 0);
        assertEquals(0f, c2.toArray()[0]);
    }

    @Test
    void operandPastItsStorageIsAnError() {
        Tensor a = vb.zeros(4, 4), b = vb.zeros(4, 4), c = vb.zeros(4, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> vb.gemm(false, false, 2, 4, 4, 4, 1f, a, 0, 4, 16, b, 0, 4, 0, 0f, c, 0, 4, 0));
        assertFalse(e.getMessage().isEmpty());
    }

    @Test
    void vectorWidthIsTheConfiguredOne() {
        String bits = System.getProperty(Simd.PROPERTY);
        if (bits != null && !bits.isBlank()) assertEquals(Integer.parseInt(bits.trim()), vb.vectorBits());
    }

    /** Runs one gemm with padded leading dimensions and offsets and compares every element of C. */
    private static void check(Random rnd, boolean ta, boolean tb, int batch, int m, int n, int k,
                              float alpha, float beta, int padA, int padB, int padC) {
        int rowsA = ta ? k : m, colsA = ta ? m : k;
        int rowsB = tb ? n : k, colsB = tb ? k : n;
        int lda = colsA + padA, ldb = colsB + padB, ldc = n + padC;
        boolean shareB = batch > 1 && (m + n) % 2 == 0;
        long strideA = (long) rowsA * lda + padA, strideB = shareB ? 0 : (long) rowsB * ldb + 1, strideC = (long) m * ldc + padC;
        int aOff = 3, bOff = 1, cOff = 2;
        float[] a = random(rnd, (int) (aOff + batch * strideA));
        float[] b = random(rnd, (int) (bOff + (shareB ? 1 : batch) * Math.max(strideB, (long) rowsB * ldb)));
        float[] c = random(rnd, (int) (cOff + batch * strideC));
        double[] want = new double[c.length];
        for (int i = 0; i < c.length; i++) want[i] = c[i];
        for (int t = 0; t < batch; t++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        double av = a[(int) (aOff + t * strideA + (ta ? (long) p * lda + i : (long) i * lda + p))];
                        double bv = b[(int) (bOff + t * strideB + (tb ? (long) j * ldb + p : (long) p * ldb + j))];
                        s += av * bv;
                    }
                    int ci = (int) (cOff + t * strideC + (long) i * ldc + j);
                    want[ci] = alpha * s + (beta == 0f ? 0 : beta * c[ci]);
                }
            }
        }
        Tensor ta1 = vb.fromArray(a, a.length), tb1 = vb.fromArray(b, b.length), tc = vb.fromArray(c, c.length);
        vb.gemm(ta, tb, batch, m, n, k, alpha, ta1, aOff, lda, strideA, tb1, bOff, ldb, strideB,
                beta, tc, cOff, ldc, strideC);
        float[] got = tc.toArray();
        for (int i = 0; i < got.length; i++) {
            double tol = 1e-5 * (Math.sqrt(k) + 1) * (Math.abs(want[i]) + 1);
            if (Math.abs(got[i] - want[i]) > tol) {
                fail("gemm ta=" + ta + " tb=" + tb + " batch=" + batch + " m=" + m + " n=" + n + " k=" + k + " alpha=" + alpha
                        + " beta=" + beta + ": C[" + i + "] = " + got[i] + ", expected " + want[i]);
            }
        }
    }

    private static float[] random(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rnd.nextGaussian();
        return x;
    }
}
