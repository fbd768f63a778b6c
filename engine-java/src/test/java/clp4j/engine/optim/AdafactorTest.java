package clp4j.engine.optim;

import clp4j.engine.backend.Backends;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Adafactor: T5X fixtures on every available backend, the factoring rule, the decay schedule. */
class AdafactorTest {

    static Stream<Arguments> cases() {
        return OptimizerBackends.available().stream().flatMap(be -> OptimizerReferenceChecks.ADAFACTOR_CASES.stream()
                .map(c -> Arguments.of(be, c)));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void matchesT5XReference(String backend, OptimizerReferenceChecks.AdafactorCase c) {
        OptimizerReferenceChecks.checkAdafactor(Backends.get(backend), c);
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
}
