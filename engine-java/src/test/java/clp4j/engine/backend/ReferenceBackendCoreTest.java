package clp4j.engine.backend;

import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static clp4j.engine.backend.TestTensors.assertClose;
import static clp4j.engine.backend.TestTensors.assertUntouchedAround;
import static clp4j.engine.backend.TestTensors.atOffset;
import static clp4j.engine.backend.TestTensors.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ReferenceBackend memory, GEMM and elementwise ops against hand-computed values and double formulas. */
class ReferenceBackendCoreTest {
    private final ReferenceBackend be = new ReferenceBackend();
    private final Random rnd = new Random(5);

    @Test
    void memoryOpsHonourOffsets() {
        Tensor t = atOffset(be, new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        assertTrue(t.offset() > 0);
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, t.toArray());
        be.copyFromHost(new float[]{9, 9, 7, 8, 9, 10, 11, 12}, 2, t);
        assertArrayEquals(new float[]{7, 8, 9, 10, 11, 12}, t.toArray());
        Tensor dst = atOffset(be, new float[6], 6);
        be.copy(t, dst);
        assertArrayEquals(t.toArray(), dst.toArray());
        be.fill(dst, -2f);
        assertArrayEquals(new float[]{-2, -2, -2, -2, -2, -2}, dst.toArray());
        assertUntouchedAround(t);
        assertUntouchedAround(dst);
        assertArrayEquals(new float[4], be.zeros(2, 2).toArray());
        assertThrows(IllegalArgumentException.class, () -> be.fromArray(new float[5], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> be.copy(t, be.zeros(5)));
        assertThrows(IllegalArgumentException.class, () -> be.copyToHost(t, new float[5]));
    }

    @Test
    void gemmHandComputed() {
        Tensor a = be.fromArray(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);      // [[1,2,3],[4,5,6]]
        Tensor b = be.fromArray(new float[]{7, 8, 9, 10, 11, 12}, 3, 2);   // [[7,8],[9,10],[11,12]]
        Tensor c = be.fromArray(new float[]{1, 1, 1, 1}, 2, 2);
        be.matmul(a, false, b, false, c, 1f, 0f);
        assertArrayEquals(new float[]{58, 64, 139, 154}, c.toArray());
        be.matmul(a, false, b, false, c, 2f, -1f); // 2 AB - AB
        assertArrayEquals(new float[]{58, 64, 139, 154}, c.toArray());
        Tensor ct = be.zeros(3, 3);
        be.matmul(a, true, a, false, ct, 1f, 0f);  // A^T A
        assertArrayEquals(new float[]{17, 22, 27, 22, 29, 36, 27, 36, 45}, ct.toArray());
    }

    /** C = alpha op(A) op(B) + beta C computed in the test from the definition. */
    private static double[] gemmExpected(boolean ta, boolean tb, int batch, int m, int n, int k, float alpha,
                                         float[] a, float[] b, boolean bShared, float beta, float[] c) {
        double[] out = new double[batch * m * n];
        for (int bi = 0; bi < batch; bi++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        double av = ta ? a[bi * m * k + p * m + i] : a[bi * m * k + i * k + p];
                        int bb = bShared ? 0 : bi * k * n;
                        double bv = tb ? b[bb + j * k + p] : b[bb + p * n + j];
                        s += av * bv;
                    }
                    out[bi * m * n + i * n + j] = alpha * s + beta * c[bi * m * n + i * n + j];
                }
            }
        }
        return out;
    }

    @Test
    void matmulAllTransposesAwkwardSizesOffsetsAndSharedB() {
        int[][] sizes = {{1, 1, 1, 1}, {2, 3, 17, 1}, {3, 1, 3, 17}, {1, 17, 1, 3}, {2, 5, 7, 33}};
        for (int[] s : sizes) {
            int batch = s[0], m = s[1], n = s[2], k = s[3];
            for (boolean shared : new boolean[]{false, true}) {
                for (boolean ta : new boolean[]{false, true}) {
                    for (boolean tb : new boolean[]{false, true}) {
                        float[] a = uniform(rnd, batch * m * k), b = uniform(rnd, (shared ? 1 : batch) * k * n);
                        float[] c = uniform(rnd, batch * m * n);
                        Tensor at = atOffset(be, a, batch, ta ? k : m, ta ? m : k);
                        Tensor bt = shared ? atOffset(be, b, tb ? n : k, tb ? k : n)
                                : atOffset(be, b, batch, tb ? n : k, tb ? k : n);
                        Tensor ct = atOffset(be, c, batch, m, n);
                        be.matmul(at, ta, bt, tb, ct, 0.5f, 0.25f);
                        String what = "matmul " + java.util.Arrays.toString(s) + " ta=" + ta + " tb=" + tb + " shared=" + shared;
                        assertClose(what, gemmExpected(ta, tb, batch, m, n, k, 0.5f, a, b, shared, 0.25f, c), ct.toArray(), 1e-6);
                        assertUntouchedAround(ct);
                    }
                }
            }
        }
    }

    @Test
    void gemmBetaZeroDoesNotReadC() {
        Tensor a = be.fromArray(new float[]{1, 2}, 1, 2), b = be.fromArray(new float[]{3, 4}, 2, 1);
        Tensor c = be.fromArray(new float[]{Float.NaN}, 1, 1);
        be.matmul(a, false, b, false, c, 1f, 0f);
        assertEquals(11f, c.item());
    }

    @Test
    void gemmRejectsBadShapesAndOutOfRangeStrides() {
        Tensor a = be.zeros(2, 3), b = be.zeros(4, 2), c = be.zeros(2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> be.matmul(a, false, b, false, c, 1, 0));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> be.gemm(false, false, 2, 2, 2, 3, 1f, a, 0, 3, 6, be.zeros(3, 2), 0, 2, 0, 0f, be.zeros(2, 2), 0, 2, 4));
    }

    @Test
    void binaryWithBroadcastingHandComputed() {
        Tensor a = be.fromArray(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor out = be.zeros(2, 3);
        be.binary(BinaryOp.ADD, a, be.fromArray(new float[]{10, 20, 30}, 3), out);
        assertArrayEquals(new float[]{11, 22, 33, 14, 25, 36}, out.toArray());
        be.binary(BinaryOp.SUB, a, be.fromArray(new float[]{1, 4}, 2, 1), out);
        assertArrayEquals(new float[]{0, 1, 2, 0, 1, 2}, out.toArray());
        be.binary(BinaryOp.MUL, a, be.fromArray(new float[]{2}, 1), out);
        assertArrayEquals(new float[]{2, 4, 6, 8, 10, 12}, out.toArray());
        be.binary(BinaryOp.DIV, a, be.fromArray(new float[]{1, 2, 4, 8, 16, 32}, 2, 3), out);
        assertArrayEquals(new float[]{1, 1, 0.75f, 0.5f, 5f / 16, 6f / 32}, out.toArray());
        be.binary(BinaryOp.ADD, a, be.fromArray(new float[]{1}, 1, 1), a); // out aliases a
        assertArrayEquals(new float[]{2, 3, 4, 5, 6, 7}, a.toArray());
        assertThrows(IllegalArgumentException.class, () -> be.binary(BinaryOp.ADD, a, be.zeros(2), be.zeros(2, 3)));
        assertThrows(IllegalArgumentException.class, () -> be.binary(BinaryOp.ADD, a, be.zeros(1, 2, 3), be.zeros(2, 3)));
    }

    @Test
    void binaryBroadcastRandomWithOffsets() {
        int[] aShape = {3, 1, 17, 5};
        int[][] bShapes = {{5}, {17, 1}, {1, 1, 5}, {3, 1, 1, 5}, {1}, {3, 1, 17, 5}};
        for (int[] bShape : bShapes) {
            float[] a = uniform(rnd, 3 * 17 * 5);
            float[] b = uniform(rnd, (int) Tensor.numel(bShape), 0.5f, 2f);
            for (BinaryOp op : BinaryOp.values()) {
                Tensor out = atOffset(be, new float[a.length], aShape);
                be.binary(op, atOffset(be, a, aShape), atOffset(be, b, bShape), out);
                double[] want = new double[a.length];
                for (int i = 0; i < 3; i++) for (int j = 0; j < 17; j++) for (int l = 0; l < 5; l++) {
                    int ai = (i * 17 + j) * 5 + l;
                    double x = a[ai], y = b[bIndex(bShape, i, j, l)];
                    want[ai] = switch (op) { case ADD -> x + y; case SUB -> x - y; case MUL -> x * y; case DIV -> x / y; };
                }
                assertClose(op + " with b" + java.util.Arrays.toString(bShape), want, out.toArray(), 1e-7);
                assertUntouchedAround(out);
            }
        }
    }

    /** b's element for a's (i, 0, j, l) in [3, 1, 17, 5], for the shapes used above. */
    private static int bIndex(int[] s, int i, int j, int l) {
        return switch (s.length) {
            case 1 -> s[0] == 1 ? 0 : l;
            case 2 -> j;
            case 3 -> l;
            default -> s[2] == 1 ? i * 5 + l : (i * 17 + j) * 5 + l;
        };
    }

    @Test
    void scaleAndAxpy() {
        Tensor a = atOffset(be, new float[]{1, -2, 3}, 3);
        Tensor out = be.zeros(3);
        be.scale(a, -0.5f, out);
        assertArrayEquals(new float[]{-0.5f, 1f, -1.5f}, out.toArray());
        be.axpy(2f, a, out);
        assertArrayEquals(new float[]{1.5f, -3f, 4.5f}, out.toArray());
        assertThrows(IllegalArgumentException.class, () -> be.axpy(1f, a, be.zeros(4)));
    }

    @Test
    void unaryForwardAndBackward() {
        float[] x = {-3f, -1f, -0.25f, 0.5f, 1f, 2.5f};
        float[] pos = {0.1f, 0.5f, 1f, 2f, 3f, 10f};
        double c = Math.sqrt(2 / Math.PI);
        for (UnaryOp op : UnaryOp.values()) {
            float[] in = op == UnaryOp.LOG ? pos : x;
            Tensor xt = atOffset(be, in, in.length);
            Tensor y = be.zeros(in.length);
            be.unary(op, xt, y);
            float[] gy = uniform(rnd, in.length);
            Tensor gx = atOffset(be, new float[in.length], in.length);
            be.unaryBackward(op, xt, y, be.fromArray(gy, in.length), gx);
            double[] wantY = new double[in.length], wantG = new double[in.length];
            for (int i = 0; i < in.length; i++) {
                double v = in[i];
                double t = Math.tanh(c * (v + 0.044715 * v * v * v));
                wantY[i] = switch (op) {
                    case EXP -> Math.exp(v); case LOG -> Math.log(v); case TANH -> Math.tanh(v);
                    case RELU -> Math.max(0, v); case GELU_NEW -> 0.5 * v * (1 + t);
                };
                double d = switch (op) {
                    case EXP -> Math.exp(v); case LOG -> 1 / v; case TANH -> 1 - Math.tanh(v) * Math.tanh(v);
                    case RELU -> v > 0 ? 1 : 0;
                    case GELU_NEW -> 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * c * (1 + 3 * 0.044715 * v * v);
                };
                wantG[i] = gy[i] * d;
            }
            assertClose(op + " forward", wantY, y.toArray(), 1e-6);
            assertClose(op + " backward", wantG, gx.toArray(), 1e-5);
            assertUntouchedAround(gx);
        }
        // HF gelu_new at 1 (torch: 0.8411920070648193)
        Tensor one = be.fromArray(new float[]{1f}, 1);
        be.unary(UnaryOp.GELU_NEW, one, one);
        assertEquals(0.841192f, one.item(), 1e-6f);
    }

    @Test
    void sumToShapeReducesBroadcastAxes() {
        Tensor g = be.fromArray(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor col = be.zeros(2, 1), row = be.zeros(3), one = be.zeros(1), same = be.zeros(2, 3);
        be.sumToShape(g, col);
        be.sumToShape(g, row);
        be.sumToShape(g, one);
        be.sumToShape(g, same);
        assertArrayEquals(new float[]{6, 15}, col.toArray());
        assertArrayEquals(new float[]{5, 7, 9}, row.toArray());
        assertArrayEquals(new float[]{21}, one.toArray());
        assertArrayEquals(g.toArray(), same.toArray());
        assertThrows(IllegalArgumentException.class, () -> be.sumToShape(g, be.zeros(2)));
    }
}
