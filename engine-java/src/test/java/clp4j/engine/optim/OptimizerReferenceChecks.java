package clp4j.engine.optim;

import clp4j.engine.backend.Backend;
import clp4j.engine.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The optimizers on one backend against independent references: T5X's Adafactor in numpy and
 * torch.optim.AdamW (fixtures from scripts/fixtures/optim_fixtures.py). Public so that a backend
 * in another module (engine-native's CUDA backend, through engine-java's test-jar) runs the same
 * checks on its {@code adafactorUpdate} and {@code adamwUpdate}.
 */
public final class OptimizerReferenceChecks {
    private OptimizerReferenceChecks() { }

    /**
     * One Adafactor fixture: its name, the schedule that reproduces its learning rates and what it
     * claims about clipping (true = active at every step, false = never, null = mixed).
     */
    public record AdafactorCase(String name, LearningRateSchedule schedule, Boolean clipActive) {
        @Override public String toString() { return name; }
    }

    public static final List<AdafactorCase> ADAFACTOR_CASES = List.of(
            new AdafactorCase("factored_wide_clipped", new ConstantSchedule(0.05f), Boolean.TRUE),
            new AdafactorCase("factored_tall_wd", new ConstantSchedule(0.02f), Boolean.FALSE),
            new AdafactorCase("t5x_defaults", new ConstantSchedule(0.01f), null),
            new AdafactorCase("vector_clipped", new ConstantSchedule(0.03f), Boolean.TRUE),
            new AdafactorCase("warmup_wd_noclip", new LinearWarmupSchedule(0.04f, 3), Boolean.FALSE));

    /** Runs every Adafactor case and the AdamW case on {@code be}. */
    public static void checkAll(Backend be) {
        for (AdafactorCase c : ADAFACTOR_CASES) checkAdafactor(be, c);
        checkAdamW(be);
    }

    /** Parameters after every step and the state after the last, against T5X's update in float64. */
    public static void checkAdafactor(Backend be, AdafactorCase c) {
        String name = c.name() + " on " + be.name();
        OptimFixture fx = OptimFixture.load("adafactor_" + c.name() + ".txt");
        AdafactorConfig cfg = new AdafactorConfig(Boolean.parseBoolean(fx.config().get("factored")),
                Integer.parseInt(fx.config().get("min_dim")), Boolean.parseBoolean(fx.config().get("scale")),
                fx.configFloat("decay_rate"), 0, fx.configFloat("clip"), fx.configFloat("wdr"),
                fx.configFloat("eps1"), fx.configFloat("eps2"));
        Map<String, Tensor> params = load(be, fx);
        try (Adafactor opt = new Adafactor(params, cfg, c.schedule())) {
            for (int t = 0; t < fx.steps(); t++) {
                assertEquals(fx.learningRates().get(t), opt.currentLearningRate(), name + ": learning rate at step " + t);
                for (var e : params.entrySet()) setGrad(e.getValue(), fx.grads().get(e.getKey()).get(t));
                opt.step();
                for (var e : params.entrySet()) {
                    assertClose(fx.expected().get(e.getKey()).get(t).values(), e.getValue().toArray(), 2e-6, 1e-5,
                            name + ": " + e.getKey() + " after step " + t);
                }
            }
            assertEquals(fx.steps(), opt.stepCount());
            assertState(fx, opt.state(), "adafactor", name);
        }
        if (c.clipActive() != null) {
            fx.clip().forEach((p, denoms) -> denoms.forEach(d -> assertEquals(c.clipActive(), d > 1.0,
                    name + ": the fixture's clipping of " + p + " is not as the case claims")));
        }
    }

    /** A matrix and a vector, five steps with weight decay, against torch.optim.AdamW in float64. */
    public static void checkAdamW(Backend be) {
        OptimFixture fx = OptimFixture.load("adamw.txt");
        AdamWConfig cfg = new AdamWConfig(fx.configFloat("beta1"), fx.configFloat("beta2"), fx.configFloat("eps"),
                fx.configFloat("wd"));
        Map<String, Tensor> params = load(be, fx);
        try (AdamW opt = new AdamW(params, cfg, new ConstantSchedule(fx.configFloat("lr")))) {
            for (int t = 0; t < fx.steps(); t++) {
                for (var e : params.entrySet()) setGrad(e.getValue(), fx.grads().get(e.getKey()).get(t));
                opt.step();
                for (var e : params.entrySet()) {
                    assertClose(fx.expected().get(e.getKey()).get(t).values(), e.getValue().toArray(), 1e-6, 1e-5,
                            "AdamW on " + be.name() + ": " + e.getKey() + " after step " + t);
                }
            }
            assertEquals(fx.steps(), opt.stepCount());
            assertState(fx, opt.state(), "adamw", "AdamW on " + be.name());
        }
    }

    private static Map<String, Tensor> load(Backend be, OptimFixture fx) {
        Map<String, Tensor> params = new LinkedHashMap<>();
        fx.params().forEach((n, a) -> params.put(n, be.fromArray(a.floats(), a.shape()).requiresGrad(true)));
        return params;
    }

    private static void assertState(OptimFixture fx, OptimizerState st, String kind, String what) {
        fx.state().forEach((p, slots) -> slots.forEach((slot, a) -> {
            String tn = p + "." + kind + "." + slot;
            Tensor s = st.tensors().get(tn);
            assertNotNull(s, what + ": state tensor " + tn + " missing; have " + st.tensors().keySet());
            assertClose(a.values(), s.toArray(), 1e-30, 1e-5, what + ": state " + tn);
        }));
        assertEquals(fx.state().values().stream().mapToInt(Map::size).sum(), st.tensors().size(), what + ": state tensor count");
    }

    static void setGrad(Tensor p, OptimFixture.Array g) {
        if (p.grad() == null) p.setGrad(p.backend().fromArray(g.floats(), g.shape()));
        else p.backend().copyFromHost(g.floats(), 0, p.grad());
    }

    /** |actual - expected| <= atol + rtol |expected| element by element; the message names the first miss. */
    static void assertClose(double[] expected, float[] actual, double atol, double rtol, String what) {
        assertEquals(expected.length, actual.length, what + ": element count");
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            if (!(err <= atol + rtol * Math.abs(expected[i]))) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]
                        + " (error " + err + ")");
            }
        }
    }
}
