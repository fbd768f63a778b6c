package clp4j.nativ.cuda;

import clp4j.engine.backend.OpChecks;
import clp4j.engine.backend.AdafactorParams;
import clp4j.engine.backend.AdamWParams;
import clp4j.engine.backend.Checks;
import clp4j.engine.tensor.Tensor;

import static clp4j.nativ.cuda.CudaStorage.ptr;
import static clp4j.nativ.cuda.CudaStorage.ptrOrNull;

/**
 * AdamW and Adafactor updates in place on the device. Adafactor follows the reference
 * (T5X semantics): second moment factored over the last two axes when both exceed 1, update
 * clipped by its RMS, step scaled by the parameter RMS, decoupled weight decay with the plain lr.
 * Whole-tensor sums (RMS of p and of the update) go to a small device scratch, never to the host.
 */
final class CudaOptim {
    private final KernelQueue d;

    CudaOptim(KernelQueue d) { this.d = d; }

    void adamw(Tensor p, Tensor g, Tensor m, Tensor v, AdamWParams a) {
        Checks.sameNumel("adamwUpdate (p, g)", p, g);
        Checks.sameNumel("adamwUpdate (p, m)", p, m);
        Checks.sameNumel("adamwUpdate (p, v)", p, v);
        Checks.require(a.step() >= 1, "adamwUpdate: step must be >= 1 (1-based, for bias correction), got " + a.step());
        float bc1 = (float) (1 - Math.pow(a.beta1(), a.step())), bc2 = (float) (1 - Math.pow(a.beta2(), a.step()));
        d.args().begin().ptr(ptr(p)).ptr(ptr(g)).ptr(ptr(m)).ptr(ptr(v)).f32(a.learningRate()).f32(a.beta1()).f32(a.beta2())
                .f32(a.epsilon()).f32(a.weightDecay()).f32(bc1).f32(bc2).i64(p.numel());
        d.launchElements("clp_adamw", p.numel());
    }

    void adafactor(Tensor p, Tensor g, Tensor vRow, Tensor vCol, Tensor v, AdafactorParams a) {
        Checks.sameShape("adafactorUpdate (p, g)", p, g);
        int[] ps = p.shape();
        long n = p.numel();
        int rowsR = 1, cols = 1;
        long nMat = 0;
        if (v == null) {
            Checks.require(vRow != null && vCol != null, "adafactorUpdate: give either v, or both vRow and vCol");
            OpChecks.factoredMoments(p, vRow, vCol);
            rowsR = ps[ps.length - 2];
            cols = ps[ps.length - 1];
            nMat = (long) rowsR * cols == 0 ? 0 : n / ((long) rowsR * cols);
        } else {
            Checks.require(vRow == null && vCol == null, "adafactorUpdate: give either v, or both vRow and vCol, not both");
            Checks.sameShape("adafactorUpdate (p, v)", p, v);
        }
        if (n == 0) return;
        // scratch: [0] sum p^2, [1] sum y^2, then one row-mean of vRow per matrix
        DeviceAllocator.Block scratch = d.allocator().allocate((2 + nMat) * Float.BYTES);
        try {
            long s = scratch.ptr(), rowMean = nMat > 0 ? s + 2L * Float.BYTES : 0;
            d.memset32(s, 0, 2);
            if (a.scaleParameter()) {
                d.args().begin().ptr(ptr(p)).i64(n).ptr(s);
                d.launchElements("clp_sumsq", n);
            }
            float decay = a.decay(), eps1 = a.epsilon1();
            if (v == null) {
                d.args().begin().ptr(ptr(g)).ptr(ptr(vRow)).i32(cols).f32(decay).f32(eps1);
                d.launchRows("clp_adafactor_row", nMat * rowsR, cols);
                d.args().begin().ptr(ptr(g)).ptr(ptr(vCol)).i64(nMat).i32(rowsR).i32(cols).f32(decay).f32(eps1);
                d.launchElements("clp_adafactor_col", nMat * cols);
                d.args().begin().ptr(ptr(vRow)).ptr(rowMean).i32(rowsR);
                d.launchRows("clp_adafactor_row_mean", nMat, rowsR);
            } else {
                d.args().begin().ptr(ptr(g)).ptr(ptr(v)).i64(n).f32(decay).f32(eps1);
                d.launchElements("clp_adafactor_v", n);
            }
            if (a.clipThreshold() > 0) {
                d.args().begin().ptr(ptr(g)).ptr(ptrOrNull(vRow)).ptr(ptrOrNull(vCol)).ptr(rowMean).ptr(ptrOrNull(v))
                        .i32(rowsR).i32(cols).i64(n).ptr(s);
                d.launchElements("clp_adafactor_ysq", n);
            }
            d.args().begin().ptr(ptr(p)).ptr(ptr(g)).ptr(ptrOrNull(vRow)).ptr(ptrOrNull(vCol)).ptr(rowMean).ptr(ptrOrNull(v))
                    .i32(rowsR).i32(cols).i64(n).ptr(s).f32(a.learningRate()).f32(a.epsilon2()).f32(a.clipThreshold())
                    .i32(a.scaleParameter() ? 1 : 0).f32(a.weightDecay());
            d.launchElements("clp_adafactor_apply", n);
        } finally {
            // stream order keeps the scratch alive for the kernels queued above
            d.allocator().release(scratch);
        }
    }
}
