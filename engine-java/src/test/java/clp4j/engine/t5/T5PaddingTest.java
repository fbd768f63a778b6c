package clp4j.engine.t5;

import clp4j.engine.autodiff.Autodiff;
import clp4j.engine.backend.Backend;
import clp4j.engine.backend.Backends;
import clp4j.engine.io.SafetensorsFile;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
