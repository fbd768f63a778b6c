package clp4j.engine.optim;

import clp4j.engine.backend.AdamWParams;
import clp4j.engine.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter 2019), torch.optim.AdamW semantics without amsgrad: with
 * t = updates done + 1, m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p -= lr wd p;
 * p -= lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps). The element math runs in
 * {@link clp4j.engine.backend.Backend#adamwUpdate}. State tensors: {@code {param}.adamw.m} and
 * {@code {param}.adamw.v}, each of the parameter's shape.
 */
public final class AdamW extends AbstractOptimizer<AdamWConfig> {
    public static final String KIND = "adamw";

    private AdamWParams stepParams;

    public AdamW(Map<String, Tensor> parameters, AdamWConfig config, LearningRateSchedule schedule) {
        super(parameters, config, schedule);
    }

    @Override
    public String kind() { return KIND; }

    @Override
    Slot[] layout(String name, int[] shape, AdamWConfig config) {
        return new Slot[] {new Slot("m", shape), new Slot("v", shape)};
    }

    @Override
    void beginStep(AdamWConfig c, float lr, long step) {
        if (step >= Integer.MAX_VALUE) {
            throw new IllegalStateException("AdamW step count " + step + " exceeds the backend's int step");
        }
        stepParams = new AdamWParams(lr, c.beta1(), c.beta2(), c.epsilon(), c.weightDecay(), (int) step + 1);
    }

    @Override
    void update(String name, Tensor p, Tensor g, Tensor[] state) {
        p.backend().adamwUpdate(p, g, state[0], state[1], stepParams);
    }

    @Override
    Map<String, String> hyperParameters(AdamWConfig c) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("beta1", Float.toString(c.beta1()));
        m.put("beta2", Float.toString(c.beta2()));
        m.put("epsilon", Float.toString(c.epsilon()));
        m.put("weight_decay", Float.toString(c.weightDecay()));
        return m;
    }

    @Override
    AdamWConfig parseHyperParameters(OptimizerState s) {
        return new AdamWConfig(s.hyperFloat("beta1"), s.hyperFloat("beta2"), s.hyperFloat("epsilon"),
                s.hyperFloat("weight_decay"));
    }
}
