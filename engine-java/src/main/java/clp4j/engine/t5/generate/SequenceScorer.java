package clp4j.engine.t5.generate;

import clp4j.engine.autodiff.F;
import clp4j.engine.t5.T5Config;
import clp4j.engine.t5.T5Dropout;
import clp4j.engine.t5.T5Loss;
import clp4j.engine.t5.T5Model;
import clp4j.engine.t5.TokenBatch;
import clp4j.engine.tensor.Tensor;

/**
 * Batched {@code log p(y | x)} by teacher forcing: per-token log-probabilities and their per-sequence
 * sums, padding ignored (the target mask, not the pad id, decides: a real token may be id 0). Built
 * from the autodiff ops, so under grad mode the results carry gradients to every parameter that
 * requires one (policy-gradient losses); wrap in {@code Autodiff.noGrad()} for the reference policy.
 */
public final class SequenceScorer {
    /**
     * @param tokenLogProbs    [B, T]; 0 where the target is padding
     * @param sequenceLogProbs [B]: the sum of each row's token log-probabilities
     */
    public record Scores(Tensor tokenLogProbs, Tensor sequenceLogProbs) { }

    private SequenceScorer() { }

    /** Scores without dropout. */
    public static Scores score(T5Model model, TokenBatch source, TokenBatch targets) {
        return score(model, source, targets, T5Dropout.OFF);
    }

    /**
     * @param source  [B, S] with its padding mask
     * @param targets [B, T] target tokens (e.g. {@link Generation#targets()}), mask 0 at padding
     */
    public static Scores score(T5Model model, TokenBatch source, TokenBatch targets, T5Dropout dropout) {
        if (source.batch() != targets.batch()) {
            throw new IllegalArgumentException("scoring " + targets.batch() + " target rows against " + source.batch()
                    + " source rows; pass one target row per source row");
        }
        T5Config c = model.config();
        int b = targets.batch();
        int t = targets.length();
        int[] labels = T5Loss.labels(targets);
        TokenBatch decoderInput = TokenBatch.of(T5Loss.shiftRight(labels, b, t, c), b, t);
        Tensor encoderOutput = model.encode(source, dropout);
        Tensor logits = model.decodeLogits(encoderOutput, model.encoderMask(source), decoderInput, null, dropout);
        Tensor nll = F.tokenNll(F.reshape(logits, b * t, c.vocabSize()), labels, T5Loss.IGNORE_INDEX);
        Tensor tokenLogProbs = F.scale(F.reshape(nll, b, t), -1f);
        Tensor sequence = F.reshape(F.sumLast(tokenLogProbs), b);
        return new Scores(tokenLogProbs, sequence);
    }
}
