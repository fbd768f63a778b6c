package clp4j.nativ.sentencepiece;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A SentencePiece model file ({@code spiece.model}, a serialised {@code ModelProto}) read and
 * checked in Java before any byte reaches native code: the native library aborts the JVM on
 * some bad inputs (an out-of-range id, for one), so the piece table is kept here and every id
 * is checked against it. Reads only what the tokenizer needs: the pieces (field 1, each a
 * message with {@code piece} = field 1) and the presence of the trainer (2) and normalizer (3)
 * specs, which a file cut short loses because they are written after the pieces.
 */
public final class SentencePieceModelFile {

    private static final int WIRE_VARINT = 0, WIRE_FIXED64 = 1, WIRE_LEN = 2, WIRE_FIXED32 = 5;
    private static final String[] T5_SPECIALS = {"<pad>", "</s>", "<unk>"};

    private final Path file;
    private final byte[] bytes;
    private final String[] pieces;

    private SentencePieceModelFile(Path file, byte[] bytes, String[] pieces) {
        this.file = file;
        this.bytes = bytes;
        this.pieces = pieces;
    }

    /** Reads and checks {@code file}; every problem is an {@link IllegalArgumentException} naming it. */
    public static SentencePieceModelFile read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("SentencePiece model " + file.toAbsolutePath() + " does not exist"
                    + " or is not a file: pass the spiece.model of the checkpoint (the T5 one is in"
                    + " ../shared/data/t5-spiece/spiece.model)");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read SentencePiece model " + file.toAbsolutePath()
                    + ": check its permissions", e);
        }
        if (bytes.length == 0) throw notAModel(file, "the file is empty");
        return new SentencePieceModelFile(file, bytes, parse(file, bytes));
    }

    public Path file() { return file; }

    /** The file's bytes, for the native loader. */
    byte[] bytes() { return bytes; }

    public int pieceCount() { return pieces.length; }

    /** Piece {@code id}, for {@code 0 <= id < pieceCount()}. */
    public String piece(int id) { return pieces[id]; }

    private static String[] parse(Path file, byte[] b) {
        Reader r = new Reader(file, b, 0, b.length);
        List<String> pieces = new ArrayList<>();
        boolean trainerSpec = false, normalizerSpec = false;
        while (r.hasMore()) {
            long key = r.varint();
            int field = (int) (key >>> 3);
            int wire = (int) (key & 7);
            if (field == 1 && wire == WIRE_LEN) {
                int len = r.length();
                pieces.add(pieceOf(file, b, r.pos, len, pieces.size()));
                r.pos += len;
            } else {
                if (field == 2 && wire == WIRE_LEN) trainerSpec = true;
                if (field == 3 && wire == WIRE_LEN) normalizerSpec = true;
                r.skip(field, wire);
            }
        }
        if (pieces.size() < T5_SPECIALS.length) {
            throw notAModel(file, "it holds " + pieces.size() + " pieces");
        }
        if (!trainerSpec || !normalizerSpec) {
            throw notAModel(file, "its " + (trainerSpec ? "normalizer_spec" : "trainer_spec")
                    + " is missing after " + pieces.size() + " pieces, as in a file cut short");
        }
        for (int i = 0; i < T5_SPECIALS.length; i++) {
            if (!T5_SPECIALS[i].equals(pieces.get(i))) {
                throw new IllegalArgumentException("SentencePiece model " + file.toAbsolutePath()
                        + " is not a T5 vocabulary: id " + i + " is '" + pieces.get(i) + "' but T5 needs "
                        + String.join(", ", T5_SPECIALS) + " at ids 0, 1, 2; use the spiece.model of a T5 checkpoint");
            }
        }
        return pieces.toArray(new String[0]);
    }

    /** Field 1 ({@code piece}, a UTF-8 string) of the SentencePiece message at {@code [start, start+len)}. */
    private static String pieceOf(Path file, byte[] b, int start, int len, int id) {
        Reader r = new Reader(file, b, start, start + len);
        String piece = null;
        while (r.hasMore()) {
            long key = r.varint();
            int field = (int) (key >>> 3);
            int wire = (int) (key & 7);
            if (field == 1 && wire == WIRE_LEN) {
                int n = r.length();
                try {
                    piece = StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(b, r.pos, n)).toString();
                } catch (CharacterCodingException e) {
                    throw notAModel(file, "piece " + id + " at byte " + r.pos + " is not valid UTF-8");
                }
                r.pos += n;
            } else {
                r.skip(field, wire);
            }
        }
        if (piece == null || piece.isEmpty()) throw notAModel(file, "piece " + id + " has no text");
        return piece;
    }

    static IllegalArgumentException notAModel(Path file, String why) {
        return new IllegalArgumentException("SentencePiece model " + file.toAbsolutePath()
                + " is not a valid SentencePiece model (" + why + "): pass the spiece.model that came with the"
                + " checkpoint; if it is that file, it is damaged or cut short, so download it again");
    }

    /** Protocol-buffer wire reader over {@code [pos, end)} that reports malformed input as {@link #notAModel}. */
    private static final class Reader {
        final Path file;
        final byte[] b;
        final int end;
        int pos;

        Reader(Path file, byte[] b, int pos, int end) {
            this.file = file;
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        boolean hasMore() { return pos < end; }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) throw notAModel(file, "a varint runs past byte " + end);
                int x = b[pos++] & 0xff;
                v |= (long) (x & 0x7f) << shift;
                if ((x & 0x80) == 0) return v;
            }
            throw notAModel(file, "a varint at byte " + pos + " is longer than 10 bytes");
        }

        int length() {
            long n = varint();
            if (n < 0 || n > end - pos) {
                throw notAModel(file, "a field of " + n + " bytes at byte " + pos + " runs past byte " + end);
            }
            return (int) n;
        }

        void skip(int field, int wire) {
            if (field == 0) throw notAModel(file, "field number 0 at byte " + pos);
            switch (wire) {
                case WIRE_VARINT -> varint();
                case WIRE_FIXED64 -> advance(8);
                case WIRE_LEN -> advance(length()); // not pos += length(): that reads pos before length() moves it
                case WIRE_FIXED32 -> advance(4);
                default -> throw notAModel(file, "wire type " + wire + " of field " + field + " before byte " + pos);
            }
        }

        private void advance(int n) {
            if (n > end - pos) throw notAModel(file, "a fixed field at byte " + pos + " runs past byte " + end);
            pos += n;
        }
    }
}
