package clp4j.engine.optim;

import clp4j.engine.backend.ReferenceBackend;
import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static clp4j.engine.optim.AdafactorTest.assertClose;
import static clp4j.engine.optim.AdafactorTest.setGrad;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** AdamW against torch.optim.AdamW (float64) on a matrix and a vector over five steps with weight decay. */
class AdamWTest {

    @Test
    void matchesTorchAdamW() {
        OptimFixture fx = OptimFixture.load("adamw.txt");
        var be = new ReferenceBackend();
        AdamWConfig cfg = new AdamWConfig(fx.configFloat("beta1"), fx.configFloat("beta2"), fx.configFloat("eps"),
                fx.configFloat("wd"));
        Map<String, Tensor> params = new LinkedHashMap<>();
        fx.params().forEach((n, a) -> params.put(n, be.fromArray(a.floats(), a.shape()).requiresGrad(true)));
        try (AdamW opt = new AdamW(params, cfg, new ConstantSchedule(fx.configFloat("lr")))) {
            for (int t = 0; t < fx.steps(); t++) {
                for (var e : params.entrySet()) setGrad(e.getValue(), fx.grads().get(e.getKey()).get(t));
                opt.step();
                for (var e : params.entrySet()) {
                    assertClose(fx.expected().get(e.getKey()).get(t).values(), e.getValue().toArray(), 1e-6, 1e-5,
                            "AdamW " + e.getKey() + " after step " + t);
                }
            }
            OptimizerState st = opt.state();
            assertEquals(fx.steps(), st.step());
            fx.state().forEach((p, slots) -> slots.forEach((slot, a) -> {
                Tensor s = st.tensors().get(p + ".adamw." + slot);
                assertNotNull(s, "state tensor " + p + ".adamw." + slot);
                assertClose(a.values(), s.toArray(), 1e-12, 1e-5, "AdamW state " + p + "." + slot);
            }));
        }
    }

    @Test
    void torchDefaults() {
        AdamWConfig c = AdamWConfig.torch();
        assertEquals(0.9f, c.beta1());
        assertEquals(0.999f, c.beta2());
        assertEquals(1e-8f, c.epsilon());
        assertEquals(0.01f, c.weightDecay());
    }
}
