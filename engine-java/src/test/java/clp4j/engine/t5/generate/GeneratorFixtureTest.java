package clp4j.engine.t5.generate;

import clp4j.engine.autodiff.Autodiff;
import clp4j.engine.autodiff.TensorScope;
import clp4j.engine.backend.Backend;
import clp4j.engine.backend.Backends;
import clp4j.engine.io.SafetensorsFile;
import clp4j.engine.t5.GreedyLoop;
import clp4j.engine.t5.T5Config;
import clp4j.engine.t5.T5Dropout;
import clp4j.engine.t5.T5Fixtures;
import clp4j.engine.t5.T5Model;
import clp4j.engine.t5.T5Parameters;
import clp4j.engine.t5.TokenBatch;
import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cached generation on both fixture models (v1.0: relu, tied; v1.1: gated-gelu, untied) against the
 * PyTorch greedy tokens, an uncached loop, the whole-sequence decoder and the scorer.
 */
class GeneratorFixtureTest {
    /** Every available backend with both fixture models. */
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String backend : Backends.names()) {
            if (!Backends.isAvailable(backend)) continue;
            for (String model : new String[] {"v1_0", "v1_1"}) out.add(Arguments.of(backend, model));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void cachedGreedyGivesThePyTorchTokensAndTheUncachedLoopsTokens(String backend, String model) throws Exception {
        Backend be = Backends.get(backend);
        T5Model m = new T5Model(GenFixtures.parameters(model, be));
        try (SafetensorsFile g = T5Fixtures.golden(model); var ng = Autodiff.noGrad()) {
            TokenBatch source = GenFixtures.source(g);
            int steps = Integer.parseInt(g.metadata().get("greedy_steps"));
            Generation gen = Generator.generate(m, source, GenerationConfig.greedy(steps).forcingAllTokens());
            assertArrayEquals(T5Fixtures.ints(g.readF32("greedy_tokens")), gen.tokens(), "PyTorch greedy tokens");
            int longer = 40; // past the fixture and past both models' max_distance: the uncached loop is the reference
            Generation more = Generator.generate(m, source, GenerationConfig.greedy(longer).forcingAllTokens());
            assertArrayEquals(GreedyLoop.run(m, source, longer, false), more.tokens(), "uncached greedy loop");
        }
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void eachStepsLogitsEqualTheWholeSequenceDecoder(String backend, String model) throws Exception {
        Backend be = Backends.get(backend);
        T5Model m = new T5Model(GenFixtures.parameters(model, be));
        int vocab = m.config().vocabSize();
        try (SafetensorsFile g = T5Fixtures.golden(model); var ng = Autodiff.noGrad(); var scope = TensorScope.open()) {
            TokenBatch source = GenFixtures.source(g);
            int[] shape = g.entry("decoder_input_ids").shape();
            int b = shape[0];
            int t = shape[1];
            int[] ids = T5Fixtures.ints(g.readF32("decoder_input_ids"));
            Tensor enc = m.encode(source, T5Dropout.OFF);
            float[] whole = m.decodeLogits(enc, m.encoderMask(source), TokenBatch.of(ids, b, t), null, T5Dropout.OFF).toArray();
            IncrementalDecoder dec = new IncrementalDecoder(m.parameters(), enc, m.encoderMask(source), t);
            int[] step = new int[b];
            for (int pos = 0; pos < t; pos++) {
                for (int r = 0; r < b; r++) step[r] = ids[r * t + pos];
                float[] got = dec.step(step, pos).toArray();
                for (int r = 0; r < b; r++) {
                    for (int v = 0; v < vocab; v++) {
                        float want = whole[(r * t + pos) * vocab + v];
                        float err = Math.abs(got[r * vocab + v] - want);
                        assertTrue(err <= 1e-4f * Math.max(1f, Math.abs(want)),
                                model + " row " + r + " position " + pos + " token " + v + ": " + got[r * vocab + v] + " vs " + want);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void modelLogProbsEqualTheScorersPerTokenLogProbs(String backend, String model) throws Exception {
        Backend be = Backends.get(backend);
        T5Parameters p = GenFixtures.parameters(model, be);
        TokenBatch source = GenFixtures.source(model);
        try (var ng = Autodiff.noGrad()) {
            // make row 0's third greedy token the eos, so that rows end early and the targets hold padding
            int eos = Generator.generate(new T5Model(p), source, GenerationConfig.greedy(3).forcingAllTokens()).tokens()[2];
            T5Model m = GenFixtures.withEos(p, eos);
            for (GenerationConfig cfg : new GenerationConfig[] {
                    GenerationConfig.greedy(12),
                    GenerationConfig.sampling(12, SamplingConfig.sample(1.7f, 20, 0.9f), 11),
                    GenerationConfig.sampling(12, SamplingConfig.sample(0.6f), 12)}) {
                Generation gen = Generator.generate(m, source, cfg);
                SequenceScorer.Scores s = SequenceScorer.score(m, source, gen.targets());
                float[] perToken = s.tokenLogProbs().toArray();
                float[] perSeq = s.sequenceLogProbs().toArray();
                int t = gen.targets().length();
                for (int r = 0; r < gen.batch(); r++) {
                    for (int j = 0; j < t; j++) {
                        float want = j < gen.lengths()[r] ? gen.modelLogProbs()[r * gen.maxNewTokens() + j] : 0f;
                        assertEquals(want, perToken[r * t + j], 1e-5, cfg + " row " + r + " token " + j);
                    }
                    assertEquals(gen.sequenceModelLogProb(r), perSeq[r], 1e-4, cfg + " row " + r + " sum");
                }
            }
        }
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void rowsStopAtTheirEosAndThenHoldPad(String backend, String model) throws Exception {
        Backend be = Backends.get(backend);
        T5Parameters p = GenFixtures.parameters(model, be);
        TokenBatch source = GenFixtures.source(model);
        try (var ng = Autodiff.noGrad()) {
            int max = 10;
            int[] forced = Generator.generate(new T5Model(p), source, GenerationConfig.greedy(max).forcingAllTokens()).tokens();
            // call row 0's third greedy token "</s>": the same weights must then stop row 0 there
            int eos = forced[2];
            T5Config c = p.config();
            Generation gen = Generator.generate(GenFixtures.withEos(p, eos), source, GenerationConfig.greedy(max));
            for (int r = 0; r < gen.batch(); r++) {
                int first = -1;
                for (int j = 0; j < max && first < 0; j++) if (forced[r * max + j] == eos) first = j;
                int len = first < 0 ? max : first + 1;
                assertEquals(len, gen.lengths()[r], "row " + r + " length");
                for (int j = 0; j < max; j++) {
                    int want = j < len ? forced[r * max + j] : c.padTokenId();
                    assertEquals(want, gen.tokens()[r * max + j], "row " + r + " token " + j);
                    if (j >= len) assertEquals(0f, gen.modelLogProbs()[r * max + j], "row " + r + " log-prob after eos");
                }
            }
            assertEquals(3, gen.lengths()[0]);
            assertArrayEquals(Arrays.copyOf(forced, 3), gen.row(0));
        }
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void sourcePaddingDoesNotChangeARowsResult(String backend, String model) throws Exception {
        Backend be = Backends.get(backend);
        T5Model m = new T5Model(GenFixtures.parameters(model, be));
        TokenBatch source = GenFixtures.source(model);
        try (var ng = Autodiff.noGrad()) {
            assertTrue(source.mask() != null && Arrays.stream(source.mask()).anyMatch(v -> v == 0), "the fixture batch is padded");
            int max = 12;
            GenerationConfig cfg = GenerationConfig.greedy(max).forcingAllTokens();
            Generation batch = Generator.generate(m, source, cfg);
            for (int r = 0; r < source.batch(); r++) {
                Generation alone = Generator.generate(m, GenFixtures.row(source, r), cfg);
                assertArrayEquals(alone.tokens(), Arrays.copyOfRange(batch.tokens(), r * max, (r + 1) * max), "row " + r + " tokens");
                for (int j = 0; j < max; j++) {
                    assertEquals(alone.modelLogProbs()[j], batch.modelLogProbs()[r * max + j], 1e-5, "row " + r + " log-prob " + j);
                }
            }
        }
    }
}
