package clp4j.engine.backend;

import clp4j.engine.backend.vector.BroadcastIndex;
import clp4j.engine.backend.vector.CpuThreadPool;
import clp4j.engine.backend.vector.ElementwiseKernels;
import clp4j.engine.backend.vector.RowKernels;
import clp4j.engine.backend.vector.Simd;
import clp4j.engine.backend.vector.VectorGemm;
import clp4j.engine.tensor.Storage;
import clp4j.engine.tensor.Tensor;

import java.util.Arrays;

/**
 * The first half of {@link VectorBackend}: memory, GEMM, elementwise ops, reductions and softmax
 * (the class is split only to keep files short).
 */
public abstract class VectorBackendCore implements Backend {
    /** Elements per parallel task for flat elementwise work: below this an op stays on the caller. */
    static final int GRAIN = 1 << 15;

    final CpuThreadPool pool;
    private final VectorGemm gemm;
    /** Arrays of released tensors, reused by {@link #zeros} (see {@link ArrayPool}). */
    private final ArrayPool arrays = ArrayPool.fromSettings();

    VectorBackendCore(CpuThreadPool pool) {
        this.pool = pool;
        this.gemm = new VectorGemm(pool);
    }

    @Override
    public String name() {
        return "vector";
    }

    /** The SIMD width in bits in use (see {@link Simd}). */
    public int vectorBits() {
        return Simd.F.vectorBitSize();
    }

    /** The threads ops are spread over, the calling thread included. */
    public int threads() {
        return pool.threads();
    }

    // ------------------------------------------------------------------ memory

    @Override
    public Tensor zeros(int... shape) { return CpuMemory.zeros(this, arrays, shape); }

    @Override
    public Tensor empty(int... shape) { return CpuMemory.empty(this, arrays, shape); }

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

    @Override
    public void release(Storage storage) {
        CpuMemory.release(storage, arrays);
    }

    @Override
    public void close() {
        pool.close();
    }

    // ------------------------------------------------------------------ matrix products

    @Override
    public void gemm(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha,
                     Tensor a, long aOff, int lda, long strideA, Tensor b, long bOff, int ldb, long strideB,
                     float beta, Tensor c, long cOff, int ldc, long strideC) {
        if (batch < 0 || m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: negative size batch=" + batch + " m=" + m + " n=" + n + " k=" + k);
        }
        if (batch == 0 || m == 0 || n == 0) return;
        long ao = a.offset() + aOff, bo = b.offset() + bOff, co = c.offset() + cOff;
        if (k > 0 && alpha != 0f) {
            checkOperand("A", a, ao, lda, strideA, batch, transA ? k : m, transA ? m : k);
            checkOperand("B", b, bo, ldb, strideB, batch, transB ? n : k, transB ? k : n);
        }
        checkOperand("C", c, co, ldc, strideC, batch, m, n);
        gemm.gemm(transA, transB, batch, m, n, k, alpha, data(a), (int) ao, lda, strideA,
                data(b), (int) bo, ldb, strideB, beta, data(c), (int) co, ldc, strideC);
    }

    private static void checkOperand(String name, Tensor t, long base, int ld, long stride, int batch, int rows, int cols) {
        if (ld < Math.max(cols, 1)) {
            throw new IllegalArgumentException("gemm: ld" + name.toLowerCase() + "=" + ld + " is smaller than the " + cols
                    + " columns " + name + " has as stored");
        }
        long last = base + (batch - 1) * stride + (long) (rows - 1) * ld + cols - 1;
        if (base < 0 || stride < 0 || (rows > 0 && cols > 0 && last >= t.storage().capacity())) {
            throw new IllegalArgumentException("gemm: operand " + name + " (" + rows + " x " + cols + " as stored, ld " + ld
                    + ", stride " + stride + ", batch " + batch + ", first element " + base + ") reaches past its storage of "
                    + t.storage().capacity() + " elements (" + t + ")");
        }
    }

    // ------------------------------------------------------------------ elementwise

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        sameShape("binary " + op + " output", a, out);
        float[] x = data(a), y = data(b), o = data(out);
        int xo = off(a), yo = off(b), oo = off(out);
        BroadcastIndex bi = new BroadcastIndex(a.shape(), b.shape(), "binary " + op + " operand b");
        if (bi.identity()) {
            pool.parallelRange(a.size(), GRAIN, (from, to) ->
                    ElementwiseKernels.binary(op, x, xo + from, y, yo + from, o, oo + from, to - from));
            return;
        }
        int d = lastDim(a);
        pool.parallelRange(a.rows(), rowGrain(d), (from, to) -> {
            for (int r = from; r < to; r++) {
                int bRow = yo + bi.rowOffset(r);
                if (bi.lastFull()) ElementwiseKernels.binary(op, x, xo + r * d, y, bRow, o, oo + r * d, d);
                else ElementwiseKernels.binaryScalar(op, x, xo + r * d, y[bRow], o, oo + r * d, d);
            }
        });
    }

    @Override
    public void scale(Tensor a, float s, Tensor out) {
        sameCount("scale", a, out);
        float[] x = data(a), o = data(out);
        int xo = off(a), oo = off(out);
        pool.parallelRange(a.size(), GRAIN, (from, to) ->
                ElementwiseKernels.binaryScalar(BinaryOp.MUL, x, xo + from, s, o, oo + from, to - from));
    }

    @Override
    public void axpy(float alpha, Tensor x, Tensor y) {
        sameCount("axpy", x, y);
        float[] xs = data(x), ys = data(y);
        int xo = off(x), yo = off(y);
        pool.parallelRange(x.size(), GRAIN, (from, to) -> ElementwiseKernels.axpy(alpha, xs, xo + from, ys, yo + from, to - from));
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        sameCount("unary " + op, x, out);
        float[] xs = data(x), o = data(out);
        int xo = off(x), oo = off(out);
        pool.parallelRange(x.size(), GRAIN / 4, (from, to) -> ElementwiseKernels.unary(op, xs, xo + from, o, oo + from, to - from));
    }

    @Override
    public void unaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor gy, Tensor gx) {
        Tensor used = op == UnaryOp.EXP || op == UnaryOp.TANH ? y : x;
        sameCount("unaryBackward " + op, used, gy);
        sameCount("unaryBackward " + op, gy, gx);
        float[] xs = data(used), g = data(gy), o = data(gx);
        int xo = off(used), go = off(gy), oo = off(gx);
        pool.parallelRange(gy.size(), GRAIN / 4, (from, to) ->
                ElementwiseKernels.backward(op, xs, xo + from, xs, xo + from, g, go + from, o, oo + from, to - from));
    }

    @Override
    public void sumToShape(Tensor g, Tensor out) {
        BroadcastIndex bi = new BroadcastIndex(g.shape(), out.shape(), "sumToShape target");
        float[] gs = data(g), o = data(out);
        int go = off(g), oo = off(out);
        if (bi.identity()) {
            System.arraycopy(gs, go, o, oo, g.size());
            return;
        }
        Arrays.fill(o, oo, oo + out.size(), 0f);
        int d = lastDim(g);
        for (int r = 0, rows = g.rows(); r < rows; r++) {
            int dst = oo + bi.rowOffset(r);
            if (bi.lastFull()) ElementwiseKernels.axpy(1f, gs, go + r * d, o, dst, d);
            else o[dst] += ElementwiseKernels.sum(gs, go + r * d, d);
        }
    }

    // ------------------------------------------------------------------ reductions

    @Override
    public void argmaxLast(Tensor x, int[] out) {
        RowArgmax.check(x, out);
        int d = lastDim(x);
        float[] xs = data(x);
        int xo = off(x);
        pool.parallelRange(x.rows(), rowGrain(d), (from, to) -> {
            for (int r = from; r < to; r++) out[r] = RowKernels.argmax(xs, xo + r * d, d);
        });
    }

    @Override
    public void reduceLast(ReduceOp op, Tensor x, Tensor out) {
        int d = lastDim(x);
        checkRows("reduceLast " + op + " output", x, out);
        float[] xs = data(x), o = data(out);
        int xo = off(x), oo = off(out);
        pool.parallelRange(x.rows(), rowGrain(d), (from, to) -> {
            for (int r = from; r < to; r++) {
                int src = xo + r * d;
                o[oo + r] = switch (op) {
                    case SUM -> ElementwiseKernels.sum(xs, src, d);
                    case MEAN -> ElementwiseKernels.sum(xs, src, d) / d;
                    case MAX -> ElementwiseKernels.max(xs, src, d);
                };
            }
        });
    }

    @Override
    public void reduceLastBackward(ReduceOp op, Tensor x, Tensor y, Tensor gy, Tensor gx) {
        int d = lastDim(x);
        sameCount("reduceLastBackward " + op, x, gx);
        checkRows("reduceLastBackward " + op + " gy", x, gy);
        float[] xs = data(x), ys = data(y), g = data(gy), o = data(gx);
        int xo = off(x), yo = off(y), go = off(gy), oo = off(gx);
        pool.parallelRange(x.rows(), rowGrain(d), (from, to) -> {
            for (int r = from; r < to; r++) {
                int dst = oo + r * d;
                float gr = g[go + r];
                if (op == ReduceOp.MAX) {
                    Arrays.fill(o, dst, dst + d, 0f);
                    float m = ys[yo + r];
                    int src = xo + r * d;
                    boolean nan = m != m; // a NaN maximum came from the row's first NaN (as torch.max)
                    for (int j = 0; j < d; j++) {
                        float v = xs[src + j];
                        if (v == m || (nan && v != v)) {
                            o[dst + j] = gr;
                            break;
                        }
                    }
                } else {
                    Arrays.fill(o, dst, dst + d, op == ReduceOp.MEAN ? gr / d : gr);
                }
            }
        });
    }

    // ------------------------------------------------------------------ softmax

    @Override
    public void softmax(Tensor x, Tensor mask, Tensor out) {
        softmaxRows(x, mask, out, false);
    }

    @Override
    public void logSoftmax(Tensor x, Tensor mask, Tensor out) {
        softmaxRows(x, mask, out, true);
    }

    private void softmaxRows(Tensor x, Tensor mask, Tensor out, boolean log) {
        String what = log ? "logSoftmax" : "softmax";
        sameShape(what + " output", x, out);
        int d = lastDim(x);
        float[] xs = data(x), o = data(out);
        float[] ms = mask == null ? null : data(mask);
        int xo = off(x), oo = off(out), mo = mask == null ? 0 : off(mask);
        BroadcastIndex bi = mask == null ? null : new BroadcastIndex(x.shape(), mask.shape(), what + " mask");
        pool.parallelRange(x.rows(), rowGrain(d), (from, to) -> {
            for (int r = from; r < to; r++) {
                int mRow = bi == null ? 0 : mo + bi.rowOffset(r);
                boolean full = bi != null && bi.lastFull();
                if (log) RowKernels.logSoftmax(xs, xo + r * d, ms, mRow, full, o, oo + r * d, d);
                else RowKernels.softmax(xs, xo + r * d, ms, mRow, full, o, oo + r * d, d);
            }
        });
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor gy, Tensor gx) {
        softmaxBackwardRows(y, gy, gx, false);
    }

    @Override
    public void logSoftmaxBackward(Tensor y, Tensor gy, Tensor gx) {
        softmaxBackwardRows(y, gy, gx, true);
    }

    private void softmaxBackwardRows(Tensor y, Tensor gy, Tensor gx, boolean log) {
        String what = log ? "logSoftmaxBackward" : "softmaxBackward";
        sameShape(what + " gy", y, gy);
        sameShape(what + " gx", y, gx);
        int d = lastDim(y);
        float[] ys = data(y), g = data(gy), o = data(gx);
        int yo = off(y), go = off(gy), oo = off(gx);
        pool.parallelRange(y.rows(), rowGrain(d), (from, to) -> {
            for (int r = from; r < to; r++) {
                if (log) RowKernels.logSoftmaxBackward(ys, yo + r * d, g, go + r * d, o, oo + r * d, d);
                else RowKernels.softmaxBackward(ys, yo + r * d, g, go + r * d, o, oo + r * d, d);
            }
        });
    }

    // ------------------------------------------------------------------ helpers

    static float[] data(Tensor t) {
        return CpuStorage.of(t);
    }

    static int off(Tensor t) {
        return CpuStorage.offset(t);
    }

    static int lastDim(Tensor t) {
        return t.rank() == 0 ? 1 : t.dim(-1);
    }

    /** Rows per parallel task so that a task holds at least about GRAIN / 2 elements. */
    static int rowGrain(int d) {
        return Math.max(1, (GRAIN / 2) / Math.max(d, 1));
    }

    static void sameShape(String what, Tensor expected, Tensor actual) {
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            throw new IllegalArgumentException(what + ": shape " + Arrays.toString(actual.shape()) + " should be "
                    + Arrays.toString(expected.shape()));
        }
    }

    static void sameCount(String what, Tensor a, Tensor b) {
        if (a.numel() != b.numel()) {
            throw new IllegalArgumentException(what + ": " + Arrays.toString(a.shape()) + " and "
                    + Arrays.toString(b.shape()) + " have different element counts");
        }
    }

    static void checkLength(String what, Tensor t, int n) {
        if (t.numel() != n) {
            throw new IllegalArgumentException(what + ": shape " + Arrays.toString(t.shape()) + " should hold " + n + " elements");
        }
    }

    private static void checkRows(String what, Tensor x, Tensor out) {
        int[] expect = x.rank() == 0 ? new int[]{1} : x.shape();
        expect[expect.length - 1] = 1;
        if (out.numel() != x.rows() || (out.rank() > 0 && out.dim(-1) != 1 && out.rank() == x.rank())) {
            throw new IllegalArgumentException(what + ": shape " + Arrays.toString(out.shape()) + " should be "
                    + Arrays.toString(expect));
        }
    }
}
