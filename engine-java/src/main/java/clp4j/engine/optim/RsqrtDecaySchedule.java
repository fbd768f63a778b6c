package clp4j.engine.optim;

/**
 * T5's inverse-square-root schedule, T5X's "constant * rsqrt_decay":
 * {@code base / sqrt(max(step, warmupSteps))} (constant {@code base / sqrt(warmupSteps)} during
 * warmup; T5 pretraining used base 1.0 and 10,000 warmup steps). With {@code linearWarmup} it is
 * "constant * linear_warmup * rsqrt_decay": additionally multiplied by {@code min(1, step / warmupSteps)}.
 */
public record RsqrtDecaySchedule(float base, long warmupSteps, boolean linearWarmup) implements LearningRateSchedule {
    static final String NAME = "rsqrt_decay";

    public RsqrtDecaySchedule {
        if (!(base >= 0) || Float.isInfinite(base)) {
            throw new IllegalArgumentException("rsqrt decay base learning rate must be finite and >= 0, got " + base);
        }
        if (warmupSteps <= 0) {
            throw new IllegalArgumentException("rsqrt decay needs warmupSteps > 0 (T5: 10000), got " + warmupSteps);
        }
    }

    @Override
    public float at(long step) {
        double lr = base / Math.sqrt(Math.max(step, warmupSteps));
        if (linearWarmup) lr *= Math.min(1.0, (double) step / warmupSteps);
        return (float) lr;
    }

    @Override
    public String spec() { return NAME + "(" + base + ", " + warmupSteps + ", " + linearWarmup + ")"; }
}
