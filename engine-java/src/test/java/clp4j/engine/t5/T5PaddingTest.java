package clp4j.engine.t5;

import clp4j.engine.autodiff.Autodiff;
import clp4j.engine.backend.Backend;
import clp4j.engine.backend.Backends;
import clp4j.engine.io.SafetensorsFile;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Padding is invisible: a padded row gives the numbers of the same row alone, unpadded (mask-free path). */
class T5PaddingTest {
    @Test
    void paddedRowEqualsTheRowAlone() throws Exception {
        Backend ref = Backends.get("reference");
        T5Model m = new T5Model(T5Fixtures.parameters("v1_0", ref));
        int vocab = m.config().vocabSize();
        int d = m.config().dModel();
        try (SafetensorsFile g = T5Fixtures.golden("v1_0"); var ng = Autodiff.noGrad()) {
            TokenBatch padded = T5GoldenTest.source(g);
            int row = 2;
            int s = padded.length();
            int len = 0;
            while (len < s && padded.mask()[row * s + len] == 1) len++;
            TokenBatch alone = TokenBatch.of(Arrays.copyOfRange(padded.ids(), row * s, row * s + len), 1, len);

            float[] enc = g.readF32("encoder_output");
            T5GoldenTest.assertClose(Arrays.copyOfRange(enc, row * s * d, (row * s + len) * d),
                    m.encode(alone, T5Dropout.OFF), "encoder output of row " + row + " alone");

            int t = g.entry("decoder_input_ids").shape()[1];
            int[] dec = Arrays.copyOfRange(T5Fixtures.ints(g.readF32("decoder_input_ids")), row * t, (row + 1) * t);
            float[] logits = g.readF32("logits");
            T5GoldenTest.assertClose(Arrays.copyOfRange(logits, row * t * vocab, (row + 1) * t * vocab),
                    m.decodeLogits(m.encode(alone, T5Dropout.OFF), m.encoderMask(alone), TokenBatch.of(dec, 1, t), null, T5Dropout.OFF),
                    "logits of row " + row + " alone");
        }
    }

    @Test
    void decoderAttentionMaskLeavesUnpaddedPositionsAlone() throws Exception {
        T5Model m = new T5Model(T5Fixtures.parameters("v1_1", Backends.get("reference")));
        int vocab = m.config().vocabSize();
        try (SafetensorsFile g = T5Fixtures.golden("v1_1"); var ng = Autodiff.noGrad()) {
            TokenBatch source = T5GoldenTest.source(g);
            int[] shape = g.entry("decoder_input_ids").shape();
            int[] labels = T5Fixtures.ints(g.readF32("labels"));
            int[] mask = new int[labels.length];
            for (int i = 0; i < mask.length; i++) mask[i] = labels[i] == T5Loss.IGNORE_INDEX ? 0 : 1;
            TokenBatch dec = new TokenBatch(T5Fixtures.ints(g.readF32("decoder_input_ids")), mask, shape[0], shape[1]);
            float[] got = m.decodeLogits(m.encode(source, T5Dropout.OFF), m.encoderMask(source), dec, null, T5Dropout.OFF).toArray();
            float[] expected = g.readF32("logits");
            int kept = 0;
            for (int i = 0; i < mask.length; i++) {
                if (mask[i] == 0) continue;
                // causality already hides the trailing pads from real positions, so their logits are unchanged
                assertArrayEquals(Arrays.copyOfRange(expected, i * vocab, (i + 1) * vocab),
                        Arrays.copyOfRange(got, i * vocab, (i + 1) * vocab), 1e-4f, "position " + i);
                kept++;
            }
            assertEquals(12, kept);
            GreedyLoop.HostConcatCache cache = new GreedyLoop.HostConcatCache(m.config().numDecoderLayers());
            assertThrows(IllegalArgumentException.class, () -> m.decodeLogits(m.encode(source, T5Dropout.OFF),
                    m.encoderMask(source), dec, cache, T5Dropout.OFF));
        }
    }

    @Test
    void tokenBatchHelpers() {
        TokenBatch b = TokenBatch.padded(new int[][] {{5, 6, 1}, {7, 1}}, 0);
        assertArrayEquals(new int[] {5, 6, 1, 7, 1, 0}, b.ids());
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 0}, b.mask());
        assertArrayEquals(new int[] {5, 6, 1, 7, 1, T5Loss.IGNORE_INDEX}, T5Loss.labels(b));
        T5Config c = T5ParametersTest.config(T5Config.FeedForward.RELU, true);
        assertArrayEquals(new int[] {0, 5, 6, 0, 7, 1}, T5Loss.shiftRight(T5Loss.labels(b), 2, 3, c));
        assertThrows(IllegalArgumentException.class, () -> new TokenBatch(new int[5], null, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> new TokenBatch(new int[6], new int[] {1, 1, 2, 1, 1, 1}, 2, 3));
    }
}
