package clp4j.engine.backend;

import clp4j.engine.autodiff.TensorScope;
import clp4j.engine.tensor.Storage;
import clp4j.engine.tensor.Tensor;

import java.util.Arrays;

/**
 * The oracle: every {@link Backend} op as plain single-threaded loops over float[] storage, with
 * double accumulators, so that each result is (close to) the correctly rounded value. Every other
 * backend is tested against this one ({@code BackendConformanceSuite}). Slow by design.
 */
public final class ReferenceBackend implements Backend {

    public static final String NAME = "reference";

    @Override
    public String name() { return NAME; }

    // ------------------------------------------------------------------ memory

    @Override
    public Tensor zeros(int... shape) {
        long n = Tensor.numel(shape);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " has " + n
                    + " elements, more than a Java array holds; use a smaller batch or the CUDA backend");
        }
        Tensor t = new Tensor(this, new CpuStorage((int) n), 0, shape, false);
        TensorScope.track(t);
        return t;
    }

    @Override
    public Tensor fromArray(float[] data, int... shape) {
        if (data.length != Tensor.numel(shape)) {
            throw new IllegalArgumentException("fromArray: " + data.length + " values for shape " + Arrays.toString(shape)
                    + " (" + Tensor.numel(shape) + " elements)");
        }
        Tensor t = new Tensor(this, new CpuStorage(data.clone()), 0, shape, false);
        TensorScope.track(t);
        return t;
    }

    @Override
    public void copyToHost(Tensor src, float[] dst) {
        Checks.require(dst.length >= src.numel(), "copyToHost: destination holds " + dst.length + " floats, "
                + src + " has " + src.numel());
        System.arraycopy(CpuStorage.of(src), CpuStorage.offset(src), dst, 0, src.size());
    }

    @Override
    public void copyFromHost(float[] src, int srcPos, Tensor dst) {
        Checks.require(srcPos >= 0 && srcPos + dst.numel() <= src.length, "copyFromHost: need " + dst.numel()
                + " floats from position " + srcPos + " of an array of " + src.length);
        System.arraycopy(src, srcPos, CpuStorage.of(dst), CpuStorage.offset(dst), dst.size());
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        Checks.sameNumel("copy", src, dst);
        System.arraycopy(CpuStorage.of(src), CpuStorage.offset(src), CpuStorage.of(dst), CpuStorage.offset(dst), src.size());
    }

    @Override
    public void fill(Tensor t, float v) {
        int o = CpuStorage.offset(t);
        Arrays.fill(CpuStorage.of(t), o, o + t.size(), v);
    }

    /** Heap storage: the garbage collector reclaims it once no tensor refers to it. */
    @Override
    public void release(Storage storage) { }

    // ------------------------------------------------------------------ ops

    @Override
    public void gemm(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha,
                     Tensor a, long aOff, int lda, long strideA, Tensor b, long bOff, int ldb, long strideB,
                     float beta, Tensor c, long cOff, int ldc, long strideC) {
        RefGemm.gemm(transA, transB, batch, m, n, k, alpha, a, aOff, lda, strideA, b, bOff, ldb, strideB,
                beta, c, cOff, ldc, strideC);
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) { RefElementwise.binary(op, a, b, out); }

    @Override
    public void scale(Tensor a, float s, Tensor out) { RefElementwise.scale(a, s, out); }

    @Override
    public void axpy(float alpha, Tensor x, Tensor y) { RefElementwise.axpy(alpha, x, y); }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) { RefElementwise.unary(op, x, out); }

    @Override
    public void unaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor gy, Tensor gx) {
        RefElementwise.unaryBackward(op, x, y, gy, gx);
    }

    @Override
    public void sumToShape(Tensor g, Tensor out) { RefElementwise.sumToShape(g, out); }

    @Override
    public void reduceLast(ReduceOp op, Tensor x, Tensor out) { RefRows.reduceLast(op, x, out); }

    @Override
    public void reduceLastBackward(ReduceOp op, Tensor x, Tensor y, Tensor gy, Tensor gx) {
        RefRows.reduceLastBackward(op, x, y, gy, gx);
    }

    @Override
    public void softmax(Tensor x, Tensor mask, Tensor out) { RefRows.softmax(x, mask, out, false); }

    @Override
    public void logSoftmax(Tensor x, Tensor mask, Tensor out) { RefRows.softmax(x, mask, out, true); }

    @Override
    public void softmaxBackward(Tensor y, Tensor gy, Tensor gx) { RefRows.softmaxBackward(y, gy, gx, false); }

    @Override
    public void logSoftmaxBackward(Tensor y, Tensor gy, Tensor gx) { RefRows.softmaxBackward(y, gy, gx, true); }

    @Override
    public void crossEntropy(Tensor logits, int[] targets, int ignoreIndex, Tensor nll) {
        RefModelOps.crossEntropy(logits, targets, ignoreIndex, nll);
    }

    @Override
    public void crossEntropyBackward(Tensor logits, int[] targets, int ignoreIndex, Tensor gNll, Tensor gLogits) {
        RefModelOps.crossEntropyBackward(logits, targets, ignoreIndex, gNll, gLogits);
    }

    @Override
    public void rmsNorm(Tensor x, Tensor w, float eps, Tensor y, Tensor rstd) { RefModelOps.rmsNorm(x, w, eps, y, rstd); }

    @Override
    public void rmsNormBackward(Tensor x, Tensor w, Tensor rstd, Tensor gy, Tensor gx, Tensor gw) {
        RefModelOps.rmsNormBackward(x, w, rstd, gy, gx, gw);
    }

    @Override
    public void embeddingGather(Tensor table, int[] ids, Tensor out) { RefModelOps.embeddingGather(table, ids, out); }

    @Override
    public void embeddingScatterAdd(Tensor g, int[] ids, Tensor gTable) { RefModelOps.embeddingScatterAdd(g, ids, gTable); }

    @Override
    public void permute(Tensor x, int[] perm, Tensor out) { RefModelOps.permute(x, perm, out); }

    @Override
    public void dropout(Tensor x, float p, long seed, Tensor out) { RefElementwise.dropout(x, p, seed, out); }

    @Override
    public void mix(Tensor[] xs, float[] w, float beta, Tensor ref, Tensor out) { RefElementwise.mix(xs, w, beta, ref, out); }

    /** Null entries of {@code gxs} are skipped (replicas that need no gradient). */
    @Override
    public void mixBackward(Tensor gOut, float[] w, float beta, Tensor[] gxs) { RefElementwise.mixBackward(gOut, w, beta, gxs); }

    @Override
    public void adamwUpdate(Tensor p, Tensor g, Tensor m, Tensor v, AdamWParams params) { RefOptim.adamw(p, g, m, v, params); }

    @Override
    public void adafactorUpdate(Tensor p, Tensor g, Tensor vRow, Tensor vCol, Tensor v, AdafactorParams params) {
        RefOptim.adafactor(p, g, vRow, vCol, v, params);
    }

    @Override
    public String toString() { return NAME; }
}
