package clp4j.engine.optim;

import clp4j.engine.backend.Backend;
import clp4j.engine.backend.ReferenceBackend;
import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exact state export/import, interrupted versus uninterrupted runs, determinism and mismatch errors. */
class OptimizerStateTest {
    static final int STEPS = 6;
    static final Backend BE = new ReferenceBackend();

    static final AdafactorConfig ADAFACTOR = AdafactorConfig.t5x().withMinDimSizeToFactor(3).withWeightDecayRate(0.01f);
    static final LearningRateSchedule RSQRT = new RsqrtDecaySchedule(0.05f, 2, true);

    /** A small "model": a factored matrix, an unfactored matrix and a vector, drawn from {@code seed}. */
    static Map<String, Tensor> model(long seed, int[] matrixShape) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("encoder.block.0.layer.0.SelfAttention.q.weight", randn(r, 0.5, matrixShape));
        m.put("decoder.final_layer_norm.weight", randn(r, 0.5, 6));
        m.put("lm_head.weight", randn(r, 0.5, 2, 5));
        for (Tensor t : m.values()) t.requiresGrad(true);
        return m;
    }

    static Tensor randn(SplittableRandom r, double scale, int... shape) {
        float[] v = new float[(int) Tensor.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (float) (scale * gaussian(r));
        return BE.fromArray(v, shape);
    }

    static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** Gradients for step t, a function of (seed, t) only, so interrupted runs see the same ones. */
    static void fillGrads(Map<String, Tensor> model, long seed, int t) {
        SplittableRandom r = new SplittableRandom(seed * 1000 + t);
        for (Tensor p : model.values()) {
            Tensor g = randn(r, Math.pow(10, -2 + 2 * r.nextDouble()), p.shape());
            if (p.grad() == null) p.setGrad(g);
            else BE.copy(g, p.grad());
        }
    }

    static void run(Optimizer opt, Map<String, Tensor> model, long seed, int from, int to) {
        for (int t = from; t < to; t++) {
            opt.zeroGrad();
            fillGrads(model, seed, t);
            opt.step();
        }
    }

    /** What a checkpoint holds: a copy of the optimizer state and of the parameters, detached from the live run. */
    static OptimizerState snapshot(OptimizerState s) {
        Map<String, Tensor> copies = new LinkedHashMap<>();
        s.tensors().forEach((n, t) -> copies.put(n, BE.fromArray(t.toArray(), t.shape())));
        return new OptimizerState(s.kind(), s.step(), s.hyperParameters(), copies);
    }

    static void assertResumeIsBitIdentical(BiFunction<Map<String, Tensor>, Boolean, Optimizer> make) {
        long seed = 7;
        Map<String, Tensor> straight = model(seed, new int[] {4, 3});
        try (Optimizer opt = make.apply(straight, true)) {
            run(opt, straight, seed, 0, STEPS);
            assertEquals(STEPS, opt.stepCount());
        }
        Map<String, Tensor> first = model(seed, new int[] {4, 3});
        OptimizerState saved;
        Map<String, float[]> savedParams = new LinkedHashMap<>();
        try (Optimizer opt = make.apply(first, true)) {
            run(opt, first, seed, 0, STEPS / 2);
            saved = snapshot(opt.state());
            first.forEach((n, t) -> savedParams.put(n, t.toArray()));
        }
        // a fresh process: other initial weights and deliberately other hyper-parameters, all replaced by the restore
        Map<String, Tensor> resumed = model(seed + 1, new int[] {4, 3});
        resumed.forEach((n, t) -> BE.copyFromHost(savedParams.get(n), 0, t));
        try (Optimizer opt = make.apply(resumed, false)) {
            opt.loadState(saved);
            assertEquals(STEPS / 2, opt.stepCount());
            assertEquals(saved.hyperParameters(), opt.state().hyperParameters());
            run(opt, resumed, seed, STEPS / 2, STEPS);
        }
        straight.forEach((n, t) -> assertArrayEquals(t.toArray(), resumed.get(n).toArray(), n + " after resuming"));
    }

    @Test
    void adafactorResumeIsBitIdentical() {
        assertResumeIsBitIdentical((m, first) -> first
                ? new Adafactor(m, ADAFACTOR, RSQRT)
                : new Adafactor(m, AdafactorConfig.t5x().withMultiplyByParameterScale(false), new ConstantSchedule(1f)));
    }

    @Test
    void adamwResumeIsBitIdentical() {
        assertResumeIsBitIdentical((m, first) -> first
                ? new AdamW(m, AdamWConfig.torch().withWeightDecay(0.1f), RSQRT)
                : new AdamW(m, AdamWConfig.torch(), new ConstantSchedule(1f)));
    }

    @Test
    void sameSeedSameResultsOtherSeedOtherResults() {
        float[][] a = train(11), b = train(11), c = train(12);
        for (int i = 0; i < a.length; i++) assertArrayEquals(a[i], b[i], "parameter " + i);
        assertFalse(java.util.Arrays.equals(a[0], c[0]), "another seed gives other parameters");
    }

    static float[][] train(long seed) {
        Map<String, Tensor> m = model(seed, new int[] {4, 3});
        try (Optimizer opt = new Adafactor(m, ADAFACTOR, RSQRT)) {
            run(opt, m, seed, 0, STEPS);
        }
        return m.values().stream().map(Tensor::toArray).toArray(float[][]::new);
    }

    @Test
    void stateNamesFollowTheParameterNames() {
        Map<String, Tensor> m = model(1, new int[] {4, 3});
        try (Optimizer opt = new Adafactor(m, ADAFACTOR, RSQRT)) {
            var names = opt.state().tensors().keySet();
            assertEquals(java.util.Set.of(
                    "encoder.block.0.layer.0.SelfAttention.q.weight.adafactor.v_row",
                    "encoder.block.0.layer.0.SelfAttention.q.weight.adafactor.v_col",
                    "decoder.final_layer_norm.weight.adafactor.v",
                    "lm_head.weight.adafactor.v"), names);
            assertArrayEquals(new int[] {4}, opt.state().tensors()
                    .get("encoder.block.0.layer.0.SelfAttention.q.weight.adafactor.v_row").shape());
            assertEquals("rsqrt_decay(0.05, 2, true)", opt.state().hyperParameters().get("schedule"));
        }
    }

    @Test
    void restoreIntoAnotherModelNamesTheParameter() {
        OptimizerState saved;
        try (Optimizer opt = new Adafactor(model(1, new int[] {4, 3}), ADAFACTOR, RSQRT)) {
            saved = snapshot(opt.state());
        }
        // another shape
        try (Optimizer other = new Adafactor(model(1, new int[] {5, 3}), ADAFACTOR, RSQRT)) {
            var e = assertThrows(IllegalArgumentException.class, () -> other.loadState(saved));
            assertTrue(e.getMessage().contains("encoder.block.0.layer.0.SelfAttention.q.weight"), e.getMessage());
            assertTrue(e.getMessage().contains("[5, 3]"), e.getMessage());
        }
        // a renamed parameter: the missing one is named
        Map<String, Tensor> renamed = new LinkedHashMap<>(model(1, new int[] {4, 3}));
        renamed.put("lm_head.bias", renamed.remove("lm_head.weight"));
        try (Optimizer other = new Adafactor(renamed, ADAFACTOR, RSQRT)) {
            var e = assertThrows(IllegalArgumentException.class, () -> other.loadState(saved));
            assertTrue(e.getMessage().contains("lm_head.bias"), e.getMessage());
        }
        // a model with fewer parameters: the extra state is named
        Map<String, Tensor> fewer = new LinkedHashMap<>(model(1, new int[] {4, 3}));
        fewer.remove("lm_head.weight");
        try (Optimizer other = new Adafactor(fewer, ADAFACTOR, RSQRT)) {
            var e = assertThrows(IllegalArgumentException.class, () -> other.loadState(saved));
            assertTrue(e.getMessage().contains("lm_head.weight.adafactor.v"), e.getMessage());
        }
        // another optimizer kind
        try (Optimizer other = new AdamW(model(1, new int[] {4, 3}), AdamWConfig.torch(), RSQRT)) {
            var e = assertThrows(IllegalArgumentException.class, () -> other.loadState(saved));
            assertTrue(e.getMessage().contains("adafactor"), e.getMessage());
        }
    }

    @Test
    void tiedParametersAreRejected() {
        Tensor shared = BE.zeros(4, 3);
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("shared.weight", shared);
        m.put("lm_head.weight", shared.reshape(12));
        var e = assertThrows(IllegalArgumentException.class, () -> new AdamW(m, AdamWConfig.torch(), RSQRT));
        assertTrue(e.getMessage().contains("shared.weight") && e.getMessage().contains("lm_head.weight"), e.getMessage());
    }
}
