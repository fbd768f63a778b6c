package clp4j.engine.t5;

import clp4j.engine.tensor.Tensor;

/**
 * The hook through which incremental decoding keeps attention keys and values between decoder calls.
 * All tensors are [B, H, T, d_kv]. The decoder reads {@link #pastLength()} as the position of its first
 * new token, appends each layer's new self-attention keys/values, computes cross-attention keys/values
 * only when {@link #crossKeys(int)} is null (once per source sequence) and finally calls {@link #advance(int)}.
 */
public interface DecoderCache {
    /** Decoder positions already cached (0 before the first call). */
    int pastLength();

    /** Appends this call's self-attention keys and values of decoder layer {@code layer} ([B, H, newTokens, d_kv]). */
    void appendSelf(int layer, Tensor keys, Tensor values);

    /** All self-attention keys of {@code layer} so far, the ones just appended included ([B, H, past + new, d_kv]). */
    Tensor selfKeys(int layer);

    /** All self-attention values of {@code layer} so far. */
    Tensor selfValues(int layer);

    /** Cross-attention keys of {@code layer} ([B, H, S, d_kv]), or null when not computed yet. */
    Tensor crossKeys(int layer);

    /** Cross-attention values of {@code layer}, or null when not computed yet. */
    Tensor crossValues(int layer);

    /** Stores the cross-attention keys and values of {@code layer} (computed from the encoder output). */
    void putCross(int layer, Tensor keys, Tensor values);

    /** Called once after every layer has appended: {@code newTokens} more positions are cached. */
    void advance(int newTokens);
}
