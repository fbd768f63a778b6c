package clp4j.engine.t5;

/**
 * The T5 hyper-parameters that change a number (HF {@code config.json} field names in comments).
 * Parsing and validation of {@code config.json} live in {@code clp4j.engine.io.HfConfig}.
 *
 * @param vocabSize                      vocab_size
 * @param dModel                         d_model
 * @param dKv                            d_kv (inner attention width is numHeads * dKv)
 * @param dFf                            d_ff
 * @param numHeads                       num_heads
 * @param numLayers                      num_layers (encoder)
 * @param numDecoderLayers               num_decoder_layers (defaults to num_layers)
 * @param relativeAttentionNumBuckets    relative_attention_num_buckets
 * @param relativeAttentionMaxDistance   relative_attention_max_distance
 * @param layerNormEpsilon               layer_norm_epsilon
 * @param dropoutRate                    dropout_rate
 * @param feedForwardProj                feed_forward_proj ("relu" or "gated-gelu")
 * @param tieWordEmbeddings              tie_word_embeddings (v1.0 true, v1.1/FLAN false)
 * @param padTokenId                     pad_token_id
 * @param eosTokenId                     eos_token_id
 * @param decoderStartTokenId            decoder_start_token_id
 */
public record T5Config(int vocabSize, int dModel, int dKv, int dFf, int numHeads, int numLayers, int numDecoderLayers,
                       int relativeAttentionNumBuckets, int relativeAttentionMaxDistance, float layerNormEpsilon,
                       float dropoutRate, FeedForward feedForwardProj, boolean tieWordEmbeddings,
                       int padTokenId, int eosTokenId, int decoderStartTokenId) {

    /** feed_forward_proj. */
    public enum FeedForward { RELU, GATED_GELU }

    /** Inner attention width num_heads * d_kv (may differ from d_model). */
    public int innerDim() { return numHeads * dKv; }

    public boolean isGated() { return feedForwardProj == FeedForward.GATED_GELU; }
}
