package clp4j.engine.t5;

import java.util.Arrays;

/**
 * A batch of token sequences, row-major {@code [batch, length]}, with an optional HF-style attention
 * mask (1 = attend, 0 = padding; null = attend everywhere).
 */
public record TokenBatch(int[] ids, int[] mask, int batch, int length) {
    public TokenBatch {
        if (batch <= 0 || length <= 0 || ids.length != batch * length) {
            throw new IllegalArgumentException("token batch of " + ids.length + " ids is not [" + batch + ", " + length + "]");
        }
        if (mask != null) {
            if (mask.length != ids.length) {
                throw new IllegalArgumentException("attention mask of " + mask.length + " entries for " + ids.length + " ids");
            }
            for (int i = 0; i < mask.length; i++) {
                if (mask[i] != 0 && mask[i] != 1) {
                    throw new IllegalArgumentException("attention mask entry " + i + " is " + mask[i] + "; use 0 or 1");
                }
            }
        }
    }

    /** No padding. */
    public static TokenBatch of(int[] ids, int batch, int length) { return new TokenBatch(ids, null, batch, length); }

    /** Rows of different lengths, right-padded with {@code padId}; the mask marks the real tokens. */
    public static TokenBatch padded(int[][] rows, int padId) {
        int len = 1;
        for (int[] r : rows) len = Math.max(len, r.length);
        int[] ids = new int[rows.length * len];
        int[] mask = new int[ids.length];
        Arrays.fill(ids, padId);
        for (int b = 0; b < rows.length; b++) {
            System.arraycopy(rows[b], 0, ids, b * len, rows[b].length);
            Arrays.fill(mask, b * len, b * len + rows[b].length, 1);
        }
        return new TokenBatch(ids, mask, rows.length, len);
    }
}
