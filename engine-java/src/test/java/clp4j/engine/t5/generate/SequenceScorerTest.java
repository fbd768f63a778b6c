package clp4j.engine.t5.generate;

import clp4j.engine.autodiff.Autodiff;
import clp4j.engine.autodiff.F;
import clp4j.engine.backend.Backends;
import clp4j.engine.io.SafetensorsFile;
import clp4j.engine.t5.T5Fixtures;
import clp4j.engine.t5.T5Loss;
import clp4j.engine.t5.T5Model;
import clp4j.engine.t5.T5Parameters;
import clp4j.engine.t5.TokenBatch;
import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scoring the fixture's labels: the sequence log-probabilities sum to -(loss x counted tokens) of the
 * PyTorch fixture, and their gradient is -(counted tokens) times the fixture's mean-loss gradients.
 */
class SequenceScorerTest {
    @ParameterizedTest
    @ValueSource(strings = {"v1_0", "v1_1"})
    void scoresAndGradientsMatchThePyTorchLoss(String model) throws Exception {
        T5Parameters p = GenFixtures.parameters(model, Backends.get("reference")).requiresGrad(true);
        T5Model m = new T5Model(p);
        try (SafetensorsFile g = T5Fixtures.golden(model)) {
            TokenBatch source = GenFixtures.source(g);
            int[] labels = T5Fixtures.ints(g.readF32("labels"));
            int[] shape = g.entry("labels").shape();
            int[][] rows = new int[shape[0]][];
            int counted = 0;
            for (int b = 0; b < shape[0]; b++) {
                int n = 0;
                while (n < shape[1] && labels[b * shape[1] + n] != T5Loss.IGNORE_INDEX) n++;
                rows[b] = java.util.Arrays.copyOfRange(labels, b * shape[1], b * shape[1] + n);
                counted += n;
            }
            SequenceScorer.Scores s = SequenceScorer.score(m, source, TokenBatch.padded(rows, 0));
            float loss = g.readF32("loss")[0];
            float[] seq = s.sequenceLogProbs().toArray();
            double total = 0;
            for (float v : seq) total += v;
            assertEquals(-loss * counted, total, 1e-4 * counted);
            float[] tok = s.tokenLogProbs().toArray();
            for (int b = 0; b < shape[0]; b++) {
                for (int j = rows[b].length; j < s.tokenLogProbs().dim(1); j++) assertEquals(0f, tok[b * s.tokenLogProbs().dim(1) + j], 0f);
            }

            Autodiff.backward(F.sum(s.sequenceLogProbs()));
            for (Map.Entry<String, Tensor> e : p.asMap().entrySet()) {
                assertNotNull(e.getValue().grad(), "no gradient reached " + e.getKey());
                float[] got = e.getValue().grad().toArray();
                float[] want = g.readF32("grad." + e.getKey());
                for (int i = 0; i < want.length; i++) {
                    double expected = -(double) counted * want[i];
                    assertTrue(Math.abs(got[i] - expected) <= 1e-4 * Math.max(1, Math.abs(expected)),
                            e.getKey() + "[" + i + "]: " + got[i] + " vs " + expected);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1_0"})
    void noGradScoringRecordsNothingAndMismatchedBatchesAreRejected(String model) throws Exception {
        T5Model m = new T5Model(GenFixtures.parameters(model, Backends.get("reference")).requiresGrad(true));
        TokenBatch source = GenFixtures.source(model);
        try (var ng = Autodiff.noGrad()) {
            TokenBatch targets = TokenBatch.padded(new int[][] {{5, 1}, {6, 7, 1}, {1}}, 0);
            SequenceScorer.Scores s = SequenceScorer.score(m, source, targets);
            assertEquals(null, s.sequenceLogProbs().gradFn());
            TokenBatch two = TokenBatch.padded(new int[][] {{5, 1}, {6}}, 0);
            var e = assertThrows(IllegalArgumentException.class, () -> SequenceScorer.score(m, source, two));
            assertTrue(e.getMessage().contains("2 target rows against 3 source rows"), e.getMessage());
        }
    }
}
