package clp4j.engine.optim;

import clp4j.engine.backend.ReferenceBackend;
import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Adafactor against T5X's update computed independently in numpy (scripts/fixtures/optim_fixtures.py). */
class AdafactorTest {

    /** Clipping expectation of a case: true = active at every step, false = never, null = mixed / not checked. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("factored_wide_clipped", new ConstantSchedule(0.05f), Boolean.TRUE),
                Arguments.of("factored_tall_wd", new ConstantSchedule(0.02f), Boolean.FALSE),
                Arguments.of("t5x_defaults", new ConstantSchedule(0.01f), null),
                Arguments.of("vector_clipped", new ConstantSchedule(0.03f), Boolean.TRUE),
                Arguments.of("warmup_wd_noclip", new LinearWarmupSchedule(0.04f, 3), Boolean.FALSE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesT5XReference(String name, LearningRateSchedule schedule, Boolean clipActive) {
        OptimFixture fx = OptimFixture.load("adafactor_" + name + ".txt");
        var be = new ReferenceBackend();
        AdafactorConfig cfg = new AdafactorConfig(Boolean.parseBoolean(fx.config().get("factored")),
                Integer.parseInt(fx.config().get("min_dim")), Boolean.parseBoolean(fx.config().get("scale")),
                fx.configFloat("decay_rate"), 0, fx.configFloat("clip"), fx.configFloat("wdr"),
                fx.configFloat("eps1"), fx.configFloat("eps2"));
        Map<String, Tensor> params = new LinkedHashMap<>();
        fx.params().forEach((n, a) -> params.put(n, be.fromArray(a.floats(), a.shape()).requiresGrad(true)));
        try (Adafactor opt = new Adafactor(params, cfg, schedule)) {
            for (int t = 0; t < fx.steps(); t++) {
                assertEquals(fx.learningRates().get(t), opt.currentLearningRate(), "learning rate at step " + t);
                for (var e : params.entrySet()) setGrad(e.getValue(), fx.grads().get(e.getKey()).get(t));
                opt.step();
                for (var e : params.entrySet()) {
                    assertClose(fx.expected().get(e.getKey()).get(t).values(), e.getValue().toArray(), 2e-6, 1e-5,
                            name + " " + e.getKey() + " after step " + t);
                }
            }
            assertEquals(fx.steps(), opt.stepCount());
            OptimizerState st = opt.state();
            fx.state().forEach((p, slots) -> slots.forEach((slot, a) -> {
                Tensor s = st.tensors().get(p + ".adafactor." + slot);
                assertNotNull(s, name + ": state tensor " + p + ".adafactor." + slot + " missing; have " + st.tensors().keySet());
                assertClose(a.values(), s.toArray(), 1e-30, 1e-5, name + " state " + p + "." + slot);
            }));
            assertEquals(fx.state().values().stream().mapToInt(Map::size).sum(), st.tensors().size(), "state tensor count");
        }
        if (clipActive != null) {
            fx.clip().forEach((p, denoms) -> denoms.forEach(d ->
                    assertEquals(clipActive, d > 1.0, name + ": the fixture's clipping of " + p + " is not as the case claims")));
        }
    }

    @Test
    void factoringRuleIsT5XHeuristic() {
        AdafactorConfig t5x = AdafactorConfig.t5x();
        assertTrue(Adafactor.isFactored(new int[] {128, 128}, t5x));
        assertTrue(Adafactor.isFactored(new int[] {32128, 768}, t5x));
        assertFalse(Adafactor.isFactored(new int[] {127, 4096}, t5x), "smaller dim below min_dim_size_to_factor");
        assertFalse(Adafactor.isFactored(new int[] {4096}, t5x), "vectors are never factored");
        assertFalse(Adafactor.isFactored(new int[0], t5x), "scalars are never factored");
        assertFalse(Adafactor.isFactored(new int[] {512, 512}, t5x.withFactored(false)));
        assertTrue(Adafactor.isFactored(new int[] {2, 3}, t5x.withMinDimSizeToFactor(2)));
        var e = assertThrows(IllegalArgumentException.class, () -> Adafactor.isFactored(new int[] {2, 256, 256}, t5x));
        assertTrue(e.getMessage().contains("[2, 256, 256]"), e.getMessage());
        assertFalse(Adafactor.isFactored(new int[] {2, 256, 256}, t5x.withFactored(false)), "rank 3 is fine unfactored");
    }

    @Test
    void rankThreeParameterIsRejectedByName() {
        var be = new ReferenceBackend();
        Map<String, Tensor> params = Map.of("encoder.block.0.stacked", be.zeros(2, 128, 128));
        var e = assertThrows(IllegalArgumentException.class, () -> new Adafactor(params, new ConstantSchedule(0.01f)));
        assertTrue(e.getMessage().contains("encoder.block.0.stacked"), e.getMessage());
    }

    @Test
    void decayScheduleIsOneMinusStepPlusOneToTheMinusPointEight() {
        AdafactorConfig c = AdafactorConfig.t5x();
        assertEquals(0f, Adafactor.decay(0, c), "first update uses the squared gradient alone");
        for (long t : new long[] {1, 2, 9, 99, 9999}) {
            assertEquals((float) (1 - Math.pow(t + 1, -0.8f)), Adafactor.decay(t, c), 0f, "step " + t);
        }
        AdafactorConfig offset = c.withStepOffset(1000);
        assertEquals(0f, Adafactor.decay(1000, offset), "the schedule restarts at stepOffset");
        assertEquals((float) (1 - Math.pow(6, -0.8f)), Adafactor.decay(1005, offset), 0f);
        assertThrows(IllegalStateException.class, () -> Adafactor.decay(999, offset));
    }

    @Test
    void parameterWithoutGradientIsLeftAlone() {
        var be = new ReferenceBackend();
        Tensor used = be.fromArray(new float[] {1, 2, 3}, 3).requiresGrad(true);
        Tensor unused = be.fromArray(new float[] {4, 5}, 2).requiresGrad(true);
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("used", used);
        params.put("unused", unused);
        try (Adafactor opt = new Adafactor(params, new ConstantSchedule(0.1f))) {
            used.setGrad(be.fromArray(new float[] {0.5f, -0.5f, 1f}, 3));
            opt.step();
            assertFalse(java.util.Arrays.equals(new float[] {1, 2, 3}, used.toArray()), "the parameter with a gradient moved");
            assertEquals(List.of(4f, 5f), List.of(unused.toArray()[0], unused.toArray()[1]));
            opt.zeroGrad();
            for (float g : used.grad().toArray()) assertEquals(0f, g);
        }
    }

    static void setGrad(Tensor p, OptimFixture.Array g) {
        if (p.grad() == null) p.setGrad(p.backend().fromArray(g.floats(), g.shape()));
        else p.backend().copyFromHost(g.floats(), 0, p.grad());
    }

    static void assertClose(double[] expected, float[] actual, double atol, double rtol, String what) {
        assertEquals(expected.length, actual.length, what + ": element count");
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            if (err > atol + rtol * Math.abs(expected[i])) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]
                        + " (error " + err + ")");
            }
        }
    }
}
