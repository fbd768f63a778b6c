package clp4j.engine.backend;

import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static clp4j.engine.backend.TestTensors.assertClose;
import static clp4j.engine.backend.TestTensors.assertUntouchedAround;
import static clp4j.engine.backend.TestTensors.atOffset;
import static clp4j.engine.backend.TestTensors.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** ReferenceBackend AdamW and Adafactor steps against hand-computed values and the T5X formulas. */
class ReferenceBackendOptimTest {
    private final ReferenceBackend be = new ReferenceBackend();
    private final Random rnd = new Random(21);

    @Test
    void adamwTwoStepsByHand() {
        Tensor p = atOffset(be, new float[]{1f, -2f}, 2), m = atOffset(be, new float[2], 2), v = atOffset(be, new float[2], 2);
        float[] g1 = {0.5f, -1f}, g2 = {-0.25f, 2f};
        double lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.01;
        double[] pd = {1, -2}, md = {0, 0}, vd = {0, 0};
        float[][] gs = {g1, g2};
        for (int t = 1; t <= 2; t++) {
            be.adamwUpdate(p, be.fromArray(gs[t - 1], 2), m, v, new AdamWParams(0.1f, 0.9f, 0.999f, 1e-8f, 0.01f, t));
            for (int i = 0; i < 2; i++) {
                double g = gs[t - 1][i];
                md[i] = b1 * md[i] + (1 - b1) * g;
                vd[i] = b2 * vd[i] + (1 - b2) * g * g;
                pd[i] -= lr * wd * pd[i];
                pd[i] -= lr * (md[i] / (1 - Math.pow(b1, t))) / (Math.sqrt(vd[i] / (1 - Math.pow(b2, t))) + eps);
            }
        }
        assertClose("adamw p", pd, p.toArray(), 1e-6);
        assertClose("adamw m", md, m.toArray(), 1e-6);
        assertClose("adamw v", vd, v.toArray(), 1e-6);
        assertUntouchedAround(p);
        assertUntouchedAround(v);
        assertThrows(IllegalArgumentException.class,
                () -> be.adamwUpdate(p, be.zeros(3), m, v, new AdamWParams(0.1f, 0.9f, 0.999f, 1e-8f, 0f, 1)));
    }

    @Test
    void adafactorUnfactoredByHand() {
        // v = 0.2 * 0.25 = 0.05; y = 0.5 / sqrt(0.05) = 2.236 -> clipped to 1; scale = 0.1 * RMS(p) = 0.2
        Tensor p = be.fromArray(new float[]{2f}, 1), v = be.zeros(1);
        be.adafactorUpdate(p, be.fromArray(new float[]{0.5f}, 1), null, null, v,
                new AdafactorParams(0.1f, 0.8f, 0f, 1e-3f, 1f, true, 0f));
        assertArrayEquals(new float[]{1.8f}, p.toArray(), 1e-6f);
        assertArrayEquals(new float[]{0.05f}, v.toArray(), 1e-8f);
        // with decoupled weight decay 0.5: p -= lr * wd * p_old = 0.1
        Tensor p2 = be.fromArray(new float[]{2f}, 1), v2 = be.zeros(1);
        be.adafactorUpdate(p2, be.fromArray(new float[]{0.5f}, 1), null, null, v2,
                new AdafactorParams(0.1f, 0.8f, 0f, 1e-3f, 1f, true, 0.5f));
        assertArrayEquals(new float[]{1.7f}, p2.toArray(), 1e-6f);
    }

    @Test
    void adafactorFactoredByHand() {
        // g = [[1,2],[3,4]], mixing 1: vRow = [2.5, 12.5], vCol = [5, 10], rowColMean = 7.5
        Tensor p = be.fromArray(new float[]{1, 1, 1, 1}, 2, 2);
        Tensor vRow = be.zeros(2), vCol = be.zeros(2);
        be.adafactorUpdate(p, be.fromArray(new float[]{1, 2, 3, 4}, 2, 2), vRow, vCol, null,
                new AdafactorParams(1f, 0f, 0f, 1e-3f, 0f, false, 0f));
        double r0 = Math.sqrt(3), r1 = Math.sqrt(0.6), c0 = 1 / Math.sqrt(5), c1 = 1 / Math.sqrt(10);
        assertClose("factored p", new double[]{1 - r0 * c0, 1 - 2 * r0 * c1, 1 - 3 * r1 * c0, 1 - 4 * r1 * c1}, p.toArray(), 1e-6);
        assertArrayEquals(new float[]{2.5f, 12.5f}, vRow.toArray());
        assertArrayEquals(new float[]{5f, 10f}, vCol.toArray());
    }

    /** The T5X step of the brief, written out per batch element in double. */
    private static double[] adafactorExpected(float[] p, float[] g, double[] vRow, double[] vCol, double[] v,
                                              int batch, int rows, int cols, AdafactorParams a) {
        int n = p.length;
        double decay = a.decay(), mixing = 1 - decay;
        double[] y = new double[n];
        if (v != null) {
            for (int j = 0; j < n; j++) {
                v[j] = decay * v[j] + mixing * ((double) g[j] * g[j] + a.epsilon1());
                y[j] = g[j] / Math.sqrt(v[j]);
            }
        } else {
            for (int b = 0; b < batch; b++) {
                for (int r = 0; r < rows; r++) {
                    double s = 0;
                    for (int c = 0; c < cols; c++) { double gg = g[(b * rows + r) * cols + c]; s += gg * gg + a.epsilon1(); }
                    vRow[b * rows + r] = decay * vRow[b * rows + r] + mixing * s / cols;
                }
                for (int c = 0; c < cols; c++) {
                    double s = 0;
                    for (int r = 0; r < rows; r++) { double gg = g[(b * rows + r) * cols + c]; s += gg * gg + a.epsilon1(); }
                    vCol[b * cols + c] = decay * vCol[b * cols + c] + mixing * s / rows;
                }
                double rowColMean = 0;
                for (int r = 0; r < rows; r++) rowColMean += vRow[b * rows + r] / rows;
                for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) {
                    int j = (b * rows + r) * cols + c;
                    y[j] = g[j] / Math.sqrt(vRow[b * rows + r] / rowColMean) / Math.sqrt(vCol[b * cols + c]);
                }
            }
        }
        if (a.clipThreshold() > 0) {
            double ss = 0;
            for (double d : y) ss += d * d;
            double div = Math.max(1, Math.sqrt(ss / n) / a.clipThreshold());
            for (int j = 0; j < n; j++) y[j] /= div;
        }
        double pss = 0;
        for (float f : p) pss += (double) f * f;
        double scale = a.learningRate() * (a.scaleParameter() ? Math.max(Math.sqrt(pss / n), a.epsilon2()) : 1);
        double[] out = new double[n];
        for (int j = 0; j < n; j++) out[j] = p[j] - scale * y[j] - (double) a.learningRate() * a.weightDecay() * p[j];
        return out;
    }

    @Test
    void adafactorRandomFactoredAndUnfactoredTwoSteps() {
        AdafactorParams[] settings = {
                new AdafactorParams(0.01f, 0.8f, 1e-30f, 1e-3f, 1f, true, 0f),
                new AdafactorParams(0.05f, 0.5f, 1e-30f, 1e-3f, 0f, false, 0.1f),
                new AdafactorParams(0.001f, 0.99f, 1e-30f, 1f, 0.5f, true, 0.01f)};
        for (AdafactorParams a : settings) {
            int batch = 2, rows = 3, cols = 17;
            float[] p = uniform(rnd, batch * rows * cols);
            Tensor pt = atOffset(be, p, batch, rows, cols);
            Tensor vr = atOffset(be, new float[batch * rows], batch, rows), vc = atOffset(be, new float[batch * cols], batch, cols);
            double[] vRow = new double[batch * rows], vCol = new double[batch * cols];
            float[] q = uniform(rnd, 1000);
            Tensor qt = atOffset(be, q, 1000), vt = atOffset(be, new float[1000], 1000);
            double[] v = new double[1000];
            for (int step = 0; step < 2; step++) {
                float[] g = uniform(rnd, p.length), gq = uniform(rnd, 1000);
                double[] wantP = adafactorExpected(pt.toArray(), g, vRow, vCol, null, batch, rows, cols, a);
                double[] wantQ = adafactorExpected(qt.toArray(), gq, null, null, v, 0, 0, 0, a);
                be.adafactorUpdate(pt, atOffset(be, g, batch, rows, cols), vr, vc, null, a);
                be.adafactorUpdate(qt, atOffset(be, gq, 1000), null, null, vt, a);
                assertClose("factored p " + a, wantP, pt.toArray(), 1e-6);
                assertClose("vRow " + a, vRow, vr.toArray(), 1e-6);
                assertClose("vCol " + a, vCol, vc.toArray(), 1e-6);
                assertClose("unfactored p " + a, wantQ, qt.toArray(), 1e-6);
                assertClose("v " + a, v, vt.toArray(), 1e-6);
                assertUntouchedAround(pt);
                assertUntouchedAround(vr);
                assertUntouchedAround(vc);
            }
        }
    }

    @Test
    void adafactorRejectsWrongStateShapes() {
        Tensor p = be.zeros(3, 4), g = be.zeros(3, 4);
        AdafactorParams a = new AdafactorParams(0.01f, 0.8f, 1e-30f, 1e-3f, 1f, true, 0f);
        assertThrows(IllegalArgumentException.class, () -> be.adafactorUpdate(p, g, be.zeros(4), be.zeros(3), null, a));
        assertThrows(IllegalArgumentException.class, () -> be.adafactorUpdate(p, g, null, null, be.zeros(4, 3), a));
        assertThrows(IllegalArgumentException.class, () -> be.adafactorUpdate(p, g, null, null, null, a));
    }
}
