package clp4j.engine.optim;

import clp4j.engine.backend.AdafactorParams;
import clp4j.engine.tensor.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adafactor (Shazeer and Stern 2018) with T5X's semantics (t5x/adafactor.py, heuristic factoring):
 * <ul>
 *   <li>step t = updates done so far (0 first); decay = 1 - (t - stepOffset + 1)^-decayRate, so the
 *       first update uses the squared gradient alone;</li>
 *   <li>a matrix is factored when {@code factored} and its smaller dim is at least
 *       {@code minDimSizeToFactor}; vectors and scalars keep a full second moment {@code v}; a
 *       parameter of rank above 2 is rejected, as T5X rejects it without an explicit factor rule;</li>
 *   <li>per element: gsq = g^2 + epsilon1; factored: v_row = decay v_row + (1-decay) mean(gsq, last axis),
 *       v_col likewise over the second-to-last axis, y = g / sqrt(v_row / mean(v_row)) / sqrt(v_col);
 *       unfactored: v = decay v + (1-decay) gsq, y = g / sqrt(v);</li>
 *   <li>y /= max(1, RMS(y) / clippingThreshold); step size = lr * max(RMS(old p), epsilon2) when
 *       {@code multiplyByParameterScale}, else lr; new p = (1 - weightDecayRate) p - step size * y.</li>
 * </ul>
 * The element math runs in {@link clp4j.engine.backend.Backend#adafactorUpdate}, on the parameter's backend.
 *
 * <p>Differences from T5X, all at rounding level: T5X normalises the factor of the larger matrix
 * dim by its mean, the backend always normalises the row factor ({@code v_row}, the mean over the
 * last axis); since mean(v_row) = mean(v_col) = the decayed mean of gsq, the update is the same
 * number up to float rounding. T5X's absolute weight decay is passed to the backend, which scales
 * its weight decay by the learning rate, as {@code weightDecayRate / lr}. Momentum (T5X's beta1,
 * off by default) is not offered: the backend update has no first-moment input.
 *
 * <p>State tensors: {@code {param}.adafactor.v_row} (p's shape without the last axis) and
 * {@code {param}.adafactor.v_col} (without the second-to-last) when factored, else {@code {param}.adafactor.v}.
 */
public final class Adafactor extends AbstractOptimizer<AdafactorConfig> {
    public static final String KIND = "adafactor";

    private AdafactorParams stepParams;
    private float stepWeightDecayAfter;

    /** T5X defaults ({@link AdafactorConfig#t5x()}). */
    public Adafactor(Map<String, Tensor> parameters, LearningRateSchedule schedule) {
        this(parameters, AdafactorConfig.t5x(), schedule);
    }

    public Adafactor(Map<String, Tensor> parameters, AdafactorConfig config, LearningRateSchedule schedule) {
        super(parameters, config, schedule);
    }

    @Override
    public String kind() { return KIND; }

    /** Whether a parameter of {@code shape} gets a factored second moment under {@code config} (T5X's rule). */
    public static boolean isFactored(int[] shape, AdafactorConfig config) {
        if (!config.factored() || shape.length < 2) return false;
        if (shape.length > 2) {
            throw new IllegalArgumentException("Adafactor factors matrices only, as T5X does without explicit factor "
                    + "rules; got shape " + Arrays.toString(shape) + ": reshape the parameter to 2-D or set factored=false");
        }
        return Math.min(shape[0], shape[1]) >= config.minDimSizeToFactor();
    }

    /** The second-moment decay for the update after {@code step} completed updates. */
    public static float decay(long step, AdafactorConfig config) {
        if (step < config.stepOffset()) {
            throw new IllegalStateException("Adafactor step " + step + " is before stepOffset " + config.stepOffset()
                    + "; stepOffset must not exceed the step count");
        }
        return (float) (1.0 - Math.pow(step - config.stepOffset() + 1.0, -config.decayRate()));
    }

    @Override
    Slot[] layout(String name, int[] shape, AdafactorConfig config) {
        boolean f;
        try {
            f = isFactored(shape, config);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("parameter '" + name + "': " + e.getMessage(), e);
        }
        if (!f) return new Slot[] {new Slot("v", shape)};
        return new Slot[] {new Slot("v_row", new int[] {shape[0]}), new Slot("v_col", new int[] {shape[1]})};
    }

    @Override
    void beginStep(AdafactorConfig c, float lr, long step) {
        // T5X decays by (1 - rate) regardless of the learning rate; the backend decays by lr * wd.
        float wd = 0f;
        stepWeightDecayAfter = 0f;
        if (c.weightDecayRate() > 0) {
            float perLr = c.weightDecayRate() / lr;
            if (lr > 0 && Float.isFinite(perLr)) wd = perLr;
            else stepWeightDecayAfter = c.weightDecayRate(); // lr 0 (or too small for rate/lr): the step is nil, decay alone remains
        }
        stepParams = new AdafactorParams(lr, decay(step, c), c.epsilon1(), c.epsilon2(), c.clippingThreshold(),
                c.multiplyByParameterScale(), wd);
    }

    @Override
    void update(String name, Tensor p, Tensor g, Tensor[] state) {
        if (state.length == 2) {
            p.backend().adafactorUpdate(p, g, state[0], state[1], null, stepParams);
        } else {
            p.backend().adafactorUpdate(p, g, null, null, state[0], stepParams);
        }
        if (stepWeightDecayAfter > 0) p.backend().scale(p, 1f - stepWeightDecayAfter, p);
    }

    @Override
    Map<String, String> hyperParameters(AdafactorConfig c) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("factored", Boolean.toString(c.factored()));
        m.put("min_dim_size_to_factor", Integer.toString(c.minDimSizeToFactor()));
        m.put("multiply_by_parameter_scale", Boolean.toString(c.multiplyByParameterScale()));
        m.put("decay_rate", Float.toString(c.decayRate()));
        m.put("step_offset", Long.toString(c.stepOffset()));
        m.put("clipping_threshold", Float.toString(c.clippingThreshold()));
        m.put("weight_decay_rate", Float.toString(c.weightDecayRate()));
        m.put("epsilon1", Float.toString(c.epsilon1()));
        m.put("epsilon2", Float.toString(c.epsilon2()));
        return m;
    }

    @Override
    AdafactorConfig parseHyperParameters(OptimizerState s) {
        long minDim = s.hyperLong("min_dim_size_to_factor");
        if (minDim < 1 || minDim > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("adafactor optimizer state: min_dim_size_to_factor = " + minDim
                    + " is out of range");
        }
        return new AdafactorConfig(s.hyperBoolean("factored"), (int) minDim,
                s.hyperBoolean("multiply_by_parameter_scale"), s.hyperFloat("decay_rate"), s.hyperLong("step_offset"),
                s.hyperFloat("clipping_threshold"), s.hyperFloat("weight_decay_rate"), s.hyperFloat("epsilon1"),
                s.hyperFloat("epsilon2"));
    }
}
