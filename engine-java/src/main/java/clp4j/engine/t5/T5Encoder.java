package clp4j.engine.t5;

import clp4j.engine.autodiff.F;
import clp4j.engine.tensor.Tensor;

/**
 * The encoder stack: embed -> dropout -> blocks (pre-norm self-attention and feed-forward, each
 * {@code h = h + dropout(sublayer(norm(h)))}) -> final norm -> dropout. The bidirectional position
 * bias is computed in block 0 and reused; the padding mask is built once.
 */
public final class T5Encoder {
    private T5Encoder() { }

    /** Encoder output [B, S, d_model] for the source tokens. */
    public static Tensor forward(T5Parameters p, TokenBatch source, T5Dropout dropout) {
        T5Config c = p.config();
        T5Names names = p.names();
        int b = source.batch();
        int s = source.length();
        float eps = c.layerNormEpsilon();
        Tensor h = dropout.apply(F.reshape(F.embedding(p.get(T5Names.SHARED), source.ids()), b, s, c.dModel()));
        Tensor mask = T5Masks.padding(p.backend(), source);
        Tensor bias = null;
        for (int i = 0; i < c.numLayers(); i++) {
            T5Names.EncoderBlock blk = names.encoder(i);
            if (i == 0) {
                bias = T5PositionBias.compute(p.get(blk.selfAttention().relativeAttentionBias()), c, 0, s, s, true);
            }
            Tensor n = F.rmsNorm(h, p.get(blk.selfNorm()), eps);
            h = F.add(h, dropout.apply(T5Attention.forward(p, blk.selfAttention(), n, n, bias, mask, dropout)));
            n = F.rmsNorm(h, p.get(blk.ffNorm()), eps);
            h = F.add(h, dropout.apply(T5FeedForward.forward(p, blk.ff(), n, dropout)));
        }
        return dropout.apply(F.rmsNorm(h, p.get(T5Names.ENCODER_FINAL_NORM), eps));
    }
}
