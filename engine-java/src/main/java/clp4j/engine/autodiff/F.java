package clp4j.engine.autodiff;

import clp4j.engine.backend.BinaryOp;
import clp4j.engine.backend.ReduceOp;
import clp4j.engine.backend.UnaryOp;
import clp4j.engine.tensor.Tensor;

/**
 * The differentiable ops. Each allocates its output on the input's backend, runs the backend forward,
 * and, when grad mode is on ({@link Autodiff#isGradEnabled()}) and some input {@code requiresGrad()},
 * records its backward on the output (which then also reports {@code requiresGrad()}).
 * Shapes follow {@link clp4j.engine.backend.Backend}'s javadoc; mismatches are IllegalArgumentExceptions.
 */
public final class F {
    private F() { }

    /** op(a) op(b) over the last two axes; b may be 2-D and shared by every batch element of a. */
    public static Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB) {
        return MatmulOps.matmul(a, transA, b, transB);
    }

    /** x [..., in] times weight [out, in] (HF layout) transposed: x W^T, shape [..., out]. */
    public static Tensor linear(Tensor x, Tensor weight) {
        return MatmulOps.linear(x, weight);
    }

    /** a + b; b broadcasts onto a (see {@link clp4j.engine.backend.Backend#binary}). */
    public static Tensor add(Tensor a, Tensor b) { return PointwiseOps.binary(BinaryOp.ADD, a, b); }

    /** a - b; b broadcasts onto a. */
    public static Tensor sub(Tensor a, Tensor b) { return PointwiseOps.binary(BinaryOp.SUB, a, b); }

    /** a * b elementwise; b broadcasts onto a. */
    public static Tensor mul(Tensor a, Tensor b) { return PointwiseOps.binary(BinaryOp.MUL, a, b); }

    /** a / b elementwise; b broadcasts onto a. */
    public static Tensor div(Tensor a, Tensor b) { return PointwiseOps.binary(BinaryOp.DIV, a, b); }

    /** s * a. */
    public static Tensor scale(Tensor a, float s) { return PointwiseOps.scale(a, s); }

    public static Tensor exp(Tensor x) { return PointwiseOps.unary(UnaryOp.EXP, x); }

    public static Tensor log(Tensor x) { return PointwiseOps.unary(UnaryOp.LOG, x); }

    public static Tensor tanh(Tensor x) { return PointwiseOps.unary(UnaryOp.TANH, x); }

    public static Tensor relu(Tensor x) { return PointwiseOps.unary(UnaryOp.RELU, x); }

    /** HF's gelu_new (the tanh approximation), used by FLAN-T5's gated feed-forward. */
    public static Tensor geluNew(Tensor x) { return PointwiseOps.unary(UnaryOp.GELU_NEW, x); }

    /** Sum over the last axis, keepdim: [..., 1]. */
    public static Tensor sumLast(Tensor x) { return RowOps.reduceLast(ReduceOp.SUM, x); }

    /** Mean over the last axis, keepdim: [..., 1]. */
    public static Tensor meanLast(Tensor x) { return RowOps.reduceLast(ReduceOp.MEAN, x); }

    /** Maximum over the last axis, keepdim: [..., 1]; the gradient goes to the first maximum. */
    public static Tensor maxLast(Tensor x) { return RowOps.reduceLast(ReduceOp.MAX, x); }

    /** Sum of all elements, shape [1]. */
    public static Tensor sum(Tensor x) { return RowOps.sum(x); }

    /** softmax(x + mask) over the last axis; mask is nullable, additive, broadcast, and gets no gradient. */
    public static Tensor softmax(Tensor x, Tensor mask) { return RowOps.softmax(x, mask, false); }

    /** log_softmax(x + mask) over the last axis; same mask rules as {@link #softmax}. */
    public static Tensor logSoftmax(Tensor x, Tensor mask) { return RowOps.softmax(x, mask, true); }

    /** Per-row negative log-likelihood of targets: logits [rows, V] -> [rows]; 0 where ignored. */
    public static Tensor tokenNll(Tensor logits, int[] targets, int ignoreIndex) {
        return RowOps.tokenNll(logits, targets, ignoreIndex);
    }

    /** Mean negative log-likelihood over the rows whose target is not ignoreIndex -> [1]; 0 if none. */
    public static Tensor crossEntropy(Tensor logits, int[] targets, int ignoreIndex) {
        return RowOps.crossEntropy(logits, targets, ignoreIndex);
    }

    /** T5 RMS norm over the last axis: weight * x / sqrt(mean(x^2) + eps). */
    public static Tensor rmsNorm(Tensor x, Tensor weight, float eps) { return RowOps.rmsNorm(x, weight, eps); }

    /** Rows of table [V, D] at ids -> [ids.length, D]; repeated ids accumulate gradient. */
    public static Tensor embedding(Tensor table, int[] ids) { return ShapeOps.embedding(table, ids); }

    /** Inverted dropout with the backend-independent mask of (seed, index); p == 0 returns x itself. */
    public static Tensor dropout(Tensor x, float p, long seed) { return PointwiseOps.dropout(x, p, seed); }

    /** x with axes permuted (out.shape[i] = x.shape[perm[i]]); a copy. */
    public static Tensor permute(Tensor x, int... perm) { return ShapeOps.permute(x, perm); }

    /** A free view with another shape (one -1 allowed); the gradient flows through. */
    public static Tensor reshape(Tensor x, int... shape) { return ShapeOps.reshape(x, shape); }

    /**
     * CLP parameter mixing (Algorithm 2): (1 - beta) * sum_i w[i] * xs[i] + beta * ref. Gradients flow into
     * every replica that requires one (paper A.3); ref (nullable) gets none.
     */
    public static Tensor mix(Tensor[] xs, float[] w, float beta, Tensor ref) { return PointwiseOps.mix(xs, w, beta, ref); }
}
