package clp4j.engine.backend;

import clp4j.engine.tensor.Storage;
import clp4j.engine.tensor.Tensor;


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
    public Tensor zeros(int... shape) { return CpuMemory.zeros(this, shape); }

    @Override
    public Tensor fromArray(float[] data, int... shape) { return CpuMemory.fromArray(this, data, shape); }

    @Override
    public void copyToHost(Tensor src, float[] dst) { CpuMemory.copyToHost(src, dst); }

    @Override
    public void copyFromHost(float[] src, int srcPos, Tensor dst) { CpuMemory.copyFromHost(src, srcPos, dst); }

    @Override
    public void copy(Tensor src, Tensor dst) { CpuMemory.copy(src, dst); }

    @Override
    public void fill(Tensor t, float v) { CpuMemory.fill(t, v); }

    /** Heap storage: the garbage collector reclaims it once no tensor refers to it. */
    @Override
    public void release(Storage storage) { CpuMemory.release(storage, null); }

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
    public void argmaxLast(Tensor x, int[] out) {
        RowArgmax.check(x, out);
        RowArgmax.rows(CpuStorage.of(x), CpuStorage.offset(x), x.dim(-1), out);
    }

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
