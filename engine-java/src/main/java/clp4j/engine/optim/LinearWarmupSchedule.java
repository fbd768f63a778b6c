package clp4j.engine.optim;

/**
 * T5X's "constant * linear_warmup": {@code peak * min(1, step / warmupSteps)}, then constant.
 * As in T5X the first update (step 0) has learning rate 0.
 */
public record LinearWarmupSchedule(float peak, long warmupSteps) implements LearningRateSchedule {
    static final String NAME = "linear_warmup";

    public LinearWarmupSchedule {
        if (!(peak >= 0) || Float.isInfinite(peak)) {
            throw new IllegalArgumentException("linear warmup peak learning rate must be finite and >= 0, got " + peak);
        }
        if (warmupSteps <= 0) {
            throw new IllegalArgumentException("linear warmup needs warmupSteps > 0, got " + warmupSteps);
        }
    }

    @Override
    public float at(long step) {
        return (float) (peak * Math.min(1.0, (double) step / warmupSteps));
    }

    @Override
    public String spec() { return NAME + "(" + peak + ", " + warmupSteps + ")"; }
}
