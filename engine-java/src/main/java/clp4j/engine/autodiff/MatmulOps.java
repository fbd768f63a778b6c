package clp4j.engine.autodiff;

import clp4j.engine.backend.Backend;
import clp4j.engine.backend.MatmulShapes;
import clp4j.engine.tensor.Tensor;

import java.util.Arrays;

/** matmul and linear with their backward, written as GEMMs that accumulate (beta = 1) into gradient buffers. */
final class MatmulOps {
    private MatmulOps() { }

    static Tensor matmul(Tensor a, boolean tA, Tensor b, boolean tB) {
        if (a.rank() < 2 || b.rank() < 2) {
            throw new IllegalArgumentException("matmul needs operands of rank >= 2, got a" + Arrays.toString(a.shape())
                    + " and b" + Arrays.toString(b.shape()));
        }
        Backend be = a.backend();
        int[] cs = a.shape();
        cs[cs.length - 2] = tA ? a.dim(-1) : a.dim(-2);
        cs[cs.length - 1] = tB ? b.dim(-2) : b.dim(-1);
        Tensor c = be.empty(cs);
        be.matmul(a, tA, b, tB, c, 1f, 0f);
        MatmulShapes s = MatmulShapes.of(a, tA, b, tB, c);
        return Graph.record(c, "matmul", new Tensor[]{a, b}, g -> backward(a, tA, b, tB, s, g));
    }

    private static void backward(Tensor a, boolean tA, Tensor b, boolean tB, MatmulShapes s, Tensor g) {
        Backend be = g.backend();
        int batch = s.batch(), m = s.m(), n = s.n(), k = s.k();
        long sA = (long) m * k, sC = (long) m * n, sB = s.bShared() ? 0 : (long) k * n;
        int ldb = tB ? k : n;
        if (Graph.needs(a)) {
            Tensor ga = Graph.slot(a);
            if (!tA) { // dA = dC op(B)^T
                be.gemm(false, !tB, batch, m, k, n, 1f, g, 0, n, sC, b, 0, ldb, sB, 1f, ga, 0, k, sA);
            } else {   // dA (stored K x M) = op(B) dC^T
                be.gemm(tB, true, batch, k, m, n, 1f, b, 0, ldb, sB, g, 0, n, sC, 1f, ga, 0, m, sA);
            }
        }
        if (Graph.needs(b)) {
            Tensor gb = Graph.slot(b);
            if (!s.bShared()) {
                gradB(be, tA, tB, batch, m, n, k, a, 0, sA, g, 0, sC, gb, sB);
            } else if (!tA) {
                // B is shared: the batch of A rows is one tall matrix, so one GEMM sums over it
                gradB(be, false, tB, 1, batch * m, n, k, a, 0, 0, g, 0, 0, gb, 0);
            } else {
                for (int i = 0; i < batch; i++) gradB(be, true, tB, 1, m, n, k, a, i * sA, 0, g, i * sC, 0, gb, 0);
            }
        }
    }

    /** gB += op(A)^T dC, or its transpose when B is stored transposed. */
    private static void gradB(Backend be, boolean tA, boolean tB, int batch, int m, int n, int k,
                              Tensor a, long aOff, long sA, Tensor g, long gOff, long sC, Tensor gb, long sB) {
        int lda = tA ? m : k;
        if (!tB) { // dB (K x N) = op(A)^T dC
            be.gemm(!tA, false, batch, k, n, m, 1f, a, aOff, lda, sA, g, gOff, n, sC, 1f, gb, 0, n, sB);
        } else {   // dB (N x K) = dC^T op(A)
            be.gemm(true, tA, batch, n, k, m, 1f, g, gOff, n, sC, a, aOff, lda, sA, 1f, gb, 0, k, sB);
        }
    }

    static Tensor linear(Tensor x, Tensor w) {
        if (w.rank() != 2 || x.rank() < 1 || x.dim(-1) != w.dim(1)) {
            throw new IllegalArgumentException("linear: x" + Arrays.toString(x.shape()) + " does not fit weight"
                    + Arrays.toString(w.shape()) + " (expected x [..., in] and weight [out, in])");
        }
        Backend be = x.backend();
        int in = w.dim(1), out = w.dim(0), rows = x.rows();
        int[] ys = x.shape();
        ys[ys.length - 1] = out;
        Tensor y = be.empty(ys);
        be.gemm(false, true, 1, rows, out, in, 1f, x, 0, in, 0, w, 0, in, 0, 0f, y, 0, out, 0);
        return Graph.record(y, "linear", new Tensor[]{x, w}, g -> {
            if (Graph.needs(x)) { // dx = g W
                be.gemm(false, false, 1, rows, in, out, 1f, g, 0, out, 0, w, 0, in, 0, 1f, Graph.slot(x), 0, in, 0);
            }
            if (Graph.needs(w)) { // dW = g^T x
                be.gemm(true, false, 1, out, in, rows, 1f, g, 0, out, 0, x, 0, in, 0, 1f, Graph.slot(w), 0, in, 0);
            }
        });
    }
}
