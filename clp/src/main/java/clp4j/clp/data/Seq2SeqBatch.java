package clp4j.clp.data;

import clp4j.engine.t5.T5Loss;
import clp4j.engine.t5.TokenBatch;

/**
 * A padded teacher-forcing batch: encoder input with its mask, and labels {@code [batch, targetLength]}
 * with {@link T5Loss#IGNORE_INDEX} at padding; {@code targetTokens} counts the real label tokens.
 */
public record Seq2SeqBatch(TokenBatch source, int[] labels, int targetLength, int targetTokens, int[] exampleIndices) {

    /** Pads the given examples of {@code data} into one batch. */
    public static Seq2SeqBatch of(Seq2SeqExamples data, int[] exampleIndices, int padId) {
        int b = exampleIndices.length;
        int[][] src = new int[b][];
        int[][] tgt = new int[b][];
        for (int i = 0; i < b; i++) {
            src[i] = data.source(exampleIndices[i]);
            tgt[i] = data.target(exampleIndices[i]);
        }
        TokenBatch source = TokenBatch.padded(src, padId);
        TokenBatch target = TokenBatch.padded(tgt, padId);
        int tokens = 0;
        for (int[] t : tgt) tokens += t.length;
        return new Seq2SeqBatch(source, T5Loss.labels(target), target.length(), tokens, exampleIndices.clone());
    }

    public int size() { return source.batch(); }
}
