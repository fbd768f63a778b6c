package clp4j.engine.backend.vector;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The parallel GEMM path with a packed-B budget small enough that op(B) is cut into several
 * column blocks, each packed over all of K, against a double triple loop.
 */
class VectorGemmBlockingTest {

    @Test
    void columnBlocksOfSharedPackedB() {
        try (CpuThreadPool pool = new CpuThreadPool(2)) {
            // budget 64K floats, K 600: column blocks of 96 (or 104 at 128 bits) over N = 230;
            // M = 401 is past the shared-B threshold (2 threads x MIN_SHARED_ROWS) and not a
            // multiple of MR, so the guided row blocks end in a partial micro-panel
            VectorGemm gemm = new VectorGemm(pool, 1 << 16);
            Random rnd = new Random(9);
            int m = 401, n = 230, k = 600;
            assertTrue(m >= 2 * VectorGemm.MIN_SHARED_ROWS, "M must reach the shared-B path");
            for (boolean tb : new boolean[]{false, true}) {
                float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
                for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextGaussian();
                for (int i = 0; i < b.length; i++) b[i] = (float) rnd.nextGaussian();
                for (int i = 0; i < c.length; i++) c[i] = (float) rnd.nextGaussian();
                float[] c0 = c.clone();
                gemm.gemm(false, tb, 1, m, n, k, 0.5f, a, 0, k, 0, b, 0, tb ? k : n, 0, 2f, c, 0, n, 0);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int p = 0; p < k; p++) s += (double) a[i * k + p] * (tb ? b[j * k + p] : b[p * n + j]);
                        double want = 0.5 * s + 2.0 * c0[i * n + j];
                        if (Math.abs(c[i * n + j] - want) > 1e-4 * (Math.abs(want) + 1) * Math.sqrt(k)) {
                            fail("transB=" + tb + " C[" + i + "," + j + "] = " + c[i * n + j] + ", expected " + want);
                        }
                    }
                }
            }
        }
    }
}
