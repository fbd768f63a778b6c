package clp4j.engine.backend;

import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static clp4j.engine.backend.TestTensors.assertClose;
import static clp4j.engine.backend.TestTensors.assertUntouchedAround;
import static clp4j.engine.backend.TestTensors.atOffset;
import static clp4j.engine.backend.TestTensors.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ReferenceBackend embedding, permute, dropout and CLP mixing against hand-computed values. */
class ReferenceBackendLayoutTest {
    private final ReferenceBackend be = new ReferenceBackend();
    private final Random rnd = new Random(13);

    @Test
    void embeddingGatherAndScatterAddWithRepeatedIds() {
        Tensor table = atOffset(be, new float[]{0, 1, 10, 11, 20, 21, 30, 31}, 4, 2);
        int[] ids = {2, 0, 2, 3};
        Tensor out = atOffset(be, new float[8], 4, 2);
        be.embeddingGather(table, ids, out);
        assertArrayEquals(new float[]{20, 21, 0, 1, 20, 21, 30, 31}, out.toArray());
        Tensor gTable = atOffset(be, new float[]{1, 1, 1, 1, 1, 1, 1, 1}, 4, 2);
        be.embeddingScatterAdd(be.fromArray(new float[]{1, 2, 3, 4, 5, 6, 7, 8}, 4, 2), ids, gTable);
        assertArrayEquals(new float[]{4, 5, 1, 1, 7, 9, 8, 9}, gTable.toArray());
        assertUntouchedAround(out);
        assertUntouchedAround(gTable);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> be.embeddingGather(table, new int[]{0, 4}, be.zeros(2, 2)));
        assertTrue(e.getMessage().contains("id 4 at index 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> be.embeddingGather(table, new int[]{-1}, be.zeros(1, 2)));
    }

    @Test
    void permuteHandComputedAndRandom4d() {
        Tensor x = atOffset(be, new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor t = atOffset(be, new float[6], 3, 2);
        be.permute(x, new int[]{1, 0}, t);
        assertArrayEquals(new float[]{1, 4, 2, 5, 3, 6}, t.toArray());
        assertUntouchedAround(t);

        int[] s = {2, 3, 17, 5};
        float[] d = uniform(rnd, 2 * 3 * 17 * 5);
        int[] perm = {0, 2, 3, 1};
        Tensor out = atOffset(be, new float[d.length], 2, 17, 5, 3);
        be.permute(atOffset(be, d, s), perm, out);
        float[] o = out.toArray();
        for (int a = 0; a < 2; a++) for (int b = 0; b < 3; b++) for (int c = 0; c < 17; c++) for (int e = 0; e < 5; e++) {
            assertEquals(d[((a * 3 + b) * 17 + c) * 5 + e], o[((a * 17 + c) * 5 + e) * 3 + b]);
        }
        assertThrows(IllegalArgumentException.class, () -> be.permute(x, new int[]{0, 0}, be.zeros(2, 2)));
        assertThrows(IllegalArgumentException.class, () -> be.permute(x, new int[]{1, 0}, be.zeros(2, 3)));
    }

    @Test
    void dropoutKeepsAboutOneMinusPScaledAndIsDeterministic() {
        int n = 10_000;
        float p = 0.25f;
        float[] x = uniform(rnd, n, 0.5f, 1.5f);
        Tensor xt = atOffset(be, x, n);
        Tensor a = atOffset(be, new float[n], n), b = be.zeros(n), c = be.zeros(n);
        be.dropout(xt, p, 77L, a);
        be.dropout(xt, p, 77L, b);
        be.dropout(xt, p, 78L, c);
        float[] av = a.toArray();
        assertArrayEquals(av, b.toArray(), "same seed, same mask");
        int kept = 0, differ = 0;
        float[] cv = c.toArray();
        for (int i = 0; i < n; i++) {
            boolean keep = Backend.dropoutKeep(77L, i, p);
            assertEquals(keep ? x[i] / (1 - p) : 0f, av[i], "element " + i);
            if (keep) kept++;
            if ((av[i] == 0) != (cv[i] == 0)) differ++;
        }
        assertEquals(0.75, kept / (double) n, 0.02);
        assertTrue(differ > n / 10, "another seed draws another mask");
        assertUntouchedAround(a);
        Tensor same = be.zeros(n);
        be.dropout(xt, 0f, 5L, same);
        assertArrayEquals(x, same.toArray());
        assertThrows(IllegalArgumentException.class, () -> be.dropout(xt, 1.5f, 1L, be.zeros(n)));
    }

    @Test
    void mixAndMixBackwardHandComputed() {
        Tensor x0 = atOffset(be, new float[]{1, 2}, 2), x1 = atOffset(be, new float[]{3, 4}, 2);
        Tensor ref = atOffset(be, new float[]{10, 20}, 2);
        Tensor out = atOffset(be, new float[2], 2);
        float[] w = {0.25f, 0.75f};
        be.mix(new Tensor[]{x0, x1}, w, 0.2f, ref, out);
        assertArrayEquals(new float[]{4f, 6.8f}, out.toArray(), 1e-6f);
        be.mix(new Tensor[]{x0, x1}, w, 0.2f, null, out);
        assertArrayEquals(new float[]{2f, 2.8f}, out.toArray(), 1e-6f);
        be.mix(new Tensor[]{x1}, new float[]{1f}, 0f, null, out);
        assertArrayEquals(new float[]{3f, 4f}, out.toArray());
        assertUntouchedAround(out);

        Tensor g0 = atOffset(be, new float[]{1, 1}, 2), g1 = be.zeros(2), g2 = be.zeros(2);
        be.mixBackward(be.fromArray(new float[]{10, -5}, 2), new float[]{0.5f, 0.25f, 0.25f}, 0.2f, new Tensor[]{g0, g1, g2});
        assertArrayEquals(new float[]{5f, -1f}, g0.toArray(), 1e-6f);   // 1 + 0.8 * 0.5 * g
        assertArrayEquals(new float[]{2f, -1f}, g1.toArray(), 1e-6f);
        assertArrayEquals(new float[]{2f, -1f}, g2.toArray(), 1e-6f);
        assertUntouchedAround(g0);
        assertThrows(IllegalArgumentException.class, () -> be.mix(new Tensor[]{x0, x1}, new float[]{1f}, 0f, null, out));
        assertThrows(IllegalArgumentException.class, () -> be.mix(new Tensor[]{x0, be.zeros(3)}, w, 0f, null, out));
    }

    @Test
    void mixRandomAwkwardSizes() {
        for (int n : new int[]{1, 3, 17, 1000}) {
            for (int m = 1; m <= 3; m++) {
                float[][] xs = new float[m][];
                Tensor[] xt = new Tensor[m];
                float[] w = uniform(rnd, m, 0f, 1f);
                for (int i = 0; i < m; i++) { xs[i] = uniform(rnd, n); xt[i] = atOffset(be, xs[i], n); }
                float[] ref = uniform(rnd, n);
                Tensor out = be.zeros(n);
                be.mix(xt, w, 0.3f, atOffset(be, ref, n), out);
                double[] want = new double[n];
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int i = 0; i < m; i++) s += (double) w[i] * xs[i][j];
                    want[j] = 0.7 * s + 0.3 * ref[j];
                }
                assertClose("mix n=" + n + " m=" + m, want, out.toArray(), 1e-6);
            }
        }
    }
}
