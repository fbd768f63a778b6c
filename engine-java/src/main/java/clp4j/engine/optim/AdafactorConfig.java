package clp4j.engine.optim;

/**
 * Adafactor hyper-parameters with T5X's names and defaults ({@link #t5x()}); the learning rate
 * comes from a {@link LearningRateSchedule}. T5X options not offered: momentum ({@code beta1}),
 * {@code max_parameter_scale}, {@code weight_decay_rate_lr_exponent}, {@code global_norm_clip_threshold},
 * {@code skip_nan_updates} and explicit factor rules.
 *
 * @param factored                 use the factored second moment for matrices (T5X's rule, see {@link Adafactor})
 * @param minDimSizeToFactor       factor only when the smaller of a matrix's two dims is at least this (T5X: 128)
 * @param multiplyByParameterScale scale the step by max(RMS(param), epsilon2)
 * @param decayRate                second-moment decay exponent: decay = 1 - (step - stepOffset + 1)^-decayRate (0.8)
 * @param stepOffset               step at which the second-moment schedule restarts (finetuning), 0 by default
 * @param clippingThreshold        update clipping on RMS(update); 0 turns it off (T5X: None), T5X default 1.0
 * @param weightDecayRate          T5X's decoupled decay: new p = (1 - rate) p - update, not scaled by the learning rate; 0 = off
 * @param epsilon1                 added to squared gradients (1e-30)
 * @param epsilon2                 floor of the parameter scale (1e-3)
 */
public record AdafactorConfig(boolean factored, int minDimSizeToFactor, boolean multiplyByParameterScale,
                              float decayRate, long stepOffset, float clippingThreshold, float weightDecayRate,
                              float epsilon1, float epsilon2) {

    public AdafactorConfig {
        if (minDimSizeToFactor < 1) {
            throw new IllegalArgumentException("Adafactor minDimSizeToFactor must be >= 1, got " + minDimSizeToFactor);
        }
        if (!(decayRate > 0) || Float.isInfinite(decayRate)) {
            throw new IllegalArgumentException("Adafactor decayRate must be finite and > 0 (T5X: 0.8), got " + decayRate);
        }
        if (stepOffset < 0) throw new IllegalArgumentException("Adafactor stepOffset must be >= 0, got " + stepOffset);
        if (!(clippingThreshold >= 0) || Float.isInfinite(clippingThreshold)) {
            throw new IllegalArgumentException("Adafactor clippingThreshold must be finite and >= 0 (0 = off), got "
                    + clippingThreshold);
        }
        if (!(weightDecayRate >= 0 && weightDecayRate < 1)) {
            throw new IllegalArgumentException("Adafactor weightDecayRate must be in [0, 1), got " + weightDecayRate);
        }
        if (!(epsilon1 >= 0) || !(epsilon2 >= 0) || Float.isInfinite(epsilon1) || Float.isInfinite(epsilon2)) {
            throw new IllegalArgumentException("Adafactor epsilon1/epsilon2 must be finite and >= 0, got "
                    + epsilon1 + "/" + epsilon2);
        }
    }

    /** T5X's defaults: factored (min dim 128), parameter scaling, decay rate 0.8, clipping 1.0, no weight decay. */
    public static AdafactorConfig t5x() {
        return new AdafactorConfig(true, 128, true, 0.8f, 0, 1.0f, 0f, 1e-30f, 1e-3f);
    }

    public AdafactorConfig withFactored(boolean f) {
        return new AdafactorConfig(f, minDimSizeToFactor, multiplyByParameterScale, decayRate, stepOffset,
                clippingThreshold, weightDecayRate, epsilon1, epsilon2);
    }

    public AdafactorConfig withMinDimSizeToFactor(int n) {
        return new AdafactorConfig(factored, n, multiplyByParameterScale, decayRate, stepOffset,
                clippingThreshold, weightDecayRate, epsilon1, epsilon2);
    }

    public AdafactorConfig withMultiplyByParameterScale(boolean s) {
        return new AdafactorConfig(factored, minDimSizeToFactor, s, decayRate, stepOffset,
                clippingThreshold, weightDecayRate, epsilon1, epsilon2);
    }

    public AdafactorConfig withDecayRate(float r) {
        return new AdafactorConfig(factored, minDimSizeToFactor, multiplyByParameterScale, r, stepOffset,
                clippingThreshold, weightDecayRate, epsilon1, epsilon2);
    }

    public AdafactorConfig withStepOffset(long o) {
        return new AdafactorConfig(factored, minDimSizeToFactor, multiplyByParameterScale, decayRate, o,
                clippingThreshold, weightDecayRate, epsilon1, epsilon2);
    }

    public AdafactorConfig withClippingThreshold(float c) {
        return new AdafactorConfig(factored, minDimSizeToFactor, multiplyByParameterScale, decayRate, stepOffset,
                c, weightDecayRate, epsilon1, epsilon2);
    }

    public AdafactorConfig withWeightDecayRate(float w) {
        return new AdafactorConfig(factored, minDimSizeToFactor, multiplyByParameterScale, decayRate, stepOffset,
                clippingThreshold, w, epsilon1, epsilon2);
    }

    public AdafactorConfig withEpsilons(float e1, float e2) {
        return new AdafactorConfig(factored, minDimSizeToFactor, multiplyByParameterScale, decayRate, stepOffset,
                clippingThreshold, weightDecayRate, e1, e2);
    }
}
