package clp4j.engine.t5.generate;

/**
 * One generation call's settings.
 *
 * @param maxNewTokens at most this many tokens per row (&gt;= 1); the decoder caches are sized for it
 * @param sampling     greedy or sampling settings
 * @param seed         the sampling seed: row r's draws depend only on (seed, r, step), so a call is
 *                     reproducible and rows do not disturb each other
 * @param stopAtEos    a row ends at its first {@code </s>} (later positions hold pad); with false every
 *                     row runs exactly maxNewTokens steps (benchmarks, fixtures)
 */
public record GenerationConfig(int maxNewTokens, SamplingConfig sampling, long seed, boolean stopAtEos) {
    public GenerationConfig {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens is " + maxNewTokens + "; ask for at least 1 new token");
        }
        if (sampling == null) {
            throw new IllegalArgumentException("sampling is null; use SamplingConfig.GREEDY or SamplingConfig.sample(...)");
        }
    }

    /** Greedy decoding that stops at {@code </s>}. */
    public static GenerationConfig greedy(int maxNewTokens) {
        return new GenerationConfig(maxNewTokens, SamplingConfig.GREEDY, 0L, true);
    }

    /** Sampling that stops at {@code </s>}. */
    public static GenerationConfig sampling(int maxNewTokens, SamplingConfig sampling, long seed) {
        return new GenerationConfig(maxNewTokens, sampling, seed, true);
    }

    /** The same settings without stopping at {@code </s>}. */
    public GenerationConfig forcingAllTokens() {
        return new GenerationConfig(maxNewTokens, sampling, seed, false);
    }
}
