package clp4j.engine.t5.generate;

/**
 * How each new token is chosen. Greedy takes the most likely token. Sampling applies, in HF's order,
 * temperature ({@code logits / temperature}), then top-k (keep the tokens whose tempered logit is at
 * least the k-th largest; 0 = off), then top-p (nucleus: keep the most likely tokens whose preceding
 * probability mass is below {@code topP}; 1 = off), and draws from the renormalised rest.
 *
 * @param greedy      argmax decoding; the other fields are then ignored (and must still be valid)
 * @param temperature &gt; 0 and finite
 * @param topK        &gt;= 0; 0 keeps every token
 * @param topP        in (0, 1]; 1 keeps every token
 */
public record SamplingConfig(boolean greedy, float temperature, int topK, float topP) {
    public SamplingConfig {
        if (!(temperature > 0f) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("sampling temperature is " + temperature
                    + "; it must be a finite number > 0 (use SamplingConfig.GREEDY for argmax decoding)");
        }
        if (topK < 0) {
            throw new IllegalArgumentException("sampling topK is " + topK + "; it must be >= 0 (0 turns top-k filtering off)");
        }
        if (!(topP > 0f && topP <= 1f)) {
            throw new IllegalArgumentException("sampling topP is " + topP + "; it must be in (0, 1] (1 turns nucleus filtering off)");
        }
    }

    /** Argmax decoding. */
    public static final SamplingConfig GREEDY = new SamplingConfig(true, 1f, 0, 1f);

    /** Ancestral sampling at {@code temperature} with top-k ({@code 0} = off) and top-p ({@code 1} = off). */
    public static SamplingConfig sample(float temperature, int topK, float topP) {
        return new SamplingConfig(false, temperature, topK, topP);
    }

    /** Plain sampling from the model's distribution at {@code temperature}. */
    public static SamplingConfig sample(float temperature) { return sample(temperature, 0, 1f); }

}
