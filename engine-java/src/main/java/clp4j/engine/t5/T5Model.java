package clp4j.engine.t5;

import clp4j.engine.tensor.Tensor;

/**
 * T5ForConditionalGeneration over named parameters, written once against the autodiff ops so it runs
 * on every backend. Gradients flow to whichever parameters have {@code requiresGrad}; wrap evaluation
 * and generation in {@code Autodiff.noGrad()}. The teacher-forced loss is {@link T5Loss}.
 */
public final class T5Model {
    private final T5Parameters parameters;

    public T5Model(T5Parameters parameters) { this.parameters = parameters; }

    public T5Parameters parameters() { return parameters; }
    public T5Config config() { return parameters.config(); }

    /** Encoder output [B, S, d_model]. */
    public Tensor encode(TokenBatch source, T5Dropout dropout) {
        return T5Encoder.forward(parameters, source, dropout);
    }

    /** The additive source padding mask for cross-attention ([B, 1, 1, S], null without padding); build once per source. */
    public Tensor encoderMask(TokenBatch source) {
        return T5Masks.padding(parameters.backend(), source);
    }

    /**
     * Decoder logits [B, T, vocab] for decoder input ids {@code target}; {@code cache} as in
     * {@link T5Decoder#forward} (null for a whole-sequence pass).
     */
    public Tensor decodeLogits(Tensor encoderOutput, Tensor encoderMask, TokenBatch target, DecoderCache cache, T5Dropout dropout) {
        Tensor hidden = T5Decoder.forward(parameters, encoderOutput, encoderMask, target, cache, dropout);
        return T5LmHead.logits(parameters, hidden);
    }
}
