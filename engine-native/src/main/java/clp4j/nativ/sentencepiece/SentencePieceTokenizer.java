package clp4j.nativ.sentencepiece;

import ai.djl.sentencepiece.SpProcessor;
import ai.djl.sentencepiece.SpTokenizer;
import clp4j.engine.tokenizer.SentinelText;
import clp4j.engine.tokenizer.Tokenizer;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The T5 tokenizer: a SentencePiece model run by the SentencePiece C++ library through DJL's JNI
 * binding ({@code ai.djl.sentencepiece}, which unpacks its native library into
 * {@code ~/.djl.ai}, or {@code $ENGINE_CACHE_DIR}/{@code $DJL_CACHE_DIR} when set), plus HF's T5
 * rules from {@link Tokenizer}. The piece table is read in Java ({@link SentencePieceModelFile}),
 * so lookups never cross into native code and ids are checked before they do.
 *
 * <p>Thread safety: one instance may be shared by any number of threads. {@code encode} and
 * {@code decode} run concurrently (SentencePiece's processor is read-only once loaded) under a
 * read lock; {@link #close()} takes the write lock, so it waits for running calls and later calls
 * throw {@link IllegalStateException} instead of touching freed native memory.
 */
public final class SentencePieceTokenizer implements Tokenizer {

    /** T5 checkpoints add 100 sentinels {@code <extra_id_0..99>} after the pieces. */
    public static final int T5_SENTINELS = 100;

    private final Path file;
    private final String[] pieces;
    private final Map<String, Integer> ids;
    private final int sentinels;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private SpTokenizer sp; // null once closed

    private SentencePieceTokenizer(SentencePieceModelFile model, int sentinels) {
        if (sentinels < 0) throw new IllegalArgumentException("sentinel count must be >= 0, got " + sentinels);
        this.file = model.file();
        this.sentinels = sentinels;
        this.pieces = new String[model.pieceCount()];
        this.ids = new HashMap<>(model.pieceCount() * 2);
        for (int i = 0; i < pieces.length; i++) {
            pieces[i] = model.piece(i);
            ids.putIfAbsent(pieces[i], i);
        }
        this.sp = loadNative(model);
    }

    /** Loads a T5 {@code spiece.model} with its 100 sentinels (vocab size 32,100 for T5's vocabulary). */
    public static SentencePieceTokenizer load(Path spieceModel) {
        return load(spieceModel, T5_SENTINELS);
    }

    /** Loads {@code spieceModel} with {@code sentinels} {@code <extra_id_N>} tokens after its pieces. */
    public static SentencePieceTokenizer load(Path spieceModel, int sentinels) {
        return new SentencePieceTokenizer(SentencePieceModelFile.read(spieceModel), sentinels);
    }

    private static SpTokenizer loadNative(SentencePieceModelFile model) {
        try {
            return new SpTokenizer(model.bytes());
        } catch (RuntimeException e) {
            // the bytes passed our own checks but the C++ parser refused them (ai.djl.engine.EngineException)
            throw SentencePieceModelFile.notAModel(model.file(), "the SentencePiece library says: " + e.getMessage());
        } catch (LinkageError e) {
            throw new IllegalStateException("cannot load the SentencePiece native library (DJL ai.djl.sentencepiece)"
                    + " for " + model.file().toAbsolutePath() + ": " + e + "; it unpacks into ~/.djl.ai, so make that"
                    + " writable or set ENGINE_CACHE_DIR to a writable directory", e);
        }
    }

    @Override
    public int[] encode(String text) {
        lock.readLock().lock();
        try {
            SpProcessor p = processor();
            if (!text.contains("<extra_id_")) return withEos(p.encode(text));
            List<SentinelText.Segment> segments = SentinelText.split(text, sentinels);
            int[][] parts = new int[segments.size()][];
            int total = 0;
            for (int i = 0; i < parts.length; i++) {
                SentinelText.Segment s = segments.get(i);
                parts[i] = s.isSentinel() ? new int[] {sentinelId(s.sentinel())} : p.encode(s.text());
                total += parts[i].length;
            }
            int[] out = new int[total + 1];
            int at = 0;
            for (int[] part : parts) {
                System.arraycopy(part, 0, out, at, part.length);
                at += part.length;
            }
            out[total] = eosId();
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    private int[] withEos(int[] ids) {
        int[] out = Arrays.copyOf(ids, ids.length + 1);
        out[ids.length] = eosId();
        return out;
    }

    @Override
    public String decode(int[] tokenIds) {
        lock.readLock().lock();
        try {
            SpProcessor p = processor();
            StringBuilder out = new StringBuilder();
            int[] run = new int[tokenIds.length];
            int runLength = 0;
            for (int i = 0; i < tokenIds.length; i++) {
                int id = tokenIds[i];
                if (id < 0) {
                    throw new IllegalArgumentException("token id " + id + " at position " + i
                            + " is negative; ids run from 0 to " + (vocabSize() - 1));
                }
                if (id == eosId()) break;
                if (id == padId() || id >= vocabSize()) continue;
                if (isSentinel(id)) {
                    appendText(p, out, run, runLength);
                    runLength = 0;
                    out.append(SentinelText.render(vocabSize() - 1 - id));
                } else {
                    run[runLength++] = id;
                }
            }
            appendText(p, out, run, runLength);
            return out.toString();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Appends the text of a run of piece ids. SentencePiece drops the leading space of what it
     * decodes; after a sentinel the space is put back when the run starts a word, so
     * {@code <extra_id_0> cute dog<extra_id_1>} comes out as HF writes it and encodes back the same.
     */
    private void appendText(SpProcessor p, StringBuilder out, int[] run, int runLength) {
        if (runLength == 0) return;
        if (!out.isEmpty() && pieces[run[0]].startsWith("\u2581")) out.append(' ');
        out.append(p.decode(Arrays.copyOf(run, runLength)));
    }

    @Override
    public int vocabSize() { return pieces.length + sentinels; }

    @Override
    public int pieceCount() { return pieces.length; }

    @Override
    public String idToPiece(int id) {
        if (id < 0 || id >= vocabSize()) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + vocabSize()
                    + ") of " + file.toAbsolutePath());
        }
        return id < pieces.length ? pieces[id] : SentinelText.render(vocabSize() - 1 - id);
    }

    @Override
    public int pieceToId(String piece) {
        Integer id = ids.get(piece);
        if (id != null) return id;
        List<SentinelText.Segment> s = SentinelText.split(piece, sentinels);
        if (s.size() == 1 && s.getFirst().isSentinel() && piece.equals(SentinelText.render(s.getFirst().sentinel()))) {
            return sentinelId(s.getFirst().sentinel());
        }
        return unkId();
    }

    /** The model file this tokenizer was loaded from. */
    public Path file() { return file; }

    private SpProcessor processor() {
        if (sp == null) {
            throw new IllegalStateException("the tokenizer for " + file.toAbsolutePath()
                    + " is closed: load it again with SentencePieceTokenizer.load");
        }
        return sp.getProcessor();
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (sp != null) sp.close();
            sp = null;
        } finally {
            lock.writeLock().unlock();
        }
    }
}
