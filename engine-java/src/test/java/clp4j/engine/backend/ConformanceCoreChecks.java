package clp4j.engine.backend;

import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conformance of memory, GEMM and elementwise ops (part of {@link BackendConformanceSuite}). */
public abstract class ConformanceCoreChecks extends ConformanceSupport {

    private static final int[] SIZES = {1, 3, 17, 1000};

    @Test
    public void memoryRoundTrips() {
        for (int n : SIZES) {
            float[] d = TestTensors.uniform(rnd, 2 * n);
            Pair p = pair(d, 2, n);
            assertArrayEquals(d, p.t().toArray(), "fromArray/toArray n=" + n);
            Tensor z = be.zeros(3, n);
            assertArrayEquals(new float[3 * n], z.toArray(), "zeros");
            Pair dst = outPair(2 * n);
            be.copy(p.t(), dst.t());
            ref.copy(p.r(), dst.r());
            assertSame("copy n=" + n, dst);
            be.fill(dst.t(), 0.5f);
            ref.fill(dst.r(), 0.5f);
            assertSame("fill n=" + n, dst);
            float[] host = TestTensors.uniform(rnd, 2 * n + 5);
            be.copyFromHost(host, 5, dst.t());
            assertArrayEquals(Arrays.copyOfRange(host, 5, 5 + 2 * n), dst.t().toArray(), "copyFromHost from position 5");
            float[] back = new float[2 * n + 1];
            be.copyToHost(p.t(), back);
            assertArrayEquals(d, Arrays.copyOf(back, 2 * n), "copyToHost");
            z.close();
            assertTrue(z.isReleased());
            Tensor e = be.empty(2, n);
            assertArrayEquals(new int[] {2, n}, e.shape(), "empty's shape");
            be.copyFromHost(d, 0, e);
            assertArrayEquals(d, e.toArray(), "empty, then written");
            e.close();
            // the memory of a released, written tensor may be handed out again: zeros stays zeros
            assertArrayEquals(new float[2 * n], be.zeros(2, n).toArray(), "zeros after a written tensor of its size was released");
        }
    }

    private void gemmCase(boolean ta, boolean tb, int batch, int m, int n, int k, float alpha, float beta,
                          boolean bShared, int pad) {
        // A, B, C stored with leading dimensions padded by `pad` and batches spaced by one extra row
        int lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
        int aRows = ta ? k : m, bRows = tb ? n : k;
        long sA = (long) (aRows + 1) * lda, sB = bShared ? 0 : (long) (bRows + 1) * ldb, sC = (long) (m + 1) * ldc;
        Pair a = uniformPair((int) (batch * sA + 3));
        Pair b = uniformPair((int) ((bShared ? 1 : batch) * Math.max(sB, (long) (bRows + 1) * ldb) + 3));
        Pair c = beta == 0 ? outPair((int) (batch * sC + 3)) : uniformPair((int) (batch * sC + 3));
        be.gemm(ta, tb, batch, m, n, k, alpha, a.t(), 1, lda, sA, b.t(), 2, ldb, sB, beta, c.t(), 3, ldc, sC);
        ref.gemm(ta, tb, batch, m, n, k, alpha, a.r(), 1, lda, sA, b.r(), 2, ldb, sB, beta, c.r(), 3, ldc, sC);
        assertSame("gemm ta=" + ta + " tb=" + tb + " batch=" + batch + " m=" + m + " n=" + n + " k=" + k
                + " alpha=" + alpha + " beta=" + beta + " shared=" + bShared + " pad=" + pad, c);
    }

    @Test
    public void gemmAllTransposesStridesAndScalars() {
        int[][] mnk = {{1, 1, 1}, {3, 17, 1}, {17, 1, 3}, {3, 5, 1000}, {33, 65, 130}};
        for (int[] s : mnk) {
            for (boolean ta : new boolean[]{false, true}) {
                for (boolean tb : new boolean[]{false, true}) {
                    gemmCase(ta, tb, 1, s[0], s[1], s[2], 1f, 0f, false, 0);
                    gemmCase(ta, tb, 3, s[0], s[1], s[2], 0.5f, 0.25f, false, 1);
                    gemmCase(ta, tb, 2, s[0], s[1], s[2], -1f, 1f, true, 2);
                }
            }
        }
    }

    @Test
    public void matmulBatchedAndShared() {
        for (boolean ta : new boolean[]{false, true}) {
            for (boolean tb : new boolean[]{false, true}) {
                int m = 7, n = 9, k = 17;
                Pair a = uniformPair(2, 3, ta ? k : m, ta ? m : k);
                Pair b = uniformPair(2, 3, tb ? n : k, tb ? k : n);
                Pair bs = uniformPair(tb ? n : k, tb ? k : n);
                Pair c = outPair(2, 3, m, n), cs = outPair(2, 3, m, n);
                be.matmul(a.t(), ta, b.t(), tb, c.t(), 1f, 0f);
                ref.matmul(a.r(), ta, b.r(), tb, c.r(), 1f, 0f);
                be.matmul(a.t(), ta, bs.t(), tb, cs.t(), 1f, 0f);
                ref.matmul(a.r(), ta, bs.r(), tb, cs.r(), 1f, 0f);
                assertSame("matmul batched ta=" + ta + " tb=" + tb, c);
                assertSame("matmul shared b ta=" + ta + " tb=" + tb, cs);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> be.matmul(be.zeros(2, 3), false, be.zeros(4, 2), false, be.zeros(2, 2), 1, 0));
    }

    @Test
    public void binaryWithBroadcasting() {
        int[] aShape = {3, 2, 17, 5};
        int[][] bShapes = {{3, 2, 17, 5}, {5}, {17, 1}, {2, 1, 5}, {3, 1, 1, 1}, {1}, {3, 2, 17, 1}};
        for (int[] bShape : bShapes) {
            for (BinaryOp op : BinaryOp.values()) {
                Pair a = uniformPair(aShape);
                Pair b = op == BinaryOp.DIV ? uniformPair(0.5f, 2f, bShape) : uniformPair(bShape);
                Pair out = outPair(aShape);
                be.binary(op, a.t(), b.t(), out.t());
                ref.binary(op, a.r(), b.r(), out.r());
                assertSame(op + " b" + Arrays.toString(bShape), out);
                be.binary(op, a.t(), b.t(), a.t()); // out aliases a
                ref.binary(op, a.r(), b.r(), a.r());
                assertSame(op + " in place b" + Arrays.toString(bShape), a);
            }
        }
        Pair big = uniformPair(37, 1000), row = uniformPair(1000);
        Pair out = outPair(37, 1000);
        be.binary(BinaryOp.MUL, big.t(), row.t(), out.t());
        ref.binary(BinaryOp.MUL, big.r(), row.r(), out.r());
        assertSame("MUL [37, 1000] by [1000]", out);
        assertThrows(IllegalArgumentException.class, () -> be.binary(BinaryOp.ADD, be.zeros(2, 3), be.zeros(2), be.zeros(2, 3)));
    }

    @Test
    public void scaleAxpyAndUnary() {
        for (int n : SIZES) {
            Pair x = uniformPair(-3f, 3f, 2, n), out = outPair(2, n);
            be.scale(x.t(), -1.5f, out.t());
            ref.scale(x.r(), -1.5f, out.r());
            assertSame("scale n=" + n, out);
            Pair y = uniformPair(2, n);
            be.axpy(0.75f, x.t(), y.t());
            ref.axpy(0.75f, x.r(), y.r());
            assertSame("axpy n=" + n, y);
            for (UnaryOp op : UnaryOp.values()) {
                Pair in = op == UnaryOp.LOG ? uniformPair(0.01f, 5f, 2, n) : uniformPair(-4f, 4f, 2, n);
                Pair fy = outPair(2, n), gy = uniformPair(2, n), gx = outPair(2, n);
                be.unary(op, in.t(), fy.t());
                ref.unary(op, in.r(), fy.r());
                assertSame(op + " n=" + n, fy);
                be.unaryBackward(op, in.t(), fy.t(), gy.t(), gx.t());
                ref.unaryBackward(op, in.r(), fy.r(), gy.r(), gx.r());
                assertSame(op + " backward n=" + n, gx);
                be.unary(op, in.t(), in.t()); // out aliases x
                ref.unary(op, in.r(), in.r());
                assertSame(op + " in place n=" + n, in);
            }
        }
    }

    @Test
    public void sumToShapeOverBroadcastAxes() {
        int[] gShape = {3, 2, 17, 5};
        int[][] outShapes = {{3, 2, 17, 5}, {5}, {17, 1}, {2, 1, 5}, {3, 1, 1, 1}, {1}, {3, 2, 17, 1}};
        for (int[] os : outShapes) {
            Pair g = uniformPair(gShape), out = outPair(os);
            be.sumToShape(g.t(), out.t());
            ref.sumToShape(g.r(), out.r());
            assertSame("sumToShape to " + Arrays.toString(os), out);
        }
        Pair g = uniformPair(64, 1000), out = outPair(1000);
        be.sumToShape(g.t(), out.t());
        ref.sumToShape(g.r(), out.r());
        assertSame("sumToShape [64, 1000] to [1000]", out);
    }

    @Test
    public void dropoutDrawsTheSameMask() {
        for (int n : new int[]{1, 3, 17, 1000, 100_003}) {
            for (float p : new float[]{0f, 0.1f, 0.5f}) {
                Pair x = uniformPair(0.5f, 1.5f, n), out = outPair(n);
                be.dropout(x.t(), p, 1234L + n, out.t());
                ref.dropout(x.r(), p, 1234L + n, out.r());
                assertSame("dropout n=" + n + " p=" + p, out);
                float[] rv = out.r().toArray(), tv = out.t().toArray();
                for (int i = 0; i < n; i++) {
                    assertEquals(rv[i] == 0f, tv[i] == 0f, "dropout mask differs at element " + i + " of " + n + " (p=" + p + ")");
                }
            }
        }
    }

    @Test
    public void mixAndMixBackward() {
        for (int n : new int[]{1, 3, 17, 1000, 40_001}) {
            for (int m = 1; m <= 3; m++) {
                Pair[] xs = new Pair[m];
                float[] w = TestTensors.uniform(rnd, m, 0f, 1f);
                for (int i = 0; i < m; i++) xs[i] = uniformPair(n);
                Pair refTensor = uniformPair(n), out = outPair(n), outNoRef = outPair(n);
                be.mix(tests(xs), w, 0.3f, refTensor.t(), out.t());
                ref.mix(refs(xs), w, 0.3f, refTensor.r(), out.r());
                assertSame("mix n=" + n + " m=" + m, out);
                be.mix(tests(xs), w, 0f, null, outNoRef.t());
                ref.mix(refs(xs), w, 0f, null, outNoRef.r());
                assertSame("mix without ref n=" + n + " m=" + m, outNoRef);
                Pair g = uniformPair(n);
                Pair[] gxs = new Pair[m];
                for (int i = 0; i < m; i++) gxs[i] = uniformPair(n); // accumulates into existing values
                be.mixBackward(g.t(), w, 0.3f, tests(gxs));
                ref.mixBackward(g.r(), w, 0.3f, refs(gxs));
                for (int i = 0; i < m; i++) assertSame("mixBackward replica " + i + " n=" + n + " m=" + m, gxs[i]);
            }
        }
    }
}
