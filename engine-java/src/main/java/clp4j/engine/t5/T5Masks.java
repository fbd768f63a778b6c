package clp4j.engine.t5;

import clp4j.engine.backend.Backend;
import clp4j.engine.tensor.Tensor;

/**
 * Additive attention masks, built once per stack and passed to every layer's softmax: 0 where a
 * key may be attended, the most negative float where not (HF uses {@code finfo(float32).min}).
 * Adding them inside the softmax instead of into the bias tensor gives the same numbers
 * (masked entries vanish either way, unmasked ones add exactly 0) without a [B, H, q, k] tensor.
 */
public final class T5Masks {
    /** torch.finfo(torch.float32).min. */
    public static final float MASKED = -Float.MAX_VALUE;

    private T5Masks() { }

    /** Key padding mask {@code [B, 1, 1, K]}, or null when the batch has no padding. */
    public static Tensor padding(Backend backend, TokenBatch keys) {
        if (keys.mask() == null) return null;
        boolean any = false;
        float[] m = new float[keys.mask().length];
        for (int i = 0; i < m.length; i++) {
            if (keys.mask()[i] == 0) {
                m[i] = MASKED;
                any = true;
            }
        }
        return any ? backend.fromArray(m, keys.batch(), 1, 1, keys.length()) : null;
    }

    /**
     * Decoder self-attention mask for queries at positions {@code qStart .. qStart + qLen - 1} over keys
     * {@code 0 .. kLen - 1}: causal, folded with the decoder padding mask ({@code keyMask}, [B, kLen],
     * nullable). Shape {@code [B or 1, 1, qLen, kLen]}; null when nothing is masked (one new token over
     * its whole unpadded prefix).
     */
    public static Tensor causal(Backend backend, int batch, int qStart, int qLen, int kLen, int[] keyMask) {
        if (keyMask != null && keyMask.length != batch * kLen) {
            throw new IllegalArgumentException("decoder attention mask of " + keyMask.length + " entries is not [" + batch + ", " + kLen + "]");
        }
        int rows = keyMask == null ? 1 : batch;
        float[] m = new float[rows * qLen * kLen];
        boolean any = false;
        for (int b = 0; b < rows; b++) {
            for (int i = 0; i < qLen; i++) {
                for (int j = 0; j < kLen; j++) {
                    boolean masked = j > qStart + i || (keyMask != null && keyMask[b * kLen + j] == 0);
                    if (masked) {
                        m[(b * qLen + i) * kLen + j] = MASKED;
                        any = true;
                    }
                }
            }
        }
        return any ? backend.fromArray(m, rows, 1, qLen, kLen) : null;
    }
}
