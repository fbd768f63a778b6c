package clp4j.engine.optim;

/** The same learning rate at every step (T5X's "constant" factor). */
public record ConstantSchedule(float learningRate) implements LearningRateSchedule {
    static final String NAME = "constant";

    public ConstantSchedule {
        if (!(learningRate >= 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("constant learning rate must be finite and >= 0, got " + learningRate);
        }
    }

    @Override
    public float at(long step) { return learningRate; }

    @Override
    public String spec() { return NAME + "(" + learningRate + ")"; }
}
