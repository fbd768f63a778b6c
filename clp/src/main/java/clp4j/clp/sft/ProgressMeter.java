package clp4j.clp.sft;

import java.util.Locale;

/**
 * Progress lines of a training run: mean loss over the lines' window, learning rate, tokens per
 * second (real source and summary tokens, padding not counted), elapsed time and the estimated time
 * left, extrapolated from the steps done since this process started.
 */
final class ProgressMeter {
    private final long startStep, totalSteps;
    private final long startNanos = System.nanoTime();
    private long windowStart = System.nanoTime();
    private double windowLoss;
    private long windowSteps, windowTokens;

    ProgressMeter(long startStep, long totalSteps) {
        this.startStep = startStep;
        this.totalSteps = totalSteps;
    }

    void add(float loss, long tokens) {
        windowLoss += loss;
        windowSteps++;
        windowTokens += tokens;
    }

    /** The line for {@code step} (steps done), closing the current window. */
    String line(long step, float learningRate) {
        long now = System.nanoTime();
        double windowSeconds = Math.max(1e-9, (now - windowStart) / 1e9);
        double elapsed = (now - startNanos) / 1e9;
        long done = step - startStep;
        double eta = done > 0 ? elapsed / done * (totalSteps - step) : 0;
        String s = String.format(Locale.ROOT, "step %" + Long.toString(totalSteps).length() + "d/%d  loss %.4f  lr %.1e  %,.0f tok/s  elapsed %s  eta %s",
                step, totalSteps, windowLoss / Math.max(1, windowSteps), learningRate, windowTokens / windowSeconds,
                clock(elapsed), clock(eta));
        windowStart = now;
        windowLoss = 0;
        windowSteps = 0;
        windowTokens = 0;
        return s;
    }

    double elapsedSeconds() { return (System.nanoTime() - startNanos) / 1e9; }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
