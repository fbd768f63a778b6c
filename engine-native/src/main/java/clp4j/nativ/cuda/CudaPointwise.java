package clp4j.nativ.cuda;

import clp4j.engine.backend.BinaryOp;
import clp4j.engine.backend.Broadcast;
import clp4j.engine.backend.Checks;
import clp4j.engine.backend.UnaryOp;
import clp4j.engine.tensor.Tensor;

import static clp4j.nativ.cuda.CudaStorage.ptr;

/** Elementwise ops, broadcast and its backward (sumToShape), and dropout, as kernel launches. */
final class CudaPointwise {
    private final KernelQueue d;

    CudaPointwise(KernelQueue d) { this.d = d; }

    void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        Checks.sameShape("binary " + op + " (a, out)", a, out);
        long[] strides = Broadcast.strides(a.shape(), b.shape(), "binary " + op);
        long n = a.numel();
        int mode = b.numel() == n ? 0 : b.numel() == 1 ? 1 : 2;
        long[][] bd = mode == 2 ? DimsCollapse.collapse(DimsCollapse.toLong(a.shape()), strides) : new long[][] {{}, {}};
        d.args().begin().i32(op.ordinal()).ptr(ptr(a)).ptr(ptr(b)).ptr(ptr(out)).i64(n).i32(mode).dims(bd[0], bd[1]);
        d.launchElements("clp_binary", n);
    }

    void scale(Tensor a, float s, Tensor out) {
        Checks.sameNumel("scale", a, out);
        d.args().begin().ptr(ptr(a)).f32(s).ptr(ptr(out)).i64(a.numel());
        d.launchElements("clp_scale", a.numel());
    }

    void axpy(float alpha, Tensor x, Tensor y) {
        Checks.sameNumel("axpy", x, y);
        d.args().begin().f32(alpha).ptr(ptr(x)).ptr(ptr(y)).i64(x.numel());
        d.launchElements("clp_axpy", x.numel());
    }

    void unary(UnaryOp op, Tensor x, Tensor out) {
        Checks.sameNumel("unary " + op, x, out);
        d.args().begin().i32(op.ordinal()).ptr(ptr(x)).ptr(ptr(out)).i64(x.numel());
        d.launchElements("clp_unary", x.numel());
    }

    void unaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor gy, Tensor gx) {
        Checks.sameNumel("unaryBackward " + op + " (x, y)", x, y);
        Checks.sameNumel("unaryBackward " + op + " (x, gy)", x, gy);
        Checks.sameNumel("unaryBackward " + op + " (x, gx)", x, gx);
        d.args().begin().i32(op.ordinal()).ptr(ptr(x)).ptr(ptr(y)).ptr(ptr(gy)).ptr(ptr(gx)).i64(x.numel());
        d.launchElements("clp_unary_backward", x.numel());
    }

    /** Splits g's axes into those out keeps and those it sums over, each as a collapsed walk over g. */
    void sumToShape(Tensor g, Tensor out) {
        int[] gs = g.shape();
        long[] outStrides = Broadcast.strides(gs, out.shape(), "sumToShape");
        long[] gStrides = DimsCollapse.contiguousStrides(gs);
        int kept = 0, reduced = 0;
        for (int i = 0; i < gs.length; i++) if (gs[i] != 1) { if (outStrides[i] != 0) kept++; else reduced++; }
        long[] kd = new long[kept], ks = new long[kept], rd = new long[reduced], rs = new long[reduced];
        long nRed = 1;
        for (int i = 0, ki = 0, ri = 0; i < gs.length; i++) {
            if (gs[i] == 1) continue;
            if (outStrides[i] != 0) { kd[ki] = gs[i]; ks[ki++] = gStrides[i]; }
            else { rd[ri] = gs[i]; rs[ri++] = gStrides[i]; nRed *= gs[i]; }
        }
        long nOut = out.numel();
        if (g.numel() == 0) {
            d.memset32(ptr(out), 0, nOut);
            return;
        }
        long[][] keep = DimsCollapse.collapse(kd, ks), red = DimsCollapse.collapse(rd, rs);
        if (nOut * 64 < nRed && nOut <= Integer.MAX_VALUE) {
            d.args().begin().ptr(ptr(g)).ptr(ptr(out)).dims(keep[0], keep[1]).dims(red[0], red[1]).i64(nRed);
            d.launch("clp_sum_to_shape_block", (int) nOut, 1, CudaDevice.THREADS, 1);
        } else {
            // split the reduced range into chunks until about 2048 threads per SM are busy
            long want = (long) d.smCount() * 2048;
            int chunks = (int) Math.max(1, Math.min(Math.min(65535, (nRed + 63) / 64), (want + nOut - 1) / nOut));
            long perChunk = (nRed + chunks - 1) / chunks;
            if (chunks > 1) d.memset32(ptr(out), 0, nOut);
            d.args().begin().ptr(ptr(g)).ptr(ptr(out)).i64(nOut).dims(keep[0], keep[1]).dims(red[0], red[1]).i64(nRed)
                    .i64(perChunk);
            d.launchChunks("clp_sum_to_shape", nOut, chunks);
        }
    }

    void dropout(Tensor x, float p, long seed, Tensor out) {
        Checks.sameNumel("dropout", x, out);
        Checks.require(p >= 0 && p <= 1, "dropout: probability p must be in [0, 1], got " + p);
        d.args().begin().ptr(ptr(x)).f32(p).i64(seed).ptr(ptr(out)).i64(x.numel());
        d.launchElements("clp_dropout", x.numel());
    }
}
