package clp4j.engine.t5;

import clp4j.engine.autodiff.F;
import clp4j.engine.tensor.Tensor;

/**
 * Teacher forcing as HF's T5ForConditionalGeneration with {@code labels}: decoder input = labels
 * shifted right behind decoder_start_token_id; loss = mean cross-entropy over the label positions
 * that are not {@link #IGNORE_INDEX}.
 */
public final class T5Loss {
    /** HF's ignore index for labels (padding positions). */
    public static final int IGNORE_INDEX = -100;

    /** One pass: encoder output [B, S, d_model], logits [B, T, vocab], mean loss [1]. */
    public record Result(Tensor encoderOutput, Tensor logits, Tensor loss) { }

    private T5Loss() { }

    /** @param labels [source.batch(), targetLength] row-major, {@link #IGNORE_INDEX} at padding */
    public static Result teacherForced(T5Model model, TokenBatch source, int[] labels, int targetLength, T5Dropout dropout) {
        T5Config c = model.config();
        int b = source.batch();
        TokenBatch decoderInput = TokenBatch.of(shiftRight(labels, b, targetLength, c), b, targetLength);
        Tensor encoderOutput = model.encode(source, dropout);
        Tensor logits = model.decodeLogits(encoderOutput, model.encoderMask(source), decoderInput, null, dropout);
        Tensor loss = F.crossEntropy(F.reshape(logits, b * targetLength, c.vocabSize()), labels, IGNORE_INDEX);
        return new Result(encoderOutput, logits, loss);
    }

    /** HF {@code _shift_right}: decoder_start in front, labels moved one right, ignored positions become pad. */
    public static int[] shiftRight(int[] labels, int batch, int length, T5Config c) {
        if (labels.length != batch * length) {
            throw new IllegalArgumentException("labels of " + labels.length + " entries are not [" + batch + ", " + length + "]");
        }
        int[] out = new int[labels.length];
        for (int b = 0; b < batch; b++) {
            out[b * length] = c.decoderStartTokenId();
            for (int j = 1; j < length; j++) {
                int v = labels[b * length + j - 1];
                out[b * length + j] = v == IGNORE_INDEX ? c.padTokenId() : v;
            }
        }
        return out;
    }

    /** Labels from padded target rows: their ids, with {@link #IGNORE_INDEX} where the mask is 0. */
    public static int[] labels(TokenBatch targets) {
        int[] out = targets.ids().clone();
        if (targets.mask() != null) {
            for (int i = 0; i < out.length; i++) if (targets.mask()[i] == 0) out[i] = IGNORE_INDEX;
        }
        return out;
    }
}
