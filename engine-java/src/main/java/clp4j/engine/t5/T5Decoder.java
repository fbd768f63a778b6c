package clp4j.engine.t5;

import clp4j.engine.autodiff.F;
import clp4j.engine.tensor.Tensor;

/**
 * The decoder stack: embed -> dropout -> blocks (causal self-attention, cross-attention over the
 * encoder output without position bias, feed-forward; each pre-norm with residual and dropout) ->
 * final norm -> dropout. The unidirectional bias is computed in block 0 and reused; masks are built once.
 */
public final class T5Decoder {
    private T5Decoder() { }

    /**
     * Final decoder hidden states [B, T, d_model] for the decoder tokens {@code target}.
     *
     * @param encoderOutput [B, S, d_model]; unused for layers whose cross keys/values are already cached
     * @param encoderMask   additive source padding mask from {@link T5Masks#padding}, or null
     * @param target        decoder input ids; its mask (nullable) masks decoder keys on top of causality
     *                      (HF's decoder_attention_mask). With a cache it must be null: rows decode in
     *                      lockstep and a finished row's later tokens are never read.
     * @param cache         null for a whole-sequence pass (teacher forcing); otherwise keys/values of
     *                      earlier positions are read from and appended to it
     */
    public static Tensor forward(T5Parameters p, Tensor encoderOutput, Tensor encoderMask, TokenBatch target,
                                 DecoderCache cache, T5Dropout dropout) {
        return forward(p, encoderOutput, encoderMask, target, cache, null, dropout);
    }

    /**
     * As {@link #forward(T5Parameters, Tensor, Tensor, TokenBatch, DecoderCache, T5Dropout)}, with the
     * self-attention position bias supplied ([H, T, past + T], from {@link T5PositionBias#compute}) so
     * that a generator can prepare it ahead; null computes it here from block 0's table.
     */
    public static Tensor forward(T5Parameters p, Tensor encoderOutput, Tensor encoderMask, TokenBatch target,
                                 DecoderCache cache, Tensor selfBias, T5Dropout dropout) {
        T5Config c = p.config();
        T5Names names = p.names();
        int b = target.batch();
        int t = target.length();
        int past = cache == null ? 0 : cache.pastLength();
        if (cache != null && target.mask() != null) {
            throw new IllegalArgumentException("a decoder attention mask cannot be combined with a DecoderCache; "
                    + "pass decoder tokens without a mask when decoding incrementally");
        }
        float eps = c.layerNormEpsilon();
        Tensor h = dropout.apply(F.reshape(F.embedding(p.get(T5Names.SHARED), target.ids()), b, t, c.dModel()));
        Tensor selfMask = T5Masks.causal(p.backend(), b, past, t, past + t, target.mask());
        Tensor bias = selfBias;
        for (int i = 0; i < c.numDecoderLayers(); i++) {
            T5Names.DecoderBlock blk = names.decoder(i);
            if (i == 0 && bias == null) {
                bias = T5PositionBias.compute(p.get(blk.selfAttention().relativeAttentionBias()), c, past, t, past + t, false);
            }
            Tensor n = F.rmsNorm(h, p.get(blk.selfNorm()), eps);
            Tensor a;
            if (cache == null) {
                a = T5Attention.forward(p, blk.selfAttention(), n, n, bias, selfMask, dropout);
            } else {
                cache.appendSelf(i, T5Attention.project(n, p.get(blk.selfAttention().k()), c),
                        T5Attention.project(n, p.get(blk.selfAttention().v()), c));
                a = T5Attention.attend(p, blk.selfAttention(), n, cache.selfKeys(i), cache.selfValues(i), bias, selfMask, dropout);
            }
            h = F.add(h, dropout.apply(a));
            n = F.rmsNorm(h, p.get(blk.crossNorm()), eps);
            h = F.add(h, dropout.apply(crossAttention(p, blk.crossAttention(), i, n, encoderOutput, encoderMask, cache, dropout)));
            n = F.rmsNorm(h, p.get(blk.ffNorm()), eps);
            h = F.add(h, dropout.apply(T5FeedForward.forward(p, blk.ff(), n, dropout)));
        }
        if (cache != null) cache.advance(t);
        return dropout.apply(F.rmsNorm(h, p.get(T5Names.DECODER_FINAL_NORM), eps));
    }

    private static Tensor crossAttention(T5Parameters p, T5Names.Attention n, int layer, Tensor x, Tensor encoderOutput,
                                         Tensor encoderMask, DecoderCache cache, T5Dropout dropout) {
        if (cache == null) return T5Attention.forward(p, n, x, encoderOutput, null, encoderMask, dropout);
        if (cache.crossKeys(layer) == null) {
            T5Config c = p.config();
            cache.putCross(layer, T5Attention.project(encoderOutput, p.get(n.k()), c),
                    T5Attention.project(encoderOutput, p.get(n.v()), c));
        }
        return T5Attention.attend(p, n, x, cache.crossKeys(layer), cache.crossValues(layer), null, encoderMask, dropout);
    }
}
