package clp4j.engine.backend;

import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** ReferenceBackend ops against PyTorch values ({@code fixtures/make_torch_golden.py}). */
class ReferenceBackendTorchTest {
    private final ReferenceBackend be = new ReferenceBackend();
    private final TorchGolden golden = TorchGolden.load();

    @Test
    void softmaxWithFullyAndPartlyMaskedRowsMatchesTorchFloat32() {
        Tensor x = golden.tensor(be, "sm_x"), mask = golden.tensor(be, "sm_mask");
        Tensor y = be.zeros(x.shape()), ly = be.zeros(x.shape());
        be.softmax(x, mask, y);
        be.logSoftmax(x, mask, ly);
        golden.assertMatches("sm_softmax", y.toArray(), 1e-6, 1e-7);
        // torch's log-softmax of a -inf logit is -inf, and of the most negative float about -3.4e38
        float[] l = ly.toArray();
        double[] want = golden.values("sm_log_softmax");
        for (int i = 0; i < l.length; i++) {
            if (Double.isInfinite(want[i]) || Math.abs(want[i]) > 1e30) {
                if (Math.abs(l[i] - want[i]) > 1e-6 * Math.abs(want[i])) {
                    throw new AssertionError("log-softmax element " + i + ": torch " + want[i] + ", got " + l[i]);
                }
            } else if (Math.abs(l[i] - want[i]) > 1e-5) {
                throw new AssertionError("log-softmax element " + i + ": torch " + want[i] + ", got " + l[i]);
            }
        }
    }

    @Test
    void geluNewMatchesTorchTanhApproximation() {
        Tensor x = golden.tensor(be, "gelu_x"), y = be.zeros(x.shape());
        be.unary(UnaryOp.GELU_NEW, x, y);
        golden.assertMatches("gelu_y", y.toArray(), 1e-7, 1e-7);
    }

    @Test
    void adamwThreeStepsMatchTorchOptimAdamW() {
        Tensor p = golden.tensor(be, "adamw_p0"), m = be.zeros(5), v = be.zeros(5);
        for (int step = 1; step <= 3; step++) {
            be.adamwUpdate(p, golden.tensor(be, "adamw_g" + step), m, v, new AdamWParams(0.01f, 0.9f, 0.99f, 1e-6f, 0.1f, step));
        }
        golden.assertMatches("adamw_p3", p.toArray(), 1e-6, 1e-7);
        golden.assertMatches("adamw_m3", m.toArray(), 1e-6, 1e-8);
        golden.assertMatches("adamw_v3", v.toArray(), 1e-6, 1e-8);
    }
}
