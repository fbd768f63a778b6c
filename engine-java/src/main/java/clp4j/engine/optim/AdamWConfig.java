package clp4j.engine.optim;

/**
 * AdamW hyper-parameters (torch.optim.AdamW's names and defaults, {@link #torch()}); the learning
 * rate comes from a {@link LearningRateSchedule}.
 *
 * @param weightDecay decoupled, scaled by the learning rate: p -= lr * weightDecay * p
 */
public record AdamWConfig(float beta1, float beta2, float epsilon, float weightDecay) {

    public AdamWConfig {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("AdamW betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(epsilon >= 0) || Float.isInfinite(epsilon)) {
            throw new IllegalArgumentException("AdamW epsilon must be finite and >= 0, got " + epsilon);
        }
        if (!(weightDecay >= 0) || Float.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("AdamW weightDecay must be finite and >= 0, got " + weightDecay);
        }
    }

    /** torch.optim.AdamW defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
    public static AdamWConfig torch() { return new AdamWConfig(0.9f, 0.999f, 1e-8f, 0.01f); }

    public AdamWConfig withBetas(float b1, float b2) { return new AdamWConfig(b1, b2, epsilon, weightDecay); }

    public AdamWConfig withEpsilon(float e) { return new AdamWConfig(beta1, beta2, e, weightDecay); }

    public AdamWConfig withWeightDecay(float w) { return new AdamWConfig(beta1, beta2, epsilon, w); }
}
