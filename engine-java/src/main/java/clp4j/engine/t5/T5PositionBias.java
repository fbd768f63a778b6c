package clp4j.engine.t5;

import clp4j.engine.autodiff.F;
import clp4j.engine.tensor.Tensor;

/**
 * The relative position bias of a stack, computed once in block 0 and reused by every block:
 * {@code bias[h, i, j] = relative_attention_bias[bucket(j - (qStart + i)), h]}, shape [H, qLen, kLen].
 * It goes through the embedding op so that {@code relative_attention_bias} gets its gradient.
 * For incremental decoding, {@code qStart} = the number of cached positions gives the last rows of the
 * full bias.
 */
public final class T5PositionBias {
    private T5PositionBias() { }

    public static Tensor compute(Tensor table, T5Config c, int qStart, int qLen, int kLen, boolean bidirectional) {
        int[] ids = new int[qLen * kLen];
        RelativePositionBucket.fill(ids, qStart, qLen, kLen, bidirectional,
                c.relativeAttentionNumBuckets(), c.relativeAttentionMaxDistance());
        Tensor rows = F.reshape(F.embedding(table, ids), qLen, kLen, c.numHeads());
        return F.permute(rows, 2, 0, 1);
    }
}
