package clp4j.engine.io;

import clp4j.engine.backend.AdafactorParams;
import clp4j.engine.backend.AdamWParams;
import clp4j.engine.backend.Backend;
import clp4j.engine.backend.BinaryOp;
import clp4j.engine.backend.ReduceOp;
import clp4j.engine.backend.UnaryOp;
import clp4j.engine.tensor.Storage;
import clp4j.engine.tensor.Tensor;

/**
 * A backend that only holds tensors in float[] storages: the memory operations I/O needs. It keeps
 * the I/O tests independent of the compute backends; every compute operation refuses with a message.
 * It also counts live storages so tests can check that failed loads release what they allocated.
 */
final class HostMemoryBackend implements Backend {
    record ArrayStorage(float[] data) implements Storage {
        @Override public long capacity() { return data.length; }
    }

    private long live;

    long liveStorages() { return live; }

    @Override public String name() { return "host-memory"; }

    @Override
    public Tensor zeros(int... shape) {
        live++;
        return new Tensor(this, new ArrayStorage(new float[Math.toIntExact(Tensor.numel(shape))]), 0, shape, false);
    }

    @Override
    public Tensor fromArray(float[] data, int... shape) {
        Tensor t = zeros(shape);
        copyFromHost(data, 0, t);
        return t;
    }

    private static float[] data(Tensor t) { return ((ArrayStorage) t.storage()).data(); }

    @Override
    public void copyToHost(Tensor src, float[] dst) {
        System.arraycopy(data(src), (int) src.offset(), dst, 0, src.size());
    }

    @Override
    public void copyFromHost(float[] src, int srcPos, Tensor dst) {
        System.arraycopy(src, srcPos, data(dst), (int) dst.offset(), dst.size());
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        System.arraycopy(data(src), (int) src.offset(), data(dst), (int) dst.offset(), src.size());
    }

    @Override
    public void fill(Tensor t, float v) {
        java.util.Arrays.fill(data(t), (int) t.offset(), (int) t.offset() + t.size(), v);
    }

    @Override public void release(Storage storage) { live--; }

    private static UnsupportedOperationException compute() {
        return new UnsupportedOperationException("HostMemoryBackend only holds tensors for I/O tests; use a compute backend");
    }

    @Override
    public void gemm(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha, Tensor a, long aOff, int lda,
                     long strideA, Tensor b, long bOff, int ldb, long strideB, float beta, Tensor c, long cOff, int ldc, long strideC) {
        throw compute();
    }

    @Override public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) { throw compute(); }
    @Override public void scale(Tensor a, float s, Tensor out) { throw compute(); }
    @Override public void axpy(float alpha, Tensor x, Tensor y) { throw compute(); }
    @Override public void unary(UnaryOp op, Tensor x, Tensor out) { throw compute(); }
    @Override public void unaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor gy, Tensor gx) { throw compute(); }
    @Override public void sumToShape(Tensor g, Tensor out) { throw compute(); }
    @Override public void reduceLast(ReduceOp op, Tensor x, Tensor out) { throw compute(); }
    @Override public void reduceLastBackward(ReduceOp op, Tensor x, Tensor y, Tensor gy, Tensor gx) { throw compute(); }
    @Override public void softmax(Tensor x, Tensor mask, Tensor out) { throw compute(); }
    @Override public void logSoftmax(Tensor x, Tensor mask, Tensor out) { throw compute(); }
    @Override public void softmaxBackward(Tensor y, Tensor gy, Tensor gx) { throw compute(); }
    @Override public void logSoftmaxBackward(Tensor y, Tensor gy, Tensor gx) { throw compute(); }
    @Override public void crossEntropy(Tensor logits, int[] targets, int ignoreIndex, Tensor nll) { throw compute(); }
    @Override public void crossEntropyBackward(Tensor logits, int[] targets, int ignoreIndex, Tensor gNll, Tensor gLogits) { throw compute(); }
    @Override public void rmsNorm(Tensor x, Tensor w, float eps, Tensor y, Tensor rstd) { throw compute(); }
    @Override public void rmsNormBackward(Tensor x, Tensor w, Tensor rstd, Tensor gy, Tensor gx, Tensor gw) { throw compute(); }
    @Override public void embeddingGather(Tensor table, int[] ids, Tensor out) { throw compute(); }
    @Override public void embeddingScatterAdd(Tensor g, int[] ids, Tensor gTable) { throw compute(); }
    @Override public void permute(Tensor x, int[] perm, Tensor out) { throw compute(); }
    @Override public void dropout(Tensor x, float p, long seed, Tensor out) { throw compute(); }
    @Override public void mix(Tensor[] xs, float[] w, float beta, Tensor ref, Tensor out) { throw compute(); }
    @Override public void mixBackward(Tensor gOut, float[] w, float beta, Tensor[] gxs) { throw compute(); }
    @Override public void adamwUpdate(Tensor p, Tensor g, Tensor m, Tensor v, AdamWParams params) { throw compute(); }
    @Override
    public void adafactorUpdate(Tensor p, Tensor g, Tensor vRow, Tensor vCol, Tensor v, AdafactorParams params) { throw compute(); }
}
