package clp4j.engine.backend;

import clp4j.engine.tensor.Storage;
import clp4j.engine.tensor.Tensor;

/**
 * The primitive operations of the engine, forward and backward, on one device.
 *
 * <p>Implementations: {@code ReferenceBackend} (plain loops, the oracle), {@code VectorBackend}
 * (JDK Vector API, multithreaded) and the CUDA backend in engine-native. Model code never calls a
 * backend directly; it goes through the autodiff ops, which allocate outputs here and call these
 * methods.
 *
 * <p>Conventions for every method:
 * <ul>
 *   <li>All tensors are contiguous row-major F32 on this backend and honour {@link Tensor#offset()}.</li>
 *   <li>Outputs are passed in, already allocated with the right shape, and are overwritten
 *       unless the method says it accumulates. Outputs never alias inputs unless stated.</li>
 *   <li>"Last axis" ops treat a tensor as {@code rows() x dim(-1)}.</li>
 *   <li>Shapes are checked; a mismatch is an {@link IllegalArgumentException} naming the shapes.</li>
 * </ul>
 */
public interface Backend extends AutoCloseable {

    /** "reference", "vector", "cuda", ... */
    String name();

    // ------------------------------------------------------------------ memory

    /** A new tensor, filled with zeros. */
    Tensor zeros(int... shape);

    /**
     * A tensor for an op to overwrite completely: its contents are unspecified until then (a
     * backend may hand out recycled memory). Every op documented as writing ("out = ...",
     * "overwrites") may take one as its output; one that accumulates may not. By default {@link #zeros}.
     */
    default Tensor empty(int... shape) {
        return zeros(shape);
    }

    /** A new tensor holding a copy of {@code data} (length must equal the shape's element count). */
    Tensor fromArray(float[] data, int... shape);

    /** Copies {@code src}'s elements into {@code dst} (length at least {@code src.numel()}). */
    void copyToHost(Tensor src, float[] dst);

    /** Overwrites {@code dst}'s elements from {@code src[srcPos ..]}. */
    void copyFromHost(float[] src, int srcPos, Tensor dst);

    /** dst = src (same element count; shapes may differ). */
    void copy(Tensor src, Tensor dst);

    /** Every element of {@code t} = v. */
    void fill(Tensor t, float v);

    /** Returns a storage to the backend (called by {@link Tensor#close()}). */
    void release(Storage storage);

    /** Waits until all queued work is done (a no-op on synchronous backends). */
    default void synchronize() { }

    @Override
    default void close() { }

    // ------------------------------------------------------------------ matrix products

    /**
     * Strided batched GEMM, BLAS row-major semantics: for each {@code i < batch},
     * {@code C_i = alpha * op(A_i) op(B_i) + beta * C_i} where {@code op(A_i)} is M x K,
     * {@code op(B_i)} is K x N, {@code C_i} is M x N.
     * A_i starts at element {@code a.offset() + aOff + i * strideA} with leading dimension
     * {@code lda} (row length of A as stored: K if not transposed, M if transposed); likewise B, C.
     * A stride of 0 shares one matrix across the batch. When beta == 0, C is not read.
     */
    void gemm(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha,
              Tensor a, long aOff, int lda, long strideA,
              Tensor b, long bOff, int ldb, long strideB,
              float beta, Tensor c, long cOff, int ldc, long strideC);

    /**
     * {@code c = alpha * op(a) op(b) + beta * c} over the last two axes. {@code a} is [..., M, K]
     * ([..., K, M] if transA); {@code b} is [..., K, N] ([..., N, K] if transB) with the same leading
     * dims as {@code a}, or 2-D and shared by every batch element; {@code c} is [..., M, N].
     */
    default void matmul(Tensor a, boolean transA, Tensor b, boolean transB, Tensor c, float alpha, float beta) {
        MatmulShapes s = MatmulShapes.of(a, transA, b, transB, c);
        gemm(transA, transB, s.batch(), s.m(), s.n(), s.k(), alpha,
                a, 0, transA ? s.m() : s.k(), (long) s.m() * s.k(),
                b, 0, transB ? s.k() : s.n(), s.bShared() ? 0 : (long) s.k() * s.n(),
                beta, c, 0, s.n(), (long) s.m() * s.n());
    }

    // ------------------------------------------------------------------ elementwise

    /**
     * out = a (op) b. {@code b} broadcasts NumPy-style onto {@code a}'s shape: its rank is at most
     * a's and each of its dimensions, aligned from the right, equals a's or is 1.
     * {@code out} has a's shape and may alias {@code a}.
     */
    void binary(BinaryOp op, Tensor a, Tensor b, Tensor out);

    /** out = s * a; out may alias a. */
    void scale(Tensor a, float s, Tensor out);

    /** y += alpha * x (same element count): gradient accumulation. */
    void axpy(float alpha, Tensor x, Tensor y);

    /** out = f(x); out may alias x. */
    void unary(UnaryOp op, Tensor x, Tensor out);

    /**
     * gx = gy * f'(x), given the forward input x and output y (each op uses the cheaper one:
     * EXP and TANH use y, LOG, RELU and GELU_NEW use x). Overwrites gx.
     */
    void unaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor gy, Tensor gx);

    /**
     * Sums {@code g} over the dimensions along which {@code out}'s shape was broadcast to g's shape
     * (the backward of a broadcast); overwrites {@code out}.
     */
    void sumToShape(Tensor g, Tensor out);

    // ------------------------------------------------------------------ reductions (last axis)

    /** out[..., 0] = reduce(x[..., :]); out has x's shape with the last dimension 1. */
    void reduceLast(ReduceOp op, Tensor x, Tensor out);

    /**
     * out[r] = the index of the largest value in row r of x (its last axis), the first one on ties; a
     * row holding NaN gives its first NaN (as torch.argmax). Greedy decoding picks tokens with it. The
     * default reads x back to the host.
     */
    default void argmaxLast(Tensor x, int[] out) {
        RowArgmax.viaHost(this, x, out);
    }

    /**
     * gx from gy ([..., 1]) for a last-axis reduction with forward input x and output y.
     * MAX sends the gradient to the first position holding the maximum. Overwrites gx.
     */
    void reduceLastBackward(ReduceOp op, Tensor x, Tensor y, Tensor gy, Tensor gx);

    // ------------------------------------------------------------------ softmax

    /**
     * out = softmax(x + mask) over the last axis. {@code mask} is additive, may be null, and
     * broadcasts onto x like {@link #binary}'s second operand. A row whose entries are all
     * -infinity or the most negative float gives a uniform row over its finite maximum (as
     * torch does for the most negative finite value); never NaN from finite inputs.
     */
    void softmax(Tensor x, Tensor mask, Tensor out);

    /** out = log_softmax(x + mask) over the last axis; same mask rules as {@link #softmax}. */
    void logSoftmax(Tensor x, Tensor mask, Tensor out);

    /** gx = y * (gy - sum(gy * y)) over the last axis, y the softmax output. */
    void softmaxBackward(Tensor y, Tensor gy, Tensor gx);

    /** gx = gy - exp(y) * sum(gy) over the last axis, y the log-softmax output. */
    void logSoftmaxBackward(Tensor y, Tensor gy, Tensor gx);

    // ------------------------------------------------------------------ losses

    /**
     * Per-row negative log-likelihood: nll[r] = logsumexp(logits[r]) - logits[r][targets[r]], and 0
     * where targets[r] == ignoreIndex. logits is [rows, V], nll is [rows]. A target outside [0, V)
     * other than ignoreIndex is an {@link IllegalArgumentException} naming the row and value.
     */
    void crossEntropy(Tensor logits, int[] targets, int ignoreIndex, Tensor nll);

    /** gLogits[r] = gNll[r] * (softmax(logits[r]) - onehot(targets[r])), zero rows where ignored. Overwrites. */
    void crossEntropyBackward(Tensor logits, int[] targets, int ignoreIndex, Tensor gNll, Tensor gLogits);

    // ------------------------------------------------------------------ normalisation

    /**
     * T5 RMS norm over the last axis: y = w * x / sqrt(mean(x^2) + eps); stores 1/sqrt(mean(x^2)+eps)
     * per row in {@code rstd} ([rows]) for the backward.
     */
    void rmsNorm(Tensor x, Tensor w, float eps, Tensor y, Tensor rstd);

    /** Writes gx; ACCUMULATES into gw (gw += sum over rows of gy * x * rstd). */
    void rmsNormBackward(Tensor x, Tensor w, Tensor rstd, Tensor gy, Tensor gx, Tensor gw);

    // ------------------------------------------------------------------ embeddings and layout

    /** out[i, :] = table[ids[i], :]; table [V, D], out [ids.length, D]; bad ids are an error naming the index. */
    void embeddingGather(Tensor table, int[] ids, Tensor out);

    /** gTable[ids[i], :] += g[i, :] (accumulates; repeated ids add up). */
    void embeddingScatterAdd(Tensor g, int[] ids, Tensor gTable);

    /** out = x with axes permuted: out.shape[i] = x.shape[perm[i]]. A copy. */
    void permute(Tensor x, int[] perm, Tensor out);

    // ------------------------------------------------------------------ dropout

    /**
     * Inverted dropout: out[j] = keep(seed, j) ? x[j] / (1 - p) : 0, with {@link #dropoutKeep}.
     * The mask depends only on (seed, element index), so the backward is the same call on the
     * gradient, and every backend draws the same mask.
     */
    void dropout(Tensor x, float p, long seed, Tensor out);

    /**
     * The dropout mask, shared by every backend: SplitMix64 of {@code seed + (index + 1) * 0x9E3779B97F4A7C15},
     * top 24 bits as a uniform u in [0, 1); the element is kept when u &gt;= p.
     */
    static boolean dropoutKeep(long seed, long index, float p) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        float u = (z >>> 40) * 0x1.0p-24f;
        return u >= p;
    }

    // ------------------------------------------------------------------ CLP parameter mixing

    /**
     * The CLP mixing op (Algorithm 2): out = (1 - beta) * sum_i w[i] * xs[i] + beta * ref, over m
     * tensors of one shape. {@code ref} may be null (then the beta term is dropped).
     */
    void mix(Tensor[] xs, float[] w, float beta, Tensor ref, Tensor out);

    /** Backward of {@link #mix} into the replicas (paper A.3): gxs[i] += (1 - beta) * w[i] * gOut (accumulates). */
    void mixBackward(Tensor gOut, float[] w, float beta, Tensor[] gxs);

    // ------------------------------------------------------------------ optimizer updates

    /**
     * One AdamW step in place: m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
     * p -= lr * wd * p; p -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps).
     */
    void adamwUpdate(Tensor p, Tensor g, Tensor m, Tensor v, AdamWParams params);

    /**
     * One Adafactor step in place (T5X). For a parameter whose last two axes are both &gt; 1 the
     * second moment is factored: {@code vRow} has p's shape without the last axis and {@code vCol}
     * p's shape without the second-to-last axis, and {@code v} is null. Otherwise {@code v} has p's
     * shape and vRow/vCol are null. See clp4j.engine.optim.Adafactor for the exact update.
     */
    void adafactorUpdate(Tensor p, Tensor g, Tensor vRow, Tensor vCol, Tensor v, AdafactorParams params);
}
