package clp4j.engine.tokenizer;

import java.util.List;

/**
 * Text to token ids and back, with the rules of Hugging Face's T5 tokenizer
 * (the slow, SentencePiece-based {@code T5Tokenizer}):
 * <ul>
 *   <li>{@link #encode} appends {@code </s>} ({@link #eosId()}) to every input;</li>
 *   <li>the text {@code <extra_id_N>} (0 &le; N &lt; {@link #sentinelCount()}) is a special token
 *       with id {@link #sentinelId(int)}; whitespace next to it is dropped, as HF's
 *       {@code lstrip}/{@code rstrip} added tokens do, and the text between sentinels is encoded
 *       piece by piece;</li>
 *   <li>{@link #decode} skips pad, stops at the first {@code </s>} and renders sentinels as
 *       {@code <extra_id_N>}.</li>
 * </ul>
 * Ids: pad 0, eos 1, unk 2, pieces {@code [0, pieceCount)}, sentinels
 * {@code [pieceCount, vocabSize)} counted down ({@code <extra_id_0>} is {@code vocabSize - 1}).
 * The model's embedding may have more rows than {@link #vocabSize()} (T5: 32128 vs 32100).
 * Implementations say whether they may be shared between threads.
 */
public interface Tokenizer extends AutoCloseable {

    /**
     * Token ids of {@code text}, ending with {@link #eosId()}. Everything else (Unicode
     * normalisation, newlines and tabs becoming spaces, runs of spaces collapsing) is the
     * SentencePiece model's own normaliser, as in HF; {@code </s>}, {@code <pad>} and
     * {@code <unk>} written in the text are ordinary text, not their ids.
     */
    int[] encode(String text);

    /**
     * Text of {@code ids}: pad is skipped, the first {@code </s>} ends the text, sentinels come
     * out as {@code <extra_id_N>}, ids from {@link #vocabSize()} up (unused embedding rows) are
     * skipped as HF's fast tokenizer does. A negative id is an {@link IllegalArgumentException}.
     */
    String decode(int[] ids);

    /** Pieces plus sentinels (T5: 32,000 + 100 = 32,100). */
    int vocabSize();

    /** Pieces of the SentencePiece model alone (T5: 32,000). */
    int pieceCount();

    /** Number of {@code <extra_id_N>} sentinels (T5: 100). */
    default int sentinelCount() { return vocabSize() - pieceCount(); }

    default int padId() { return 0; }

    default int eosId() { return 1; }

    default int unkId() { return 2; }

    /** Id of {@code <extra_id_n>}: {@code vocabSize - 1 - n} (T5: 32099 - n). */
    default int sentinelId(int n) {
        if (n < 0 || n >= sentinelCount()) {
            throw new IllegalArgumentException("sentinel <extra_id_" + n + "> does not exist: this vocabulary has "
                    + sentinelCount() + " sentinels, <extra_id_0> .. <extra_id_" + (sentinelCount() - 1) + ">");
        }
        return vocabSize() - 1 - n;
    }

    /** True for the ids of {@code <extra_id_N>}. */
    default boolean isSentinel(int id) { return id >= pieceCount() && id < vocabSize(); }

    /** The piece (or {@code <extra_id_N>}) for an id in {@code [0, vocabSize)}. */
    String idToPiece(int id);

    /** The id of a piece or {@code <extra_id_N>}; {@link #unkId()} for anything else. */
    int pieceToId(String piece);

    /** Encodes each text and pads to the longest, with no truncation. */
    default EncodedBatch encodeBatch(List<String> texts) { return encodeBatch(texts, 0); }

    /**
     * Encodes each text, truncates to {@code maxLength} ids keeping {@code </s>} last (HF's
     * {@code truncation=True}; {@code maxLength <= 0} means no limit) and pads with
     * {@link #padId()} to the longest row.
     */
    default EncodedBatch encodeBatch(List<String> texts, int maxLength) {
        int[][] rows = new int[texts.size()][];
        for (int i = 0; i < rows.length; i++) {
            int[] ids = encode(texts.get(i));
            if (maxLength > 0 && ids.length > maxLength) {
                int[] cut = java.util.Arrays.copyOf(ids, maxLength);
                cut[maxLength - 1] = eosId();
                ids = cut;
            }
            rows[i] = ids;
        }
        return EncodedBatch.pad(rows, padId());
    }

    /** Releases native resources; later {@code encode}/{@code decode} calls throw {@link IllegalStateException}. */
    @Override
    void close();
}
