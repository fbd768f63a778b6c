package clp4j.engine.backend;

import clp4j.engine.backend.vector.CpuThreadPool;
import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Same inputs, same backend, same thread count: the same bits, whether the kernels run
 * interpreted (first call) or JIT-compiled (after a hot loop). Covers the ops whose results sum
 * or compare across lanes: row softmax and log-softmax with their backwards, RMS norm forward and
 * backward, row reductions, cross-entropy and its backward, sumToShape, the skinny GEMM and an
 * Adafactor step (factored and not).
 */
class VectorDeterminismTest {
    private static final int ROWS = 3, D = 67, V = 300, HOT = 20_000;

    @Test
    void opsGiveTheSameBitsColdAndHot() {
        try (VectorBackend vb = new VectorBackend(new CpuThreadPool(3))) {
            Random rnd = new Random(21);
            float[] x = TestTensors.uniform(rnd, ROWS * D, -4f, 4f), gy = TestTensors.uniform(rnd, ROWS * D);
            float[] w = TestTensors.uniform(rnd, D), logits = TestTensors.uniform(rnd, ROWS * V, -6f, 6f);
            float[] a = TestTensors.uniform(rnd, 8 * 301), b = TestTensors.uniform(rnd, 37 * 301);
            float[] p = TestTensors.uniform(rnd, ROWS * D), g = TestTensors.uniform(rnd, ROWS * D);
            List<float[]> cold = run(vb, x, gy, w, logits, a, b, p, g);
            for (int it = 0; it < HOT; it++) run(vb, x, gy, w, logits, a, b, p, g);
            List<float[]> hot = run(vb, x, gy, w, logits, a, b, p, g);
            for (int o = 0; o < cold.size(); o++) {
                float[] c = cold.get(o), h = hot.get(o);
                for (int i = 0; i < c.length; i++) {
                    assertEquals(Float.floatToIntBits(c[i]), Float.floatToIntBits(h[i]),
                            "output " + o + " element " + i + ": " + c[i] + " cold, " + h[i] + " after " + HOT + " calls");
                }
            }
        }
    }

    private static List<float[]> run(VectorBackend vb, float[] x, float[] gy, float[] w, float[] logits,
                                     float[] a, float[] b, float[] p, float[] g) {
        List<Tensor> outs = new ArrayList<>();
        Tensor xt = vb.fromArray(x, ROWS, D), gt = vb.fromArray(gy, ROWS, D), wt = vb.fromArray(w, D);
        Tensor sm = vb.zeros(ROWS, D), lsm = vb.zeros(ROWS, D);
        vb.softmax(xt, null, sm);
        vb.logSoftmax(xt, null, lsm);
        Tensor gsm = vb.zeros(ROWS, D), glsm = vb.zeros(ROWS, D);
        vb.softmaxBackward(sm, gt, gsm);
        vb.logSoftmaxBackward(lsm, gt, glsm);
        Tensor y = vb.zeros(ROWS, D), rstd = vb.zeros(ROWS), gx = vb.zeros(ROWS, D), gw = vb.zeros(D);
        vb.rmsNorm(xt, wt, 1e-6f, y, rstd);
        vb.rmsNormBackward(xt, wt, rstd, gt, gx, gw);
        Tensor sum = vb.zeros(ROWS), max = vb.zeros(ROWS), mean = vb.zeros(ROWS);
        vb.reduceLast(ReduceOp.SUM, xt, sum);
        vb.reduceLast(ReduceOp.MAX, xt, max);
        vb.reduceLast(ReduceOp.MEAN, xt, mean);
        Tensor cols = vb.zeros(1, D), rows = vb.zeros(ROWS, 1);
        vb.sumToShape(gt, cols);
        vb.sumToShape(gt, rows);
        Tensor lt = vb.fromArray(logits, ROWS, V), nll = vb.zeros(ROWS), gl = vb.zeros(ROWS, V);
        int[] targets = {5, 299, 17};
        vb.crossEntropy(lt, targets, -100, nll);
        vb.crossEntropyBackward(lt, targets, -100, vb.fromArray(new float[]{1f, 0.5f, 2f}, ROWS), gl);
        Tensor at = vb.fromArray(a, 8, 301), bt = vb.fromArray(b, 37, 301), c = vb.zeros(8, 37);
        vb.gemm(false, true, 1, 8, 37, 301, 1f, at, 0, 301, 0, bt, 0, 301, 0, 0f, c, 0, 37, 0);
        Tensor pf = vb.fromArray(p, ROWS, D), pu = vb.fromArray(p, ROWS * D), gf = vb.fromArray(g, ROWS, D);
        Tensor vRow = vb.zeros(ROWS), vCol = vb.zeros(D), v = vb.zeros(ROWS * D);
        AdafactorParams h = new AdafactorParams(1e-2f, 0.8f, 1e-30f, 1e-3f, 1f, true, 0.01f);
        vb.adafactorUpdate(pf, gf, vRow, vCol, null, h);
        vb.adafactorUpdate(pu, vb.fromArray(g, ROWS * D), null, null, v, h);
        outs.addAll(List.of(sm, lsm, gsm, glsm, y, rstd, gx, gw, sum, max, mean, cols, rows, nll, gl, c, pf, vRow, vCol, pu, v));
        List<float[]> host = new ArrayList<>();
        for (Tensor t : outs) host.add(t.toArray());
        return host;
    }
}
