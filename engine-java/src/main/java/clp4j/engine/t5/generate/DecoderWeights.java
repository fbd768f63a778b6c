package clp4j.engine.t5.generate;

import clp4j.engine.t5.T5Config;
import clp4j.engine.t5.T5Names;
import clp4j.engine.t5.T5Parameters;
import clp4j.engine.tensor.Tensor;

/**
 * The decoder's parameter tensors resolved once per generation call, so the token loop does no map
 * look-ups. Taken from {@link T5Parameters} at construction: a parameter swapped afterwards (CLP mixing)
 * is seen by the next call.
 */
final class DecoderWeights {
    final Tensor shared;
    /** lm_head.weight, or null when tied to {@link #shared}. */
    final Tensor lmHead;
    final Tensor finalNorm;
    final Tensor relativeAttentionBias;
    final Tensor[] selfNorm, selfQ, selfK, selfV, selfO;
    final Tensor[] crossNorm, crossQ, crossK, crossV, crossO;
    /** wi (relu) or wi_0 (gated); wi_1 is null for relu. */
    final Tensor[] ffNorm, wi, wiGate, wo;

    DecoderWeights(T5Parameters p) {
        T5Config c = p.config();
        int n = c.numDecoderLayers();
        shared = p.get(T5Names.SHARED);
        lmHead = c.tieWordEmbeddings() ? null : p.get(T5Names.LM_HEAD);
        finalNorm = p.get(T5Names.DECODER_FINAL_NORM);
        relativeAttentionBias = p.get(p.names().decoder(0).selfAttention().relativeAttentionBias());
        selfNorm = new Tensor[n]; selfQ = new Tensor[n]; selfK = new Tensor[n]; selfV = new Tensor[n]; selfO = new Tensor[n];
        crossNorm = new Tensor[n]; crossQ = new Tensor[n]; crossK = new Tensor[n]; crossV = new Tensor[n]; crossO = new Tensor[n];
        ffNorm = new Tensor[n]; wi = new Tensor[n]; wiGate = new Tensor[n]; wo = new Tensor[n];
        for (int i = 0; i < n; i++) {
            T5Names.DecoderBlock b = p.names().decoder(i);
            selfNorm[i] = p.get(b.selfNorm());
            selfQ[i] = p.get(b.selfAttention().q());
            selfK[i] = p.get(b.selfAttention().k());
            selfV[i] = p.get(b.selfAttention().v());
            selfO[i] = p.get(b.selfAttention().o());
            crossNorm[i] = p.get(b.crossNorm());
            crossQ[i] = p.get(b.crossAttention().q());
            crossK[i] = p.get(b.crossAttention().k());
            crossV[i] = p.get(b.crossAttention().v());
            crossO[i] = p.get(b.crossAttention().o());
            ffNorm[i] = p.get(b.ffNorm());
            if (c.isGated()) {
                wi[i] = p.get(b.ff().wi0());
                wiGate[i] = p.get(b.ff().wi1());
            } else {
                wi[i] = p.get(b.ff().wi());
            }
            wo[i] = p.get(b.ff().wo());
        }
    }
}
