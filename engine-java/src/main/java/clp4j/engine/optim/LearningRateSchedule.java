package clp4j.engine.optim;

/**
 * The learning rate as a function of the step count, T5X convention: {@code step} is the number
 * of updates already applied (0 for the first update), as in T5X's {@code state.step}.
 *
 * <p>Every schedule has a textual {@link #spec()} so that an optimizer checkpoint records it and
 * {@link #parse} rebuilds exactly the same schedule.
 */
public interface LearningRateSchedule {

    /** The learning rate for the update that follows {@code step} completed updates. */
    float at(long step);

    /** e.g. {@code constant(0.001)}; {@link #parse} of it gives an equal schedule. */
    String spec();

    /** Inverse of {@link #spec()} for the schedules of this package. */
    static LearningRateSchedule parse(String spec) {
        String s = spec.strip();
        int open = s.indexOf('(');
        if (open < 0 || !s.endsWith(")")) {
            throw new IllegalArgumentException("learning-rate schedule '" + spec
                    + "' is not of the form name(arg, ...), e.g. constant(0.001)");
        }
        String name = s.substring(0, open).strip();
        String[] args = s.substring(open + 1, s.length() - 1).split(",");
        try {
            return switch (name) {
                case ConstantSchedule.NAME -> {
                    expectArgs(spec, args, 1);
                    yield new ConstantSchedule(Float.parseFloat(args[0].strip()));
                }
                case LinearWarmupSchedule.NAME -> {
                    expectArgs(spec, args, 2);
                    yield new LinearWarmupSchedule(Float.parseFloat(args[0].strip()), Long.parseLong(args[1].strip()));
                }
                case RsqrtDecaySchedule.NAME -> {
                    expectArgs(spec, args, 3);
                    yield new RsqrtDecaySchedule(Float.parseFloat(args[0].strip()), Long.parseLong(args[1].strip()),
                            Boolean.parseBoolean(args[2].strip()));
                }
                default -> throw new IllegalArgumentException("unknown learning-rate schedule '" + name + "' in '"
                        + spec + "'; known: constant, linear_warmup, rsqrt_decay");
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("learning-rate schedule '" + spec + "' has a malformed number: "
                    + e.getMessage(), e);
        }
    }

    private static void expectArgs(String spec, String[] args, int n) {
        if (args.length != n) {
            throw new IllegalArgumentException("learning-rate schedule '" + spec + "' needs " + n + " arguments, got "
                    + args.length);
        }
    }
}
