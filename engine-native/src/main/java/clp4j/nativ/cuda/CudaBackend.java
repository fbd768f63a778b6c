package clp4j.nativ.cuda;

import clp4j.engine.autodiff.TensorScope;
import clp4j.engine.backend.AdafactorParams;
import clp4j.engine.backend.AdamWParams;
import clp4j.engine.backend.Backend;
import clp4j.engine.backend.BinaryOp;
import clp4j.engine.backend.Checks;
import clp4j.engine.backend.ReduceOp;
import clp4j.engine.backend.UnaryOp;
import clp4j.engine.tensor.Storage;
import clp4j.engine.tensor.Tensor;

import java.util.Arrays;

/**
 * The {@link Backend} on an NVIDIA GPU: device storage from a caching allocator, all work queued on
 * one stream (host copies wait for it), GEMM on cuBLAS, every other op a kernel from the committed
 * PTX (kernels module). Settings: {@code -Dclp4j.cuda.device} (ordinal, default 0),
 * {@code -Dclp4j.cuda.tf32=true} (TF32 tensor-core GEMM), {@code -Dclp4j.cublas.path} (see
 * {@link CublasLocator}). Calls are serialised; any thread may call.
 */
public final class CudaBackend implements Backend {
    public static final String NAME = "cuda";

    private final CudaDevice d;
    private final CudaPointwise pointwise;
    private final CudaMix mixOps;
    private final CudaRowOps rows;
    private final CudaLayoutOps layout;
    private final CudaOptim optim;
    private boolean closed;

    /** Device and TF32 from the system properties. */
    public CudaBackend() {
        this(Integer.getInteger("clp4j.cuda.device", 0), Boolean.getBoolean("clp4j.cuda.tf32"));
    }

    public CudaBackend(int deviceOrdinal, boolean tf32) {
        d = new CudaDevice(deviceOrdinal, tf32);
        pointwise = new CudaPointwise(d);
        mixOps = new CudaMix(d);
        rows = new CudaRowOps(d);
        layout = new CudaLayoutOps(d);
        optim = new CudaOptim(d);
    }

    @Override
    public String name() { return NAME; }

    /** The GPU's name, e.g. "NVIDIA H100 80GB HBM3". */
    public String deviceName() { return d.name; }

    public boolean tf32() { return d.cublas.tf32(); }

    /** The caching allocator (its counters show whether a loop still allocates). */
    public DeviceAllocator allocator() { return d.allocator; }

    /** Low-level access for the kernel lab and benchmarks. */
    public CudaDriver driver() { return d.cu; }

    public CudaStream stream() { return d.stream; }

    public int deviceHandle() { return d.device; }

    private void enter() {
        if (closed) throw new IllegalStateException("the cuda backend was closed");
        d.ensureCurrent();
    }

    // ------------------------------------------------------------------ memory

    private Tensor allocate(int[] shape) {
        long n = Tensor.numel(shape);
        DeviceAllocator.Block b = d.allocator.allocate(Math.max(n, 1) * Float.BYTES);
        Tensor t = new Tensor(this, new CudaStorage(this, b, n), 0, shape, false);
        TensorScope.track(t);
        return t;
    }

    @Override
    public synchronized Tensor zeros(int... shape) {
        enter();
        Tensor t = allocate(shape);
        d.stream.memset32(CudaStorage.ptr(t), 0, t.numel());
        return t;
    }

    @Override
    public synchronized Tensor fromArray(float[] data, int... shape) {
        enter();
        if (data.length != Tensor.numel(shape)) {
            throw new IllegalArgumentException("fromArray: " + data.length + " values for shape " + Arrays.toString(shape)
                    + " (" + Tensor.numel(shape) + " elements)");
        }
        Tensor t = allocate(shape);
        d.transfer.upload(data, 0, CudaStorage.ptr(t), data.length);
        return t;
    }

    @Override
    public synchronized void copyToHost(Tensor src, float[] dst) {
        enter();
        Checks.require(dst.length >= src.numel(), "copyToHost: destination holds " + dst.length + " floats, "
                + src + " has " + src.numel());
        d.transfer.download(CudaStorage.ptr(src), dst, src.size());
    }

    @Override
    public synchronized void copyFromHost(float[] src, int srcPos, Tensor dst) {
        enter();
        Checks.require(srcPos >= 0 && srcPos + dst.numel() <= src.length, "copyFromHost: need " + dst.numel()
                + " floats from position " + srcPos + " of an array of " + src.length);
        d.transfer.upload(src, srcPos, CudaStorage.ptr(dst), dst.size());
    }

    @Override
    public synchronized void copy(Tensor src, Tensor dst) {
        enter();
        Checks.sameNumel("copy", src, dst);
        d.stream.copyDtoD(CudaStorage.ptr(dst), CudaStorage.ptr(src), src.numel() * Float.BYTES);
    }

    @Override
    public synchronized void fill(Tensor t, float v) {
        enter();
        d.stream.memset32(CudaStorage.ptr(t), Float.floatToRawIntBits(v), t.numel());
    }

    @Override
    public synchronized void release(Storage storage) {
        if (closed) return;
        if (!(storage instanceof CudaStorage s) || s.owner() != this) {
            throw new IllegalArgumentException("release: storage " + storage + " does not belong to this cuda backend");
        }
        if (s.markReleased()) d.allocator.release(s.block());
    }

    @Override
    public synchronized void synchronize() {
        enter();
        d.stream.synchronize();
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        d.close();
    }

    // ------------------------------------------------------------------ ops

    @Override
    public synchronized void gemm(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha,
                                  Tensor a, long aOff, int lda, long strideA, Tensor b, long bOff, int ldb, long strideB,
                                  float beta, Tensor c, long cOff, int ldc, long strideC) {
        enter();
        CudaGemm.gemm(d, transA, transB, batch, m, n, k, alpha, a, aOff, lda, strideA, b, bOff, ldb, strideB,
                beta, c, cOff, ldc, strideC);
    }

    @Override public synchronized void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) { enter(); pointwise.binary(op, a, b, out); }
    @Override public synchronized void scale(Tensor a, float s, Tensor out) { enter(); pointwise.scale(a, s, out); }
    @Override public synchronized void axpy(float alpha, Tensor x, Tensor y) { enter(); pointwise.axpy(alpha, x, y); }
    @Override public synchronized void unary(UnaryOp op, Tensor x, Tensor out) { enter(); pointwise.unary(op, x, out); }

    @Override
    public synchronized void unaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor gy, Tensor gx) {
        enter();
        pointwise.unaryBackward(op, x, y, gy, gx);
    }

    @Override public synchronized void sumToShape(Tensor g, Tensor out) { enter(); pointwise.sumToShape(g, out); }
    @Override public synchronized void reduceLast(ReduceOp op, Tensor x, Tensor out) { enter(); rows.reduceLast(op, x, out); }

    @Override
    public synchronized void reduceLastBackward(ReduceOp op, Tensor x, Tensor y, Tensor gy, Tensor gx) {
        enter();
        rows.reduceLastBackward(op, x, y, gy, gx);
    }

    @Override public synchronized void softmax(Tensor x, Tensor mask, Tensor out) { enter(); rows.softmax(x, mask, out, false); }
    @Override public synchronized void logSoftmax(Tensor x, Tensor mask, Tensor out) { enter(); rows.softmax(x, mask, out, true); }
    @Override public synchronized void softmaxBackward(Tensor y, Tensor gy, Tensor gx) { enter(); rows.softmaxBackward(y, gy, gx, false); }
    @Override public synchronized void logSoftmaxBackward(Tensor y, Tensor gy, Tensor gx) { enter(); rows.softmaxBackward(y, gy, gx, true); }

    @Override
    public synchronized void crossEntropy(Tensor logits, int[] targets, int ignoreIndex, Tensor nll) {
        enter();
        rows.crossEntropy(logits, targets, ignoreIndex, nll);
    }

    @Override
    public synchronized void crossEntropyBackward(Tensor logits, int[] targets, int ignoreIndex, Tensor gNll, Tensor gLogits) {
        enter();
        rows.crossEntropyBackward(logits, targets, ignoreIndex, gNll, gLogits);
    }

    @Override
    public synchronized void rmsNorm(Tensor x, Tensor w, float eps, Tensor y, Tensor rstd) {
        enter();
        rows.rmsNorm(x, w, eps, y, rstd);
    }

    @Override
    public synchronized void rmsNormBackward(Tensor x, Tensor w, Tensor rstd, Tensor gy, Tensor gx, Tensor gw) {
        enter();
        rows.rmsNormBackward(x, w, rstd, gy, gx, gw);
    }

    @Override public synchronized void embeddingGather(Tensor table, int[] ids, Tensor out) { enter(); layout.embeddingGather(table, ids, out); }
    @Override public synchronized void embeddingScatterAdd(Tensor g, int[] ids, Tensor gTable) { enter(); layout.embeddingScatterAdd(g, ids, gTable); }
    @Override public synchronized void permute(Tensor x, int[] perm, Tensor out) { enter(); layout.permute(x, perm, out); }
    @Override public synchronized void dropout(Tensor x, float p, long seed, Tensor out) { enter(); pointwise.dropout(x, p, seed, out); }

    @Override
    public synchronized void mix(Tensor[] xs, float[] w, float beta, Tensor ref, Tensor out) {
        enter();
        mixOps.mix(xs, w, beta, ref, out);
    }

    /** Null entries of {@code gxs} are skipped (replicas that need no gradient). */
    @Override
    public synchronized void mixBackward(Tensor gOut, float[] w, float beta, Tensor[] gxs) {
        enter();
        mixOps.mixBackward(gOut, w, beta, gxs);
    }

    @Override
    public synchronized void adamwUpdate(Tensor p, Tensor g, Tensor m, Tensor v, AdamWParams params) {
        enter();
        optim.adamw(p, g, m, v, params);
    }

    @Override
    public synchronized void adafactorUpdate(Tensor p, Tensor g, Tensor vRow, Tensor vCol, Tensor v, AdafactorParams params) {
        enter();
        optim.adafactor(p, g, vRow, vCol, v, params);
    }

    @Override
    public String toString() { return NAME + "(" + d.name + (tf32() ? ", tf32" : "") + ")"; }
}
