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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ReferenceBackend last-axis ops (reductions, softmax, cross-entropy, RMS norm) against double formulas. */
class ReferenceBackendRowsTest {
    private static final float MOST_NEGATIVE = -Float.MAX_VALUE;
    private final ReferenceBackend be = new ReferenceBackend();
    private final Random rnd = new Random(9);

    @Test
    void reductionsOverAwkwardSizes() {
        for (int n : new int[]{1, 3, 17, 1000}) {
            int rows = 3;
            float[] x = uniform(rnd, rows * n);
            Tensor xt = atOffset(be, x, rows, n);
            for (ReduceOp op : ReduceOp.values()) {
                Tensor y = atOffset(be, new float[rows], rows, 1);
                be.reduceLast(op, xt, y);
                double[] want = new double[rows];
                for (int r = 0; r < rows; r++) {
                    double s = 0, max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < n; j++) { s += x[r * n + j]; max = Math.max(max, x[r * n + j]); }
                    want[r] = switch (op) { case SUM -> s; case MEAN -> s / n; case MAX -> max; };
                }
                assertClose(op + " n=" + n, want, y.toArray(), 1e-6);
                assertUntouchedAround(y);
                float[] gy = {1.5f, -2f, 0.5f};
                Tensor gx = atOffset(be, new float[rows * n], rows, n);
                be.reduceLastBackward(op, xt, y, be.fromArray(gy, rows, 1), gx);
                float[] g = gx.toArray();
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < n; j++) {
                        double w = switch (op) {
                            case SUM -> gy[r];
                            case MEAN -> gy[r] / (double) n;
                            case MAX -> x[r * n + j] == (float) want[r] ? gy[r] : 0;
                        };
                        assertEquals(w, g[r * n + j], 1e-7, op + " backward row " + r + " col " + j);
                    }
                }
                assertUntouchedAround(gx);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> be.reduceLast(ReduceOp.SUM, be.zeros(2, 3), be.zeros(2)));
    }

    @Test
    void maxBackwardGoesToTheFirstMaximum() {
        Tensor x = be.fromArray(new float[]{1, 5, 5, 2}, 1, 4);
        Tensor y = be.zeros(1, 1);
        be.reduceLast(ReduceOp.MAX, x, y);
        Tensor gx = be.zeros(1, 4);
        be.reduceLastBackward(ReduceOp.MAX, x, y, be.fromArray(new float[]{3}, 1, 1), gx);
        assertArrayEquals(new float[]{0, 3, 0, 0}, gx.toArray());
    }

    /** softmax(x + mask) of one row, in double after the float addition. */
    private static double[] softmaxRow(float[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : z) max = Math.max(max, v);
        double[] out = new double[z.length];
        double s = 0;
        for (int j = 0; j < z.length; j++) s += Math.exp(z[j] - max);
        for (int j = 0; j < z.length; j++) out[j] = Math.exp(z[j] - max) / s;
        return out;
    }

    @Test
    void softmaxAndLogSoftmaxWithBroadcastMaskAwkwardSizes() {
        for (int n : new int[]{1, 3, 17, 1000}) {
            int b = 2, h = 3, q = 2;
            float[] x = uniform(rnd, b * h * q * n, -4f, 4f);
            float[] mask = new float[b * n];
            for (int i = 0; i < mask.length; i++) mask[i] = i % 3 == 1 ? MOST_NEGATIVE : (i % 5 == 2 ? Float.NEGATIVE_INFINITY : 0f);
            mask[0] = 0f; // keep one entry of every batch row finite
            mask[n] = 0f;
            Tensor xt = atOffset(be, x, b, h, q, n);
            Tensor mt = atOffset(be, mask, b, 1, 1, n);
            Tensor y = atOffset(be, new float[x.length], b, h, q, n);
            Tensor ly = atOffset(be, new float[x.length], b, h, q, n);
            be.softmax(xt, mt, y);
            be.logSoftmax(xt, mt, ly);
            double[] want = new double[x.length], wantLog = new double[x.length];
            for (int r = 0; r < b * h * q; r++) {
                float[] z = new float[n];
                for (int j = 0; j < n; j++) z[j] = x[r * n + j] + mask[(r / (h * q)) * n + j];
                double[] p = softmaxRow(z);
                double max = Double.NEGATIVE_INFINITY, s = 0;
                for (float v : z) max = Math.max(max, v);
                for (float v : z) s += Math.exp(v - max);
                for (int j = 0; j < n; j++) { want[r * n + j] = p[j]; wantLog[r * n + j] = z[j] - max - Math.log(s); }
            }
            assertClose("softmax n=" + n, want, y.toArray(), 1e-6);
            assertClose("logSoftmax n=" + n, wantLog, ly.toArray(), 1e-6);
            assertUntouchedAround(y);
            assertUntouchedAround(ly);

            float[] gy = uniform(rnd, x.length);
            Tensor gyt = atOffset(be, gy, b, h, q, n);
            Tensor gx = atOffset(be, new float[x.length], b, h, q, n);
            be.softmaxBackward(y, gyt, gx);
            float[] yv = y.toArray(), lyv = ly.toArray();
            double[] wantG = new double[x.length];
            for (int r = 0; r < b * h * q; r++) {
                double dot = 0;
                for (int j = 0; j < n; j++) dot += gy[r * n + j] * (double) yv[r * n + j];
                for (int j = 0; j < n; j++) wantG[r * n + j] = yv[r * n + j] * (gy[r * n + j] - dot);
            }
            assertClose("softmaxBackward n=" + n, wantG, gx.toArray(), 1e-6);
            be.logSoftmaxBackward(ly, gyt, gx);
            for (int r = 0; r < b * h * q; r++) {
                double s = 0;
                for (int j = 0; j < n; j++) s += gy[r * n + j];
                for (int j = 0; j < n; j++) wantG[r * n + j] = gy[r * n + j] - Math.exp(lyv[r * n + j]) * s;
            }
            assertClose("logSoftmaxBackward n=" + n, wantG, gx.toArray(), 1e-6);
            assertUntouchedAround(gx);
        }
    }

    @Test
    void fullyMaskedRowsAreUniformNeverNaN() {
        float ninf = Float.NEGATIVE_INFINITY;
        Tensor x = be.fromArray(new float[]{1, 2, 3, 4, /**/ 0.5f, -1, 7, 2, /**/ 3, 1, 2, 5, /**/ 1, 1, 1, 1}, 4, 4);
        Tensor mask = be.fromArray(new float[]{
                MOST_NEGATIVE, MOST_NEGATIVE, MOST_NEGATIVE, MOST_NEGATIVE,   // finite x + most negative rounds to it
                ninf, ninf, ninf, ninf,                                   // all -inf: uniform by contract
                ninf, MOST_NEGATIVE, ninf, MOST_NEGATIVE,                 // uniform over the finite maximum
                0, 0, ninf, 0}, 4, 4);
        Tensor y = be.zeros(4, 4), ly = be.zeros(4, 4);
        be.softmax(x, mask, y);
        be.logSoftmax(x, mask, ly);
        float q = 0.25f;
        float third = (float) (1 / (1 + 1 + Math.exp(0)));
        assertArrayEquals(new float[]{q, q, q, q, q, q, q, q, 0, 0.5f, 0, 0.5f, third, third, 0, third}, y.toArray(), 1e-7f);
        float[] l = ly.toArray();
        for (int j = 0; j < 8; j++) assertEquals((float) Math.log(0.25), l[j], 1e-6f);
        assertEquals(Float.NEGATIVE_INFINITY, l[8]);
        assertEquals((float) Math.log(0.5), l[9], 1e-6f);
        for (float v : y.toArray()) assertFalse(Float.isNaN(v));
    }

    @Test
    void crossEntropyHandComputedWithIgnoreIndex() {
        Tensor logits = atOffset(be, new float[]{0, 0, 0, /**/ 1, 2, 3, /**/ 5, 5, 5}, 3, 3);
        int[] targets = {1, 2, -100};
        Tensor nll = atOffset(be, new float[3], 3);
        be.crossEntropy(logits, targets, -100, nll);
        double lse1 = 3 + Math.log(1 + Math.exp(-1) + Math.exp(-2));
        assertArrayEquals(new float[]{(float) Math.log(3), (float) (lse1 - 3), 0f}, nll.toArray(), 1e-6f);
        Tensor gl = atOffset(be, new float[9], 3, 3);
        be.crossEntropyBackward(logits, targets, -100, be.fromArray(new float[]{2, 0.5f, 7}, 3), gl);
        double p0 = Math.exp(1 - lse1), p1 = Math.exp(2 - lse1), p2 = Math.exp(3 - lse1);
        float third = 1f / 3;
        assertClose("crossEntropyBackward", new double[]{2 * third, 2 * (third - 1), 2 * third,
                0.5 * p0, 0.5 * p1, 0.5 * (p2 - 1), 0, 0, 0}, gl.toArray(), 1e-6);
        assertUntouchedAround(nll);
        assertUntouchedAround(gl);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> be.crossEntropy(logits, new int[]{0, 3, 0}, -100, be.zeros(3)));
        assertTrue(e.getMessage().contains("row 1") && e.getMessage().contains("3"), e.getMessage());
    }

    @Test
    void rmsNormForwardAndBackwardAgainstTheJacobian() {
        for (int n : new int[]{1, 3, 17, 1000}) {
            int rows = 3;
            float eps = 1e-6f;
            float[] x = uniform(rnd, rows * n), w = uniform(rnd, n, 0.5f, 1.5f), gy = uniform(rnd, rows * n);
            float[] gw0 = uniform(rnd, n);
            Tensor xt = atOffset(be, x, rows, n), wt = atOffset(be, w, n);
            Tensor y = atOffset(be, new float[rows * n], rows, n), rstd = atOffset(be, new float[rows], rows);
            be.rmsNorm(xt, wt, eps, y, rstd);
            Tensor gx = atOffset(be, new float[rows * n], rows, n), gw = atOffset(be, gw0, n);
            be.rmsNormBackward(xt, wt, rstd, atOffset(be, gy, rows, n), gx, gw);
            double[] wantY = new double[rows * n], wantR = new double[rows], wantGx = new double[rows * n];
            double[] wantGw = new double[n];
            for (int j = 0; j < n; j++) wantGw[j] = gw0[j];
            for (int r = 0; r < rows; r++) {
                double ss = 0;
                for (int j = 0; j < n; j++) ss += (double) x[r * n + j] * x[r * n + j];
                double inv = 1 / Math.sqrt(ss / n + eps);
                wantR[r] = inv;
                for (int j = 0; j < n; j++) {
                    wantY[r * n + j] = w[j] * x[r * n + j] * inv;
                    wantGw[j] += gy[r * n + j] * x[r * n + j] * inv;
                }
                // dy_j/dx_k = w_j (delta_jk inv - x_j x_k inv^3 / n)
                for (int k = 0; k < n; k++) {
                    double s = 0;
                    for (int j = 0; j < n; j++) {
                        double jac = w[j] * ((j == k ? inv : 0) - x[r * n + j] * x[r * n + k] * inv * inv * inv / n);
                        s += gy[r * n + j] * jac;
                    }
                    wantGx[r * n + k] = s;
                }
            }
            assertClose("rmsNorm y n=" + n, wantY, y.toArray(), 1e-6);
            assertClose("rmsNorm rstd n=" + n, wantR, rstd.toArray(), 1e-6);
            assertClose("rmsNorm gx n=" + n, wantGx, gx.toArray(), 1e-5);
            assertClose("rmsNorm gw (accumulated) n=" + n, wantGw, gw.toArray(), 1e-5);
            assertUntouchedAround(gx);
            assertUntouchedAround(gw);
        }
    }
}
