package clp4j.nativ.sentencepiece;

import clp4j.engine.tokenizer.EncodedBatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** T5 rules on the real T5 vocabulary; ids of plain text come from the spm_encode fixture. */
class SentencePieceTokenizerTest {

    private static SentencePieceTokenizer t5;

    @BeforeAll
    static void load() { t5 = SentencePieceTokenizer.load(SpieceModelLocation.spieceModel()); }

    @AfterAll
    static void close() { if (t5 != null) t5.close(); }

    @Test
    void sizesAndSpecialIds() {
        assertEquals(32000, t5.pieceCount());
        assertEquals(32100, t5.vocabSize());
        assertEquals(100, t5.sentinelCount());
        assertEquals(0, t5.padId());
        assertEquals(1, t5.eosId());
        assertEquals(2, t5.unkId());
        assertEquals("<pad>", t5.idToPiece(0));
        assertEquals("</s>", t5.idToPiece(1));
        assertEquals("<unk>", t5.idToPiece(2));
    }

    @Test
    void sentinelIds() {
        assertEquals(32099, t5.sentinelId(0));
        assertEquals(32000, t5.sentinelId(99));
        for (int n = 0; n < 100; n++) {
            assertEquals(32099 - n, t5.sentinelId(n));
            assertEquals("<extra_id_" + n + ">", t5.idToPiece(32099 - n));
            assertEquals(32099 - n, t5.pieceToId("<extra_id_" + n + ">"));
            assertTrue(t5.isSentinel(32099 - n));
        }
        assertFalse(t5.isSentinel(31999));
        assertFalse(t5.isSentinel(32100));
        assertThrows(IllegalArgumentException.class, () -> t5.sentinelId(100));
        assertThrows(IllegalArgumentException.class, () -> t5.sentinelId(-1));
    }

    @Test
    void pieceLookups() {
        // "Hello world" is 8774 296 in spm_encode's output (fixture)
        assertEquals(8774, t5.pieceToId("\u2581Hello"));
        assertEquals(296, t5.pieceToId("\u2581world"));
        assertEquals("\u2581Hello", t5.idToPiece(8774));
        assertEquals(2, t5.pieceToId("no such piece at all"));
        assertEquals(2, t5.pieceToId("<extra_id_100>"));
        assertEquals(2, t5.pieceToId("<extra_id_07>"));
        for (int id = 0; id < t5.pieceCount(); id += 997) assertEquals(id, t5.pieceToId(t5.idToPiece(id)));
        assertThrows(IllegalArgumentException.class, () -> t5.idToPiece(32100));
        assertThrows(IllegalArgumentException.class, () -> t5.idToPiece(-1));
    }

    @Test
    void encodeAppendsEosAndSplitsAtSentinels() {
        assertArrayEquals(new int[] {8774, 296, 1}, t5.encode("Hello world"));
        assertArrayEquals(new int[] {1}, t5.encode(""));
        assertArrayEquals(new int[] {32099, 1}, t5.encode("<extra_id_0>"));
        int[] hello = t5.encode("Hello");
        int[] world = t5.encode("world");
        assertArrayEquals(new int[] {hello[0], 32098, world[0], 1}, t5.encode("Hello <extra_id_1> world"));
        assertArrayEquals(new int[] {hello[0], 32098, world[0], 1}, t5.encode("Hello<extra_id_1>world"));
    }

    @Test
    void oddJavaStringsDoNotReachNativeCodeBroken() {
        // an unpaired surrogate has no UTF-8 form: it is sent as '?' (Java's replacement), never as bad bytes
        assertArrayEquals(t5.encode("a?b"), t5.encode("a\ud800b"));
        assertArrayEquals(t5.encode("?"), t5.encode("\udc00"));
        assertEquals(200_001, t5.encode("word ".repeat(200_000)).length);
    }

    @Test
    void decodeSkipsPadStopsAtEosAndRendersSentinels() {
        assertEquals("Hello world", t5.decode(new int[] {8774, 296, 1}));
        assertEquals("Hello world", t5.decode(new int[] {0, 8774, 0, 296}));
        assertEquals("Hello", t5.decode(new int[] {8774, 1, 296, 1}));
        assertEquals("", t5.decode(new int[] {1, 8774}));
        assertEquals("", t5.decode(new int[] {}));
        assertEquals("<extra_id_0>", t5.decode(new int[] {32099}));
        // ids 32100..32127 are embedding rows with no token: skipped, as HF's fast tokenizer does
        assertEquals("Hello world", t5.decode(new int[] {8774, 32100, 32127, 296}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t5.decode(new int[] {8774, -5}));
        assertTrue(e.getMessage().contains("-5") && e.getMessage().contains("position 1"), e.getMessage());
    }

    @Test
    void sentinelTextRoundTrips() {
        for (String s : new String[] {
                "<extra_id_0> cute dog<extra_id_1> the<extra_id_2>",
                "The<extra_id_0> walks in<extra_id_1> park",
                "<extra_id_5><extra_id_6>",
                "caf\u00e9<extra_id_2> 42"}) {
            int[] ids = t5.encode(s);
            assertEquals(s, t5.decode(ids), "decode(encode(" + s + "))");
            assertArrayEquals(ids, t5.encode(t5.decode(ids)));
        }
        // a word glued to a sentinel in the ids stays glued in the text
        int dog = t5.encode("dog")[0];
        String glued = t5.decode(new int[] {32099, t5.pieceToId("s"), dog});
        assertEquals("<extra_id_0>s dog", glued);
    }

    @Test
    void batchPadsToLongestWithMaskAndLengths() {
        List<String> texts = List.of("Hello world", "", "The <extra_id_0> walks in <extra_id_1> park");
        EncodedBatch b = t5.encodeBatch(texts);
        assertEquals(3, b.batchSize());
        int longest = t5.encode(texts.get(2)).length;
        assertEquals(longest, b.seqLen());
        assertArrayEquals(new int[] {3, 1, longest}, b.lengths());
        for (int i = 0; i < 3; i++) {
            int[] ids = t5.encode(texts.get(i));
            assertArrayEquals(ids, b.row(i));
            for (int j = 0; j < b.seqLen(); j++) {
                int at = i * b.seqLen() + j;
                assertEquals(j < ids.length ? ids[j] : 0, b.inputIds()[at], "id at " + i + "," + j);
                assertEquals(j < ids.length ? 1 : 0, b.attentionMask()[at], "mask at " + i + "," + j);
            }
        }
    }

    @Test
    void batchTruncationKeepsEos() {
        String text = "The quick brown fox jumps over the lazy dog.";
        int[] full = t5.encode(text);
        assertTrue(full.length > 5);
        EncodedBatch b = t5.encodeBatch(List.of(text, "Hello"), 5);
        assertEquals(5, b.seqLen());
        int[] row = b.row(0);
        assertArrayEquals(new int[] {full[0], full[1], full[2], full[3], 1}, row);
        assertArrayEquals(t5.encode("Hello"), b.row(1));
    }

    @Test
    void concurrentEncodeAndDecodeAgreeWithSequential() throws Exception {
        List<String> texts = new ArrayList<>();
        for (SentencePieceTokenizerFixtureTest.Row r : SentencePieceTokenizerFixtureTest.rows()) texts.add(r.text());
        List<int[]> expected = new ArrayList<>();
        for (String s : texts) expected.add(t5.encode(s));
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<String>> results = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int offset = w * 37;
                results.add(pool.submit(() -> {
                    for (int k = 0; k < texts.size() * 3; k++) {
                        int i = (k + offset) % texts.size();
                        int[] ids = t5.encode(texts.get(i));
                        if (!java.util.Arrays.equals(expected.get(i), ids)) return "encode differs for '" + texts.get(i) + "'";
                        t5.decode(ids);
                    }
                    return "";
                }));
            }
            for (Future<String> f : results) assertEquals("", f.get());
        }
    }

    @Test
    void closedTokenizerRefusesWork() {
        SentencePieceTokenizer t = SentencePieceTokenizer.load(SpieceModelLocation.spieceModel());
        assertArrayEquals(new int[] {8774, 296, 1}, t.encode("Hello world"));
        t.close();
        t.close(); // closing twice is harmless
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.encode("Hello"));
        assertTrue(e.getMessage().contains("spiece.model") && e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> t.decode(new int[] {8774}));
    }
}
