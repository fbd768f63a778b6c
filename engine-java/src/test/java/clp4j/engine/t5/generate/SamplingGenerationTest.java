package clp4j.engine.t5.generate;

import clp4j.engine.backend.Backend;
import clp4j.engine.backend.Backends;
import clp4j.engine.t5.T5Model;
import clp4j.engine.t5.TokenBatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Seeded sampling through the whole generator on the fixture models. */
class SamplingGenerationTest {
    private static final Backend REF = Backends.get("reference");
    private static final int MAX = 10;

    private static Generation sample(T5Model m, TokenBatch source, SamplingConfig s, long seed) {
        return Generator.generate(m, source, GenerationConfig.sampling(MAX, s, seed).forcingAllTokens());
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1_0", "v1_1"})
    void samplingIsReproducibleFromASeedAndDiffersAcrossSeeds(String model) throws Exception {
        T5Model m = new T5Model(GenFixtures.parameters(model, REF));
        TokenBatch source = GenFixtures.source(model);
        SamplingConfig s = SamplingConfig.sample(1.5f, 0, 0.95f);
        Generation a = sample(m, source, s, 7);
        Generation b = sample(m, source, s, 7);
        assertArrayEquals(a.tokens(), b.tokens());
        assertArrayEquals(a.samplingLogProbs(), b.samplingLogProbs());
        assertArrayEquals(a.modelLogProbs(), b.modelLogProbs());
        assertFalse(java.util.Arrays.equals(a.tokens(), sample(m, source, s, 8).tokens()), "seeds 7 and 8 gave the same tokens");
        // tempering and filtering make the sampling distribution differ from the model's
        assertFalse(java.util.Arrays.equals(a.samplingLogProbs(), a.modelLogProbs()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1_0", "v1_1"})
    void topKOneIsGreedy(String model) throws Exception {
        T5Model m = new T5Model(GenFixtures.parameters(model, REF));
        TokenBatch source = GenFixtures.source(model);
        Generation greedy = Generator.generate(m, source, GenerationConfig.greedy(MAX).forcingAllTokens());
        for (long seed : new long[] {1, 2}) {
            Generation k1 = sample(m, source, SamplingConfig.sample(3f, 1, 1f), seed);
            assertArrayEquals(greedy.tokens(), k1.tokens(), "top-k 1, seed " + seed);
            for (int i = 0; i < k1.tokens().length; i++) {
                assertEquals(0f, k1.samplingLogProbs()[i], 1e-6f, "a single kept token has probability 1");
                assertEquals(greedy.modelLogProbs()[i], k1.modelLogProbs()[i], 1e-6f);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1_0", "v1_1"})
    void untemperedSamplingLogProbsAreTheModelLogProbs(String model) throws Exception {
        T5Model m = new T5Model(GenFixtures.parameters(model, REF));
        Generation a = sample(m, GenFixtures.source(model), SamplingConfig.sample(1f), 3);
        for (int i = 0; i < a.tokens().length; i++) {
            assertEquals(a.modelLogProbs()[i], a.samplingLogProbs()[i], 2e-5f, "token " + i);
        }
    }
}
