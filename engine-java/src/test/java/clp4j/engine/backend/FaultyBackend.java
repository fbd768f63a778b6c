package clp4j.engine.backend;

import clp4j.engine.autodiff.TensorScope;
import clp4j.engine.tensor.Storage;
import clp4j.engine.tensor.Tensor;



/**
 * The reference backend with one deliberate, plausible bug switched on, to show that
 * {@link BackendConformanceSuite} notices it ({@link ConformanceSuiteSelfTest}). With no fault it
 * behaves exactly like the reference.
 */
final class FaultyBackend implements Backend {
    enum Fault { NONE, GEMM_IGNORES_BETA, BROADCAST_WRONG_AXIS, SOFTMAX_IGNORES_MASK, DROPOUT_OTHER_MASK,
        ADAFACTOR_NO_CLIP, ADAMW_NO_BIAS_CORRECTION, WRITES_PAST_OUTPUT, MAX_BACKWARD_LAST_TIE, RMSNORM_GW_OVERWRITES,
        EMBEDDING_SCATTER_LAST_WINS, MIX_BACKWARD_OVERWRITES }

    private final ReferenceBackend r = new ReferenceBackend();
    private final Fault fault;

    FaultyBackend(Fault fault) { this.fault = fault; }

    @Override public String name() { return "faulty-" + fault; }

    @Override public Tensor zeros(int... shape) {
        Tensor t = new Tensor(this, new CpuStorage((int) Tensor.numel(shape)), 0, shape, false);
        TensorScope.track(t);
        return t;
    }

    @Override public Tensor fromArray(float[] data, int... shape) {
        Tensor t = zeros(shape);
        copyFromHost(data, 0, t);
        return t;
    }

    @Override public void copyToHost(Tensor src, float[] dst) { r.copyToHost(src, dst); }
    @Override public void copyFromHost(float[] src, int srcPos, Tensor dst) { r.copyFromHost(src, srcPos, dst); }
    @Override public void copy(Tensor src, Tensor dst) { r.copy(src, dst); }
    @Override public void fill(Tensor t, float v) { r.fill(t, v); }
    @Override public void release(Storage storage) { }

    @Override
    public void gemm(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha, Tensor a, long aOff, int lda,
                     long strideA, Tensor b, long bOff, int ldb, long strideB, float beta, Tensor c, long cOff, int ldc, long strideC) {
        float bt = fault == Fault.GEMM_IGNORES_BETA ? 0f : beta;
        r.gemm(transA, transB, batch, m, n, k, alpha, a, aOff, lda, strideA, b, bOff, ldb, strideB, bt, c, cOff, ldc, strideC);
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        if (fault == Fault.BROADCAST_WRONG_AXIS && b.rank() < a.rank() && b.numel() > 1 && b.numel() < a.numel()) {
            // treats a broadcast b as if it repeated along the last axis instead of the leading ones
            float[] av = a.toArray(), bv = b.toArray(), o = new float[av.length];
            int inner = a.size() / b.size();
            for (int i = 0; i < o.length; i++) {
                float y = bv[(i / inner) % bv.length];
                o[i] = switch (op) { case ADD -> av[i] + y; case SUB -> av[i] - y; case MUL -> av[i] * y; case DIV -> av[i] / y; };
            }
            copyFromHost(o, 0, out);
            return;
        }
        r.binary(op, a, b, out);
    }

    @Override public void scale(Tensor a, float s, Tensor out) { r.scale(a, s, out); }
    @Override public void axpy(float alpha, Tensor x, Tensor y) { r.axpy(alpha, x, y); }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        r.unary(op, x, out);
        if (fault == Fault.WRITES_PAST_OUTPUT && out.offset() + out.numel() < out.storage().capacity()) {
            CpuStorage.of(out)[(int) (out.offset() + out.numel())] = 0f;
        }
    }

    @Override public void unaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor gy, Tensor gx) { r.unaryBackward(op, x, y, gy, gx); }
    @Override public void sumToShape(Tensor g, Tensor out) { r.sumToShape(g, out); }
    @Override public void reduceLast(ReduceOp op, Tensor x, Tensor out) { r.reduceLast(op, x, out); }

    @Override
    public void reduceLastBackward(ReduceOp op, Tensor x, Tensor y, Tensor gy, Tensor gx) {
        if (fault != Fault.MAX_BACKWARD_LAST_TIE || op != ReduceOp.MAX) {
            r.reduceLastBackward(op, x, y, gy, gx);
            return;
        }
        int n = x.dim(-1);
        float[] xv = x.toArray(), yv = y.toArray(), gv = gy.toArray(), o = new float[xv.length];
        for (int row = 0; row < yv.length; row++) {
            int last = 0;
            for (int j = 0; j < n; j++) if (xv[row * n + j] == yv[row]) last = j;
            o[row * n + last] = gv[row];
        }
        copyFromHost(o, 0, gx);
    }

    @Override
    public void softmax(Tensor x, Tensor mask, Tensor out) { r.softmax(x, fault == Fault.SOFTMAX_IGNORES_MASK ? null : mask, out); }
    @Override public void logSoftmax(Tensor x, Tensor mask, Tensor out) { r.logSoftmax(x, mask, out); }
    @Override public void softmaxBackward(Tensor y, Tensor gy, Tensor gx) { r.softmaxBackward(y, gy, gx); }
    @Override public void logSoftmaxBackward(Tensor y, Tensor gy, Tensor gx) { r.logSoftmaxBackward(y, gy, gx); }
    @Override public void crossEntropy(Tensor l, int[] t, int ig, Tensor nll) { r.crossEntropy(l, t, ig, nll); }
    @Override public void crossEntropyBackward(Tensor l, int[] t, int ig, Tensor g, Tensor gl) { r.crossEntropyBackward(l, t, ig, g, gl); }
    @Override public void rmsNorm(Tensor x, Tensor w, float eps, Tensor y, Tensor rstd) { r.rmsNorm(x, w, eps, y, rstd); }

    @Override
    public void rmsNormBackward(Tensor x, Tensor w, Tensor rstd, Tensor gy, Tensor gx, Tensor gw) {
        if (fault == Fault.RMSNORM_GW_OVERWRITES) fill(gw, 0f);
        r.rmsNormBackward(x, w, rstd, gy, gx, gw);
    }

    @Override public void embeddingGather(Tensor table, int[] ids, Tensor out) { r.embeddingGather(table, ids, out); }

    @Override
    public void embeddingScatterAdd(Tensor g, int[] ids, Tensor gTable) {
        if (fault != Fault.EMBEDDING_SCATTER_LAST_WINS) {
            r.embeddingScatterAdd(g, ids, gTable);
            return;
        }
        int d = gTable.dim(1);
        float[] gv = g.toArray(), tv = gTable.toArray();
        float[] before = tv.clone();
        for (int i = 0; i < ids.length; i++) {
            for (int j = 0; j < d; j++) tv[ids[i] * d + j] = before[ids[i] * d + j] + gv[i * d + j];
        }
        copyFromHost(tv, 0, gTable);
    }

    @Override public void permute(Tensor x, int[] perm, Tensor out) { r.permute(x, perm, out); }

    @Override
    public void dropout(Tensor x, float p, long seed, Tensor out) { r.dropout(x, p, fault == Fault.DROPOUT_OTHER_MASK ? seed + 1 : seed, out); }

    @Override public void mix(Tensor[] xs, float[] w, float beta, Tensor ref, Tensor out) { r.mix(xs, w, beta, ref, out); }

    @Override
    public void mixBackward(Tensor gOut, float[] w, float beta, Tensor[] gxs) {
        if (fault == Fault.MIX_BACKWARD_OVERWRITES) for (Tensor g : gxs) fill(g, 0f);
        r.mixBackward(gOut, w, beta, gxs);
    }

    @Override
    public void adamwUpdate(Tensor p, Tensor g, Tensor m, Tensor v, AdamWParams a) {
        r.adamwUpdate(p, g, m, v, fault == Fault.ADAMW_NO_BIAS_CORRECTION
                ? new AdamWParams(a.learningRate(), a.beta1(), a.beta2(), a.epsilon(), a.weightDecay(), 1_000_000) : a);
    }

    @Override
    public void adafactorUpdate(Tensor p, Tensor g, Tensor vRow, Tensor vCol, Tensor v, AdafactorParams a) {
        r.adafactorUpdate(p, g, vRow, vCol, v, fault != Fault.ADAFACTOR_NO_CLIP ? a : new AdafactorParams(a.learningRate(),
                a.decay(), a.epsilon1(), a.epsilon2(), 0f, a.scaleParameter(), a.weightDecay()));
    }

    @Override public String toString() { return name(); }
}
