package clp4j.engine.t5.generate;

import clp4j.engine.t5.TokenBatch;

import java.util.Arrays;

/**
 * The result of one generation call; every array is [batch, maxNewTokens] row-major.
 *
 * @param tokens           generated ids; after a row's {@code </s>} (when stopping at eos) the row holds pad
 * @param lengths          tokens per row up to and including its {@code </s>}, or maxNewTokens if none came
 *                         (every row has maxNewTokens when not stopping at eos)
 * @param samplingLogProbs log-probability of each token under the distribution it was drawn from (after
 *                         temperature, top-k and top-p); 0 for greedy (a deterministic choice) and at padding
 * @param modelLogProbs    log-probability of each token under the untempered, unfiltered model (what
 *                         {@link SequenceScorer} gives for the same sequence); 0 at padding
 */
public record Generation(int batch, int maxNewTokens, int[] tokens, int[] lengths,
                         float[] samplingLogProbs, float[] modelLogProbs, int padId) {

    /** Row b's tokens, up to and including its {@code </s>}. */
    public int[] row(int b) {
        return Arrays.copyOfRange(tokens, b * maxNewTokens, b * maxNewTokens + lengths[b]);
    }

    /** The generated rows as decoder targets (pad after each row's length, masked out) for {@link SequenceScorer}. */
    public TokenBatch targets() {
        int[][] rows = new int[batch][];
        for (int b = 0; b < batch; b++) rows[b] = row(b);
        return TokenBatch.padded(rows, padId);
    }

    /** Sum of the model log-probabilities of row b (log p(y_b | x_b)). */
    public double sequenceModelLogProb(int b) {
        double s = 0;
        for (int j = 0; j < lengths[b]; j++) s += modelLogProbs[b * maxNewTokens + j];
        return s;
    }
}
