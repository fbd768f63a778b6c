package clp4j.engine.t5;

import clp4j.engine.autodiff.Autodiff;
import clp4j.engine.backend.Backends;
import clp4j.engine.io.SafetensorsFile;
import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The decoder's cache hook: feeding the fixture's decoder inputs one token at a time through a
 * {@link DecoderCache} gives, at every position, the logits of the whole-sequence pass (bias rows
 * taken at the right offset, causal mask, cross keys/values computed once).
 */
class T5DecoderCacheTest {
    @ParameterizedTest
    @ValueSource(strings = {"v1_0", "v1_1"})
    void oneTokenAtATimeEqualsTheWholeSequence(String model) throws Exception {
        T5Model m = new T5Model(T5Fixtures.parameters(model, Backends.get("reference")));
        int vocab = m.config().vocabSize();
        try (SafetensorsFile g = T5Fixtures.golden(model); var ng = Autodiff.noGrad()) {
            TokenBatch source = T5GoldenTest.source(g);
            int[] shape = g.entry("decoder_input_ids").shape();
            int b = shape[0];
            int t = shape[1];
            int[] ids = T5Fixtures.ints(g.readF32("decoder_input_ids"));
            Tensor enc = m.encode(source, T5Dropout.OFF);
            Tensor encMask = m.encoderMask(source);
            float[] whole = m.decodeLogits(enc, encMask, TokenBatch.of(ids, b, t), null, T5Dropout.OFF).toArray();

            GreedyLoop.HostConcatCache cache = new GreedyLoop.HostConcatCache(m.config().numDecoderLayers());
            float[] stepwise = new float[whole.length];
            for (int pos = 0; pos < t; pos++) {
                int[] step = new int[b];
                for (int r = 0; r < b; r++) step[r] = ids[r * t + pos];
                float[] logits = m.decodeLogits(enc, encMask, TokenBatch.of(step, b, 1), cache, T5Dropout.OFF).toArray();
                for (int r = 0; r < b; r++) System.arraycopy(logits, r * vocab, stepwise, (r * t + pos) * vocab, vocab);
                assertEquals(pos + 1, cache.pastLength());
            }
            Tensor expected = Backends.get("reference").fromArray(stepwise, b, t, vocab);
            T5GoldenTest.assertClose(whole, expected, model + " cached vs whole-sequence logits");
        }
    }
}
