package clp4j.nativ.cuda;

import clp4j.engine.backend.OpChecks;
import clp4j.engine.backend.Broadcast;
import clp4j.engine.backend.Checks;
import clp4j.engine.backend.ReduceOp;
import clp4j.engine.tensor.Tensor;

import java.util.Arrays;

import static clp4j.nativ.cuda.CudaStorage.ptr;

/** Last-axis ops, one block per row: reductions, softmax and log-softmax, cross-entropy, RMS norm. */
final class CudaRowOps {
    private final KernelQueue d;

    CudaRowOps(KernelQueue d) { this.d = d; }

    void reduceLast(ReduceOp op, Tensor x, Tensor out) {
        Checks.keepdimLast("reduceLast " + op, x, out);
        int len = x.dim(-1);
        d.args().begin().i32(op.ordinal()).ptr(ptr(x)).ptr(ptr(out)).i32(len);
        d.launchRows("clp_reduce_last", x.rows(), len);
    }

    void reduceLastBackward(ReduceOp op, Tensor x, Tensor y, Tensor gy, Tensor gx) {
        Checks.keepdimLast("reduceLastBackward " + op + " (x, y)", x, y);
        Checks.keepdimLast("reduceLastBackward " + op + " (x, gy)", x, gy);
        Checks.sameShape("reduceLastBackward " + op + " (x, gx)", x, gx);
        int len = x.dim(-1);
        if (op == ReduceOp.MAX) {
            d.args().begin().ptr(ptr(x)).ptr(ptr(y)).ptr(ptr(gy)).ptr(ptr(gx)).i32(len);
            d.launchRows("clp_reduce_last_backward_max", x.rows(), len);
        } else {
            float s = op == ReduceOp.MEAN ? (float) (1.0 / len) : 1f;
            d.args().begin().ptr(ptr(gy)).f32(s).ptr(ptr(gx)).i32(len).i64(x.numel());
            d.launchElements("clp_reduce_last_backward_spread", x.numel());
        }
    }

    /** The mask is walked per row (x's leading axes with the mask's strides) plus a column stride of 0 or 1. */
    void softmax(Tensor x, Tensor mask, Tensor out, boolean log) {
        String op = log ? "logSoftmax" : "softmax";
        Checks.sameShape(op + " (x, out)", x, out);
        int[] shape = x.shape();
        int len = x.dim(-1);
        long[][] mrow = {{}, {}};
        long mcol = 0;
        if (mask != null) {
            long[] ms = Broadcast.strides(shape, mask.shape(), op + " mask");
            mrow = DimsCollapse.collapse(DimsCollapse.toLong(Arrays.copyOf(shape, shape.length - 1)),
                    Arrays.copyOf(ms, ms.length - 1));
            mcol = ms[ms.length - 1];
        }
        d.args().begin().ptr(ptr(x)).ptr(CudaStorage.ptrOrNull(mask)).dims(mrow[0], mrow[1]).i64(mcol).ptr(ptr(out))
                .i32(len).i32(log ? 1 : 0);
        d.launchRows("clp_softmax", x.rows(), len);
    }

    void softmaxBackward(Tensor y, Tensor gy, Tensor gx, boolean log) {
        String op = log ? "logSoftmaxBackward" : "softmaxBackward";
        Checks.sameShape(op + " (y, gy)", y, gy);
        Checks.sameShape(op + " (y, gx)", y, gx);
        int len = y.dim(-1);
        d.args().begin().ptr(ptr(y)).ptr(ptr(gy)).ptr(ptr(gx)).i32(len);
        d.launchRows(log ? "clp_log_softmax_backward" : "clp_softmax_backward", y.rows(), len);
    }

    void crossEntropy(Tensor logits, int[] targets, int ignoreIndex, Tensor nll) {
        OpChecks.targets("crossEntropy", logits, targets, ignoreIndex);
        Checks.rowsVector("crossEntropy", "nll", nll, targets.length);
        long t = d.uploadInts(targets);
        int len = logits.dim(-1);
        d.args().begin().ptr(ptr(logits)).ptr(t).i32(ignoreIndex).ptr(ptr(nll)).i32(len);
        d.launchRows("clp_cross_entropy", targets.length, len);
    }

    void crossEntropyBackward(Tensor logits, int[] targets, int ignoreIndex, Tensor gNll, Tensor gLogits) {
        OpChecks.targets("crossEntropyBackward", logits, targets, ignoreIndex);
        Checks.rowsVector("crossEntropyBackward", "gNll", gNll, targets.length);
        Checks.sameShape("crossEntropyBackward (logits, gLogits)", logits, gLogits);
        long t = d.uploadInts(targets);
        int len = logits.dim(-1);
        d.args().begin().ptr(ptr(logits)).ptr(t).i32(ignoreIndex).ptr(ptr(gNll)).ptr(ptr(gLogits)).i32(len);
        d.launchRows("clp_cross_entropy_backward", targets.length, len);
    }

    void rmsNorm(Tensor x, Tensor w, float eps, Tensor y, Tensor rstd) {
        OpChecks.norm("rmsNorm", x, w, rstd);
        Checks.sameShape("rmsNorm (x, y)", x, y);
        int len = x.dim(-1);
        d.args().begin().ptr(ptr(x)).ptr(ptr(w)).f32(eps).ptr(ptr(y)).ptr(ptr(rstd)).i32(len);
        d.launchRows("clp_rms_norm", x.rows(), len);
    }

    void rmsNormBackward(Tensor x, Tensor w, Tensor rstd, Tensor gy, Tensor gx, Tensor gw) {
        OpChecks.norm("rmsNormBackward", x, w, rstd);
        Checks.sameShape("rmsNormBackward (x, gy)", x, gy);
        Checks.sameShape("rmsNormBackward (x, gx)", x, gx);
        Checks.sameNumel("rmsNormBackward (w, gw)", w, gw);
        int len = x.dim(-1), rows = x.rows();
        d.args().begin().ptr(ptr(x)).ptr(ptr(w)).ptr(ptr(rstd)).ptr(ptr(gy)).ptr(ptr(gx)).i32(len);
        d.launchRows("clp_rms_norm_backward_x", rows, len);
        if (rows == 0 || len == 0) return;
        // gw: 32 columns per block, rows split into chunks so that the grid fills the GPU; one atomic per column and chunk
        int colBlocks = (len + 31) / 32;
        int wantChunks = Math.max(1, d.smCount() * 8 / colBlocks);
        int rowsPerChunk = Math.max(32, (rows + wantChunks - 1) / wantChunks);
        rowsPerChunk = Math.max(rowsPerChunk, (rows + 65534) / 65535);
        int chunks = (rows + rowsPerChunk - 1) / rowsPerChunk;
        d.args().begin().ptr(ptr(x)).ptr(ptr(rstd)).ptr(ptr(gy)).ptr(ptr(gw)).i32(rows).i32(len).i32(rowsPerChunk);
        d.launch("clp_rms_norm_backward_w", colBlocks, chunks, 32, 8);
    }
}
