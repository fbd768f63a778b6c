package clp4j.engine.tokenizer;

import java.util.Arrays;

/**
 * A batch of token id rows padded to one length, row-major {@code [batchSize, seqLen]} as the
 * engine's embedding gather takes them. {@code attentionMask} is 1 on real tokens (including
 * {@code </s>}) and 0 on padding, as HF's {@code attention_mask}.
 */
public record EncodedBatch(int batchSize, int seqLen, int[] inputIds, int[] attentionMask, int[] lengths) {

    public EncodedBatch {
        if (inputIds.length != batchSize * seqLen || attentionMask.length != inputIds.length
                || lengths.length != batchSize) {
            throw new IllegalArgumentException("EncodedBatch: inputIds " + inputIds.length + ", attentionMask "
                    + attentionMask.length + " and lengths " + lengths.length + " do not fit batchSize "
                    + batchSize + " x seqLen " + seqLen);
        }
    }

    /** Pads rows with {@code padId} at the end to the longest row. */
    public static EncodedBatch pad(int[][] rows, int padId) {
        int seqLen = 0;
        for (int[] r : rows) seqLen = Math.max(seqLen, r.length);
        int[] ids = new int[rows.length * seqLen];
        int[] mask = new int[ids.length];
        int[] lengths = new int[rows.length];
        Arrays.fill(ids, padId);
        for (int b = 0; b < rows.length; b++) {
            System.arraycopy(rows[b], 0, ids, b * seqLen, rows[b].length);
            Arrays.fill(mask, b * seqLen, b * seqLen + rows[b].length, 1);
            lengths[b] = rows[b].length;
        }
        return new EncodedBatch(rows.length, seqLen, ids, mask, lengths);
    }

    /** Row {@code b} without its padding. */
    public int[] row(int b) {
        return Arrays.copyOfRange(inputIds, b * seqLen, b * seqLen + lengths[b]);
    }
}
