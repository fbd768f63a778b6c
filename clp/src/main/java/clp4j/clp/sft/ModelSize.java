package clp4j.clp.sft;

import clp4j.engine.t5.T5Config;

/**
 * The shape of the built-in randomly initialised model (T5 v1.1 style: gated-GELU feed-forward,
 * untied output layer, T5's 32,128-row vocabulary), used when no checkpoint is given.
 */
public record ModelSize(int dModel, int dKv, int dFf, int numHeads, int numLayers, int numDecoderLayers) {
    /** T5's vocabulary (32,000 pieces + 100 sentinels, padded to a multiple of 128 as in the released models). */
    public static final int VOCAB_SIZE = 32128;
    /** Small enough that the default SFT run takes minutes on two cores. */
    public static final ModelSize DEFAULT = new ModelSize(128, 32, 384, 4, 3, 3);

    public ModelSize {
        check("d_model", dModel);
        check("d_kv", dKv);
        check("d_ff", dFf);
        check("num_heads", numHeads);
        check("num_layers", numLayers);
        check("num_decoder_layers", numDecoderLayers);
    }

    private static void check(String field, int v) {
        if (v < 1) throw new IllegalArgumentException("model." + field + " is " + v + "; it must be a positive integer");
    }

    /** The HF configuration of this size, v1.1 style, with the given dropout rate. */
    public T5Config toT5Config(float dropoutRate) {
        return new T5Config(VOCAB_SIZE, dModel, dKv, dFf, numHeads, numLayers, numDecoderLayers, 32, 128, 1e-6f,
                dropoutRate, T5Config.FeedForward.GATED_GELU, false, 0, 1, 0);
    }

    public String describe() {
        return "d_model " + dModel + ", d_kv " + dKv + ", d_ff " + dFf + ", " + numHeads + " heads, "
                + numLayers + "+" + numDecoderLayers + " layers";
    }
}
