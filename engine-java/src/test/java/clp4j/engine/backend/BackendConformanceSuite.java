package clp4j.engine.backend;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Runs every {@link Backend} op, forward and backward, including the optimizer updates, on random
 * inputs of awkward sizes on {@link #backendUnderTest()} and compares with {@link ReferenceBackend}.
 * A subclass supplies only the backend (and optionally {@link #tolerance()}):
 *
 * <pre>{@code
 * class VectorBackendConformanceTest extends BackendConformanceSuite {
 *     protected Backend backendUnderTest() { return Backends.get("vector"); }
 * }
 * }</pre>
 *
 * Memory, GEMM and elementwise checks are inherited from {@link ConformanceCoreChecks}.
 */
public abstract class BackendConformanceSuite extends ConformanceCoreChecks {

    private static final int[] SIZES = {1, 3, 17, 1000};

    @Test
    public void lastAxisReductions() {
        for (int n : SIZES) {
            for (ReduceOp op : ReduceOp.values()) {
                Pair x = uniformPair(5, 3, n), y = outPair(5, 3, 1), gy = uniformPair(5, 3, 1), gx = outPair(5, 3, n);
                be.reduceLast(op, x.t(), y.t());
                ref.reduceLast(op, x.r(), y.r());
                assertSame(op + " n=" + n, y);
                be.reduceLastBackward(op, x.t(), y.t(), gy.t(), gx.t());
                ref.reduceLastBackward(op, x.r(), y.r(), gy.r(), gx.r());
                assertSame(op + " backward n=" + n, gx);
            }
        }
        // ties: MAX's gradient goes to the first maximum
        Pair x = pair(new float[]{1, 5, 5, 2, 7, 7, 7, 7}, 2, 4), y = outPair(2, 1), gx = outPair(2, 4);
        be.reduceLast(ReduceOp.MAX, x.t(), y.t());
        ref.reduceLast(ReduceOp.MAX, x.r(), y.r());
        Pair gy = pair(new float[]{2, 3}, 2, 1);
        be.reduceLastBackward(ReduceOp.MAX, x.t(), y.t(), gy.t(), gx.t());
        ref.reduceLastBackward(ReduceOp.MAX, x.r(), y.r(), gy.r(), gx.r());
        assertSame("MAX backward with ties", gx, 0);
    }

    @Test
    public void maxOfARowWithNaNIsNaNAsInTorch() {
        float nan = Float.NaN;
        // per row of 40 (past a vector's width): NaN late, NaN first, two NaNs, none (max 9 at 30)
        float[] rows = new float[4 * 40];
        for (int i = 0; i < rows.length; i++) rows[i] = (i % 7) - 3f;
        rows[35] = nan;
        rows[40] = nan;
        rows[80 + 20] = nan; rows[80 + 21] = nan;
        rows[120 + 30] = 9f;
        Pair x = pair(rows, 4, 40), y = outPair(4, 1), gx = outPair(4, 40), gy = pair(new float[]{2, 3, 4, 5}, 4, 1);
        be.reduceLast(ReduceOp.MAX, x.t(), y.t());
        ref.reduceLast(ReduceOp.MAX, x.r(), y.r());
        float[] want = {nan, nan, nan, 9f};
        assertArrayEquals(want, y.r().toArray(), "reference MAX");
        assertArrayEquals(want, y.t().toArray(), "MAX over rows with NaN");
        // the gradient goes to the first NaN, as torch's max backward
        be.reduceLastBackward(ReduceOp.MAX, x.t(), y.t(), gy.t(), gx.t());
        ref.reduceLastBackward(ReduceOp.MAX, x.r(), y.r(), gy.r(), gx.r());
        float[] g = new float[4 * 40];
        g[35] = 2; g[40] = 3; g[80 + 20] = 4; g[120 + 30] = 5;
        assertArrayEquals(g, gx.r().toArray(), "reference MAX backward");
        assertArrayEquals(g, gx.t().toArray(), "MAX backward over rows with NaN");
    }

    @Test
    public void argmaxLastTakesTheFirstMaximumOrNaN() {
        for (int n : new int[]{1, 3, 17, 1000, 32128}) {
            Pair x = uniformPair(-8f, 8f, 5, n);
            int[] got = new int[5], want = new int[5];
            be.argmaxLast(x.t(), got);
            ref.argmaxLast(x.r(), want);
            assertArrayEquals(want, got, "argmaxLast n=" + n);
        }
        float nan = Float.NaN, inf = Float.POSITIVE_INFINITY, ninf = Float.NEGATIVE_INFINITY;
        // per row of 20: ties (first wins, also past a vector's width), -0 before 0, all -inf, NaN late and first, +inf
        float[] rows = new float[6 * 20];
        Arrays.fill(rows, -1f);
        rows[3] = 5f; rows[18] = 5f;                     // row 0: 3
        rows[20 + 17] = -0f; rows[20 + 19] = 0f;         // row 1: 17 (the other values are -1)
        Arrays.fill(rows, 40, 60, ninf);                 // row 2: 0
        rows[60 + 2] = 9f; rows[60 + 19] = nan;          // row 3: 19
        rows[80] = nan; rows[80 + 5] = nan;              // row 4: 0
        rows[100 + 7] = inf; rows[100 + 16] = inf;       // row 5: 7
        Pair x = pair(rows, 6, 20);
        int[] got = new int[6], want = new int[6];
        be.argmaxLast(x.t(), got);
        ref.argmaxLast(x.r(), want);
        assertArrayEquals(new int[]{3, 17, 0, 19, 0, 7}, want, "reference argmaxLast");
        assertArrayEquals(want, got, "argmaxLast on ties, signed zeros, -inf, NaN and +inf");
        assertThrows(IllegalArgumentException.class, () -> be.argmaxLast(be.zeros(2, 3), new int[3]));
    }

    /** An additive mask with zeros, -1, the most negative float and -inf, and fully masked rows. */
    private float[] mask(int rows, int n) {
        float[] m = new float[rows * n];
        for (int i = 0; i < m.length; i++) {
            int k = (i * 7 + 3) % 11;
            m[i] = k == 0 ? -Float.MAX_VALUE : k == 1 ? Float.NEGATIVE_INFINITY : k == 2 ? -1f : 0f;
        }
        if (rows > 1) Arrays.fill(m, 0, n, -Float.MAX_VALUE);                   // a row of the most negative float
        if (rows > 2) Arrays.fill(m, n, 2 * n, Float.NEGATIVE_INFINITY);        // a row of -inf
        return m;
    }

    @Test
    public void softmaxAndLogSoftmaxWithMasks() {
        for (int n : SIZES) {
            int b = 3, h = 2, q = 4;
            int[] shape = {b, h, q, n};
            Pair[] masks = {null, pair(mask(b, n), b, 1, 1, n), pair(mask(b * q, n), b, 1, q, n),
                    pair(mask(b * h * q, n), shape)};
            for (Pair m : masks) {
                String what = (m == null ? "no mask" : "mask " + Arrays.toString(m.shape())) + " n=" + n;
                Pair x = uniformPair(-5f, 5f, shape), y = outPair(shape), ly = outPair(shape);
                be.softmax(x.t(), m == null ? null : m.t(), y.t());
                ref.softmax(x.r(), m == null ? null : m.r(), y.r());
                assertSame("softmax " + what, y);
                be.logSoftmax(x.t(), m == null ? null : m.t(), ly.t());
                ref.logSoftmax(x.r(), m == null ? null : m.r(), ly.r());
                assertSame("logSoftmax " + what, ly);
                Pair gy = uniformPair(shape), gx = outPair(shape), lgx = outPair(shape);
                be.softmaxBackward(y.t(), gy.t(), gx.t());
                ref.softmaxBackward(y.r(), gy.r(), gx.r());
                assertSame("softmaxBackward " + what, gx);
                be.logSoftmaxBackward(ly.t(), gy.t(), lgx.t());
                ref.logSoftmaxBackward(ly.r(), gy.r(), lgx.r());
                assertSame("logSoftmaxBackward " + what, lgx);
            }
        }
    }

    @Test
    public void crossEntropyWithIgnoreIndex() {
        for (int v : new int[]{1, 3, 17, 1000, 32128}) {
            int rows = 7;
            int[] targets = new int[rows];
            for (int r = 0; r < rows; r++) targets[r] = r % 3 == 2 ? -100 : rnd.nextInt(v);
            Pair logits = uniformPair(-8f, 8f, rows, v), nll = outPair(rows), gNll = uniformPair(rows), gl = outPair(rows, v);
            be.crossEntropy(logits.t(), targets, -100, nll.t());
            ref.crossEntropy(logits.r(), targets, -100, nll.r());
            assertSame("crossEntropy V=" + v, nll);
            be.crossEntropyBackward(logits.t(), targets, -100, gNll.t(), gl.t());
            ref.crossEntropyBackward(logits.r(), targets, -100, gNll.r(), gl.r());
            assertSame("crossEntropyBackward V=" + v, gl);
        }
        assertThrows(IllegalArgumentException.class,
                () -> be.crossEntropy(be.zeros(2, 3), new int[]{0, 3}, -100, be.zeros(2)));
    }

    @Test
    public void rmsNormForwardAndBackward() {
        for (int n : new int[]{1, 3, 17, 512, 1000}) {
            Pair x = uniformPair(-2f, 2f, 2, 5, n), w = uniformPair(0.5f, 1.5f, n);
            Pair y = outPair(2, 5, n), rstd = outPair(10);
            be.rmsNorm(x.t(), w.t(), 1e-6f, y.t(), rstd.t());
            ref.rmsNorm(x.r(), w.r(), 1e-6f, y.r(), rstd.r());
            assertSame("rmsNorm y n=" + n, y);
            assertSame("rmsNorm rstd n=" + n, rstd);
            Pair gy = uniformPair(2, 5, n), gx = outPair(2, 5, n), gw = uniformPair(n); // gw accumulates
            be.rmsNormBackward(x.t(), w.t(), rstd.t(), gy.t(), gx.t(), gw.t());
            ref.rmsNormBackward(x.r(), w.r(), rstd.r(), gy.r(), gx.r(), gw.r());
            assertSame("rmsNormBackward gx n=" + n, gx);
            assertSame("rmsNormBackward gw n=" + n, gw);
        }
    }

    @Test
    public void embeddingGatherAndScatterAdd() {
        for (int d : SIZES) {
            int vocab = 11;
            int[] ids = {3, 0, 10, 3, 3, 7, 1, 0, 10};
            Pair table = uniformPair(vocab, d), out = outPair(ids.length, d);
            be.embeddingGather(table.t(), ids, out.t());
            ref.embeddingGather(table.r(), ids, out.r());
            assertSame("embeddingGather D=" + d, out, 0);
            Pair g = uniformPair(ids.length, d), gTable = uniformPair(vocab, d);
            be.embeddingScatterAdd(g.t(), ids, gTable.t());
            ref.embeddingScatterAdd(g.r(), ids, gTable.r());
            assertSame("embeddingScatterAdd (repeated ids) D=" + d, gTable);
        }
        assertThrows(IllegalArgumentException.class, () -> be.embeddingGather(be.zeros(4, 2), new int[]{4}, be.zeros(1, 2)));
    }

    @Test
    public void permuteCopies() {
        int[][] shapes = {{3, 17}, {2, 3, 5}, {2, 3, 17, 4}, {1, 1000, 3}};
        int[][][] perms = {{{1, 0}, {0, 1}}, {{2, 0, 1}, {1, 0, 2}, {0, 2, 1}}, {{0, 2, 1, 3}, {3, 2, 1, 0}, {0, 1, 3, 2}},
                {{2, 1, 0}, {1, 0, 2}}};
        for (int s = 0; s < shapes.length; s++) {
            for (int[] perm : perms[s]) {
                int[] os = new int[perm.length];
                for (int i = 0; i < perm.length; i++) os[i] = shapes[s][perm[i]];
                Pair x = uniformPair(shapes[s]), out = outPair(os);
                be.permute(x.t(), perm, out.t());
                ref.permute(x.r(), perm, out.r());
                assertSame("permute " + Arrays.toString(shapes[s]) + " by " + Arrays.toString(perm), out, 0);
            }
        }
    }

    @Test
    public void adamwSteps() {
        for (int n : new int[]{1, 3, 17, 1000, 40_001}) {
            Pair p = uniformPair(n), m = pair(new float[n], n), v = pair(new float[n], n);
            for (int step = 1; step <= 3; step++) {
                Pair g = uniformPair(n);
                AdamWParams a = new AdamWParams(1e-3f, 0.9f, 0.999f, 1e-8f, step == 2 ? 0f : 0.01f, step);
                be.adamwUpdate(p.t(), g.t(), m.t(), v.t(), a);
                ref.adamwUpdate(p.r(), g.r(), m.r(), v.r(), a);
                assertSame("adamw p n=" + n + " step " + step, p);
                assertSame("adamw m n=" + n + " step " + step, m);
                assertSame("adamw v n=" + n + " step " + step, v);
            }
        }
    }

    @Test
    public void adafactorStepsFactoredAndUnfactored() {
        AdafactorParams[] settings = {
                new AdafactorParams(1e-2f, 0.8f, 1e-30f, 1e-3f, 1f, true, 0f),
                new AdafactorParams(5e-2f, 0.5f, 1e-30f, 1e-3f, 0f, false, 0.1f),
                new AdafactorParams(1e-3f, 0.99f, 1e-30f, 1f, 0.5f, true, 0.01f)};
        int[][] factoredShapes = {{3, 17}, {2, 3, 17}, {1000, 3}, {64, 1000}};
        for (AdafactorParams a : settings) {
            for (int[] shape : factoredShapes) {
                int[] rowShape = Arrays.copyOf(shape, shape.length - 1);
                int[] colShape = rowShape.clone();
                colShape[colShape.length - 1] = shape[shape.length - 1];
                Pair p = uniformPair(shape), vr = pair(new float[(int) clp4j.engine.tensor.Tensor.numel(rowShape)], rowShape);
                Pair vc = pair(new float[(int) clp4j.engine.tensor.Tensor.numel(colShape)], colShape);
                for (int step = 0; step < 2; step++) {
                    Pair g = uniformPair(shape);
                    be.adafactorUpdate(p.t(), g.t(), vr.t(), vc.t(), null, a);
                    ref.adafactorUpdate(p.r(), g.r(), vr.r(), vc.r(), null, a);
                    String what = Arrays.toString(shape) + " " + a + " step " + step;
                    assertSame("adafactor factored p " + what, p);
                    assertSame("adafactor vRow " + what, vr);
                    assertSame("adafactor vCol " + what, vc);
                }
            }
            for (int n : new int[]{1, 3, 17, 1000}) {
                Pair p = uniformPair(n), v = pair(new float[n], n);
                for (int step = 0; step < 2; step++) {
                    Pair g = uniformPair(n);
                    be.adafactorUpdate(p.t(), g.t(), null, null, v.t(), a);
                    ref.adafactorUpdate(p.r(), g.r(), null, null, v.r(), a);
                    assertSame("adafactor unfactored p n=" + n + " " + a, p);
                    assertSame("adafactor v n=" + n + " " + a, v);
                }
            }
        }
    }
}
