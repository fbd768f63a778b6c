package clp4j.nativ.sentencepiece;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad model files give an exception naming the file and saying what to do; none reaches the
 * native parser in a way that could take the JVM down (this test running to the end shows it).
 */
class SentencePieceModelFileTest {

    @TempDir
    Path dir;

    private IllegalArgumentException refused(Path file, String expectedReason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SentencePieceTokenizer.load(file));
        String m = e.getMessage();
        assertTrue(m.contains(file.toAbsolutePath().toString()), "message names the file: " + m);
        assertTrue(m.contains(expectedReason), "message says '" + expectedReason + "': " + m);
        assertTrue(m.contains("spiece.model"), "message says what to pass: " + m);
        return e;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void readsTheT5Model() {
        SentencePieceModelFile m = SentencePieceModelFile.read(SpieceModelLocation.spieceModel());
        assertEquals(32000, m.pieceCount());
        assertEquals("\u2581", m.piece(3)); // spm_export_vocab lists "▁" fourth
    }

    @Test
    void missingFile() {
        refused(dir.resolve("nope.model"), "does not exist");
        refused(dir, "does not exist"); // a folder is not a model file either
    }

    @Test
    void emptyFile() throws IOException {
        refused(write("empty.model", new byte[0]), "empty");
    }

    @Test
    void truncatedCopies() throws IOException {
        byte[] real = Files.readAllBytes(SpieceModelLocation.spieceModel());
        for (int keep : new int[] {1, 17, 1000, 400_000, real.length / 2, real.length - 1}) {
            refused(write("cut" + keep + ".model", Arrays.copyOf(real, keep)), "not a valid SentencePiece model");
        }
    }

    @Test
    void cutBetweenPiecesLosesTheSpecs() throws IOException {
        byte[] real = Files.readAllBytes(SpieceModelLocation.spieceModel());
        // walk whole piece fields (tag 0x0a, one-byte length) and cut after the 100th
        int pos = 0;
        for (int piece = 0; piece < 100; piece++) {
            assertEquals(0x0a, real[pos]);
            int len = real[pos + 1] & 0xff;
            assertTrue(len < 0x80);
            pos += 2 + len;
        }
        refused(write("cut-at-piece.model", Arrays.copyOf(real, pos)), "trainer_spec is missing after 100 pieces");
    }

    @Test
    void randomBytes() throws IOException {
        Random rnd = new Random(20261126);
        for (int i = 0; i < 20; i++) {
            byte[] b = new byte[1 + rnd.nextInt(100_000)];
            rnd.nextBytes(b);
            refused(write("random" + i + ".model", b), "not a valid SentencePiece model");
        }
    }

    @Test
    void textFile() throws IOException {
        refused(write("config.json", "{\"d_model\": 512}\n".getBytes(StandardCharsets.UTF_8)), "not a valid SentencePiece model");
    }

    @Test
    void notAT5Vocabulary() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String p : new String[] {"<unk>", "<s>", "</s>", "a"}) field(out, 1, piece(p));
        field(out, 2, new byte[0]);
        field(out, 3, new byte[0]);
        refused(write("llama-like.model", out.toByteArray()), "not a T5 vocabulary");
    }

    @Test
    void nativeParserRefusalIsWrapped() throws IOException {
        // passes the Java checks (pieces, trainer and normalizer specs present) but the trainer spec
        // holds a malformed varint, which SentencePiece's own protobuf parser rejects
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String p : new String[] {"<pad>", "</s>", "<unk>", "a"}) field(out, 1, piece(p));
        field(out, 2, new byte[] {0x08, (byte) 0xff});
        field(out, 3, new byte[0]);
        refused(write("bad-spec.model", out.toByteArray()), "the SentencePiece library says");
    }

    private static byte[] piece(String text) {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        field(m, 1, text.getBytes(StandardCharsets.UTF_8));
        m.write(0x15); // field 2 (score), fixed32
        m.writeBytes(new byte[4]);
        return m.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, int number, byte[] value) {
        out.write(number << 3 | 2);
        int n = value.length;
        while (n >= 0x80) {
            out.write(n & 0x7f | 0x80);
            n >>>= 7;
        }
        out.write(n);
        out.writeBytes(value);
    }
}
