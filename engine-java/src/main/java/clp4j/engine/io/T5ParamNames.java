package clp4j.engine.io;

import clp4j.engine.t5.T5Config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The HF parameter names of a T5 model and their shapes (linear weights {@code [out, in]}), in the
 * reference's module order. {@code shared.weight} is the one embedding; {@code lm_head.weight}
 * exists only when the embeddings are untied.
 */
public final class T5ParamNames {
    public static final String SHARED = "shared.weight";
    public static final String ENCODER_EMBED = "encoder.embed_tokens.weight";
    public static final String DECODER_EMBED = "decoder.embed_tokens.weight";
    public static final String LM_HEAD = "lm_head.weight";
    /** Names the reference ignores when loading (t5-small's checkpoint carries this unused weight). */
    public static final Set<String> IGNORED = Set.of("decoder.block.0.layer.1.EncDecAttention.relative_attention_bias.weight");

    private T5ParamNames() { }

    /** name -> shape for every parameter the engine needs. */
    public static Map<String, int[]> expected(T5Config c) {
        Map<String, int[]> m = new LinkedHashMap<>();
        int d = c.dModel(), inner = c.innerDim();
        m.put(SHARED, new int[] {c.vocabSize(), d});
        for (int i = 0; i < c.numLayers(); i++) {
            String b = "encoder.block." + i + ".layer.";
            attention(m, b + "0.SelfAttention.", d, inner);
            if (i == 0) m.put(b + "0.SelfAttention.relative_attention_bias.weight", new int[] {c.relativeAttentionNumBuckets(), c.numHeads()});
            m.put(b + "0.layer_norm.weight", new int[] {d});
            feedForward(m, b + "1.", c);
            m.put(b + "1.layer_norm.weight", new int[] {d});
        }
        m.put("encoder.final_layer_norm.weight", new int[] {d});
        for (int i = 0; i < c.numDecoderLayers(); i++) {
            String b = "decoder.block." + i + ".layer.";
            attention(m, b + "0.SelfAttention.", d, inner);
            if (i == 0) m.put(b + "0.SelfAttention.relative_attention_bias.weight", new int[] {c.relativeAttentionNumBuckets(), c.numHeads()});
            m.put(b + "0.layer_norm.weight", new int[] {d});
            attention(m, b + "1.EncDecAttention.", d, inner);
            m.put(b + "1.layer_norm.weight", new int[] {d});
            feedForward(m, b + "2.", c);
            m.put(b + "2.layer_norm.weight", new int[] {d});
        }
        m.put("decoder.final_layer_norm.weight", new int[] {d});
        if (!c.tieWordEmbeddings()) m.put(LM_HEAD, new int[] {c.vocabSize(), d});
        return m;
    }

    private static void attention(Map<String, int[]> m, String p, int d, int inner) {
        m.put(p + "q.weight", new int[] {inner, d});
        m.put(p + "k.weight", new int[] {inner, d});
        m.put(p + "v.weight", new int[] {inner, d});
        m.put(p + "o.weight", new int[] {d, inner});
    }

    private static void feedForward(Map<String, int[]> m, String p, T5Config c) {
        String f = p + "DenseReluDense.";
        if (c.isGated()) {
            m.put(f + "wi_0.weight", new int[] {c.dFf(), c.dModel()});
            m.put(f + "wi_1.weight", new int[] {c.dFf(), c.dModel()});
        } else {
            m.put(f + "wi.weight", new int[] {c.dFf(), c.dModel()});
        }
        m.put(f + "wo.weight", new int[] {c.dModel(), c.dFf()});
    }
}
