package clp4j.engine.optim;

import clp4j.engine.autodiff.Autodiff;
import clp4j.engine.autodiff.F;
import clp4j.engine.autodiff.TensorScope;
import clp4j.engine.backend.ReferenceBackend;
import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The optimizers in a real loop: gradients from Autodiff.backward, a TensorScope per step, zeroGrad
 * between steps. A least-squares fit of a linear map must converge.
 */
class TrainingLoopTest {

    static void fit(BiFunction<Map<String, Tensor>, LearningRateSchedule, Optimizer> make, LearningRateSchedule schedule,
                    double reduction) {
        var be = new ReferenceBackend();
        SplittableRandom r = new SplittableRandom(5);
        float[] xs = new float[8 * 4], target = new float[4 * 3];
        for (int i = 0; i < xs.length; i++) xs[i] = (float) (r.nextDouble() * 2 - 1);
        for (int i = 0; i < target.length; i++) target[i] = (float) (r.nextDouble() * 2 - 1);
        Tensor x = be.fromArray(xs, 8, 4);
        Tensor wTrue = be.fromArray(target, 3, 4);
        Tensor y = F.linear(x, wTrue);
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("proj.weight", be.zeros(3, 4).requiresGrad(true));
        params.put("proj.bias", be.zeros(3).requiresGrad(true));
        float first = Float.NaN, last = Float.NaN;
        try (Optimizer opt = make.apply(params, schedule)) {
            for (int step = 0; step < 200; step++) {
                try (TensorScope ignored = TensorScope.open()) {
                    opt.zeroGrad();
                    Tensor pred = F.add(F.linear(x, params.get("proj.weight")), params.get("proj.bias"));
                    Tensor d = F.sub(pred, y);
                    Tensor loss = F.scale(F.sum(F.mul(d, d)), 1f / 24);
                    Autodiff.backward(loss);
                    opt.step();
                    last = loss.item();
                    if (step == 0) first = last;
                }
            }
            for (Tensor s : opt.state().tensors().values()) assertFalse(s.isReleased(), "state survives the step scopes");
        }
        assertTrue(last < first * reduction, "loss " + first + " -> " + last);
    }

    @Test
    void adafactorFits() {
        // parameters start at zero, where T5X's parameter scale is only epsilon2: use absolute steps, decaying
        // (Adafactor's clipped, normalised step would otherwise hover at the learning rate's scale)
        fit((p, s) -> new Adafactor(p, AdafactorConfig.t5x().withMultiplyByParameterScale(false), s),
                new RsqrtDecaySchedule(0.5f, 10, false), 1e-2);
    }

    @Test
    void stateReleasedByAScopeIsANamedError() {
        var be = new ReferenceBackend();
        Map<String, Tensor> params = Map.of("proj.weight", be.zeros(3, 4).requiresGrad(true));
        Optimizer opt;
        try (TensorScope ignored = TensorScope.open()) {
            opt = new AdamW(params, AdamWConfig.torch(), new ConstantSchedule(0.1f));
        }
        var e = assertThrows(IllegalStateException.class, opt::step);
        assertTrue(e.getMessage().contains("proj.weight") && e.getMessage().contains("TensorScope"), e.getMessage());
    }

    @Test
    void adamwFits() {
        fit((p, s) -> new AdamW(p, AdamWConfig.torch().withWeightDecay(0f), s), new ConstantSchedule(0.05f), 1e-3);
    }
}
