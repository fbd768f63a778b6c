package clp4j.engine.t5;

import clp4j.engine.autodiff.F;
import clp4j.engine.tensor.Tensor;

/**
 * Dropout for one forward pass, at the places HF applies it (embeddings, attention weights, after the
 * feed-forward activation, each sublayer output, after each final norm). Each application draws its
 * own seed from a SplitMix64 sequence, so a pass is reproducible from {@code seed} and the forward
 * and backward masks agree. {@link #OFF} (evaluation, generation) returns its input unchanged.
 */
public final class T5Dropout {
    public static final T5Dropout OFF = new T5Dropout(0f, 0L);

    private final float rate;
    private long state;

    private T5Dropout(float rate, long seed) {
        if (!(rate >= 0f && rate < 1f)) {
            throw new IllegalArgumentException("dropout_rate " + rate + " must be in [0, 1)");
        }
        this.rate = rate;
        this.state = seed;
    }

    /** Training-mode dropout at {@code rate} for one pass seeded by {@code seed}. */
    public static T5Dropout training(float rate, long seed) {
        return rate == 0f ? OFF : new T5Dropout(rate, seed);
    }

    public boolean active() { return rate > 0f; }

    public Tensor apply(Tensor x) {
        if (rate == 0f) return x;
        return F.dropout(x, rate, nextSeed());
    }

    private long nextSeed() {
        state += 0x9E3779B97F4A7C15L;
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
