package clp4j.engine.t5;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every parameter name and shape of a T5 configuration, in HF layout (linear weights {@code [out, in]}).
 * Built once per model so that forward passes look parameters up without building strings.
 */
public final class T5Names {
    public static final String SHARED = "shared.weight";
    public static final String LM_HEAD = "lm_head.weight";
    public static final String ENCODER_FINAL_NORM = "encoder.final_layer_norm.weight";
    public static final String DECODER_FINAL_NORM = "decoder.final_layer_norm.weight";
    /** Aliases of {@link #SHARED} that checkpoints may carry; they are never separate parameters. */
    public static final String ENCODER_EMBED_ALIAS = "encoder.embed_tokens.weight";
    public static final String DECODER_EMBED_ALIAS = "decoder.embed_tokens.weight";
    /** Carried by t5-small's checkpoint but unused by the reference (cross-attention has no position bias). */
    public static final String UNUSED_CROSS_BIAS = "decoder.block.0.layer.1.EncDecAttention.relative_attention_bias.weight";

    /** Names of one attention sublayer; {@code relativeAttentionBias} is null except in block 0's self-attention. */
    public record Attention(String q, String k, String v, String o, String relativeAttentionBias) { }

    /** Names of one feed-forward sublayer; relu uses {@code wi}, gated-gelu {@code wi0} and {@code wi1}. */
    public record FeedForward(String wi, String wi0, String wi1, String wo) { }

    /** Encoder block: self-attention (layer.0) and feed-forward (layer.1), each with its pre-norm. */
    public record EncoderBlock(Attention selfAttention, String selfNorm, FeedForward ff, String ffNorm) { }

    /** Decoder block: self-attention (layer.0), cross-attention (layer.1), feed-forward (layer.2). */
    public record DecoderBlock(Attention selfAttention, String selfNorm, Attention crossAttention, String crossNorm,
                               FeedForward ff, String ffNorm) { }

    private final EncoderBlock[] encoder;
    private final DecoderBlock[] decoder;
    private final Map<String, int[]> shapes;

    public T5Names(T5Config c) {
        Map<String, int[]> s = new LinkedHashMap<>();
        int d = c.dModel();
        s.put(SHARED, new int[] {c.vocabSize(), d});
        encoder = new EncoderBlock[c.numLayers()];
        for (int i = 0; i < encoder.length; i++) {
            String p = "encoder.block." + i + ".layer.";
            Attention a = attention(c, p + "0.SelfAttention.", i == 0, s);
            String n0 = norm(c, p + "0.layer_norm.weight", s);
            FeedForward f = feedForward(c, p + "1.DenseReluDense.", s);
            encoder[i] = new EncoderBlock(a, n0, f, norm(c, p + "1.layer_norm.weight", s));
        }
        norm(c, ENCODER_FINAL_NORM, s);
        decoder = new DecoderBlock[c.numDecoderLayers()];
        for (int i = 0; i < decoder.length; i++) {
            String p = "decoder.block." + i + ".layer.";
            Attention self = attention(c, p + "0.SelfAttention.", i == 0, s);
            String n0 = norm(c, p + "0.layer_norm.weight", s);
            Attention cross = attention(c, p + "1.EncDecAttention.", false, s);
            String n1 = norm(c, p + "1.layer_norm.weight", s);
            FeedForward f = feedForward(c, p + "2.DenseReluDense.", s);
            decoder[i] = new DecoderBlock(self, n0, cross, n1, f, norm(c, p + "2.layer_norm.weight", s));
        }
        norm(c, DECODER_FINAL_NORM, s);
        if (!c.tieWordEmbeddings()) s.put(LM_HEAD, new int[] {c.vocabSize(), d});
        shapes = Collections.unmodifiableMap(s);
    }

    private static Attention attention(T5Config c, String p, boolean bias, Map<String, int[]> s) {
        int inner = c.innerDim();
        int d = c.dModel();
        Attention a = new Attention(p + "q.weight", p + "k.weight", p + "v.weight", p + "o.weight",
                bias ? p + "relative_attention_bias.weight" : null);
        s.put(a.q(), new int[] {inner, d});
        s.put(a.k(), new int[] {inner, d});
        s.put(a.v(), new int[] {inner, d});
        s.put(a.o(), new int[] {d, inner});
        if (bias) s.put(a.relativeAttentionBias(), new int[] {c.relativeAttentionNumBuckets(), c.numHeads()});
        return a;
    }

    private static FeedForward feedForward(T5Config c, String p, Map<String, int[]> s) {
        FeedForward f = c.isGated()
                ? new FeedForward(null, p + "wi_0.weight", p + "wi_1.weight", p + "wo.weight")
                : new FeedForward(p + "wi.weight", null, null, p + "wo.weight");
        for (String in : new String[] {f.wi(), f.wi0(), f.wi1()}) {
            if (in != null) s.put(in, new int[] {c.dFf(), c.dModel()});
        }
        s.put(f.wo(), new int[] {c.dModel(), c.dFf()});
        return f;
    }

    private static String norm(T5Config c, String name, Map<String, int[]> s) {
        s.put(name, new int[] {c.dModel()});
        return name;
    }

    public EncoderBlock encoder(int i) { return encoder[i]; }
    public DecoderBlock decoder(int i) { return decoder[i]; }

    /** Every parameter name with its shape, in a fixed order (embeddings, encoder, decoder, lm_head). */
    public Map<String, int[]> shapes() { return shapes; }
}
