package clp4j.engine.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EncodedBatchTest {

    /** One id per character (code + 10), then eos: enough to check the interface's batching rules. */
    private static final class CharTokenizer implements Tokenizer {
        @Override public int[] encode(String text) {
            int[] ids = new int[text.length() + 1];
            for (int i = 0; i < text.length(); i++) ids[i] = text.charAt(i) - 'a' + 10;
            ids[text.length()] = eosId();
            return ids;
        }
        @Override public String decode(int[] ids) { throw new UnsupportedOperationException(); }
        @Override public int vocabSize() { return 40; }
        @Override public int pieceCount() { return 38; }
        @Override public String idToPiece(int id) { throw new UnsupportedOperationException(); }
        @Override public int pieceToId(String piece) { throw new UnsupportedOperationException(); }
        @Override public void close() {}
    }

    @Test
    void padsRowsToTheLongest() {
        EncodedBatch b = EncodedBatch.pad(new int[][] {{5, 6, 1}, {1}, {7, 8, 9, 1}}, 0);
        assertEquals(3, b.batchSize());
        assertEquals(4, b.seqLen());
        assertArrayEquals(new int[] {5, 6, 1, 0, 1, 0, 0, 0, 7, 8, 9, 1}, b.inputIds());
        assertArrayEquals(new int[] {1, 1, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1}, b.attentionMask());
        assertArrayEquals(new int[] {3, 1, 4}, b.lengths());
        assertArrayEquals(new int[] {1}, b.row(1));
        assertArrayEquals(new int[] {7, 8, 9, 1}, b.row(2));
    }

    @Test
    void emptyBatch() {
        EncodedBatch b = EncodedBatch.pad(new int[0][], 0);
        assertEquals(0, b.batchSize());
        assertEquals(0, b.seqLen());
    }

    @Test
    void rejectsInconsistentShapes() {
        assertThrows(IllegalArgumentException.class, () -> new EncodedBatch(2, 2, new int[3], new int[3], new int[2]));
    }

    @Test
    void interfaceBatchingTruncatesKeepingEos() {
        Tokenizer t = new CharTokenizer();
        EncodedBatch full = t.encodeBatch(List.of("abc", "a"));
        assertArrayEquals(new int[] {10, 11, 12, 1, 10, 1, 0, 0}, full.inputIds());
        EncodedBatch cut = t.encodeBatch(List.of("abcdef", "a"), 3);
        assertArrayEquals(new int[] {10, 11, 1, 10, 1, 0}, cut.inputIds());
        assertArrayEquals(new int[] {3, 2}, cut.lengths());
        assertArrayEquals(new int[] {1, 1}, t.encodeBatch(List.of("abc", ""), 1).inputIds());
        assertEquals(39, t.sentinelId(0));
        assertEquals(38, t.sentinelId(1));
        assertThrows(IllegalArgumentException.class, () -> t.sentinelId(2));
    }
}
