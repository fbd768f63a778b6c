package clp4j.engine.backend;

import clp4j.engine.backend.vector.CpuThreadPool;
import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every non-GEMM op of VectorBackend against ReferenceBackend on the same inputs: row lengths that
 * are not a multiple of the vector width, broadcasts, masks, ignored targets, and sizes large
 * enough to be split over the (3-thread) pool.
 */
class VectorBackendOpsTest {
    private static final ReferenceBackend REF = new ReferenceBackend();
    private static VectorBackend vb;
    private final Random rnd = new Random(42);

    @BeforeAll
    static void start() {
        vb = new VectorBackend(new CpuThreadPool(3));
    }

    @AfterAll
    static void stop() {
        vb.close();
    }

    private float[] rand(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rnd.nextGaussian();
        return x;
    }

    private static int numel(int... s) {
        return (int) Tensor.numel(s);
    }

    private static void assertClose(String what, Tensor want, Tensor got, double tol) {
        float[] w = want.toArray(), g = got.toArray();
        for (int i = 0; i < w.length; i++) {
            boolean ok = Float.compare(w[i], g[i]) == 0 || Math.abs(w[i] - g[i]) <= tol * (1 + Math.abs(w[i]));
            if (!ok) fail(what + ": element " + i + " is " + g[i] + ", reference " + w[i]);
        }
    }

    @Test
    void binaryWithBroadcasts() {
        int[][][] cases = {{{7, 37}, {7, 37}}, {{3, 5, 37}, {37}}, {{3, 5, 37}, {5, 1}}, {{2, 3, 5, 4}, {3, 1, 4}},
                {{4, 300, 129}, {300, 129}}, {{6, 3}, {1}}, {{200, 1000}, {1000}}};
        for (BinaryOp op : BinaryOp.values()) {
            for (int[][] c : cases) {
                float[] a = rand(numel(c[0])), b = rand(numel(c[1]));
                if (op == BinaryOp.DIV) for (int i = 0; i < b.length; i++) b[i] += Math.signum(b[i]) * 0.5f;
                Tensor ra = REF.fromArray(a, c[0]), rb = REF.fromArray(b, c[1]), ro = REF.zeros(c[0]);
                Tensor va = vb.fromArray(a, c[0]), vbb = vb.fromArray(b, c[1]), vo = vb.zeros(c[0]);
                REF.binary(op, ra, rb, ro);
                vb.binary(op, va, vbb, vo);
                assertClose("binary " + op + " " + Arrays.deepToString(c), ro, vo, 1e-6);
                Tensor rs = REF.zeros(c[1]), vs = vb.zeros(c[1]);
                REF.sumToShape(ro, rs);
                vb.sumToShape(vo, vs);
                assertClose("sumToShape " + Arrays.deepToString(c), rs, vs, 1e-4);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> vb.binary(BinaryOp.ADD, vb.zeros(3, 4), vb.zeros(3), vb.zeros(3, 4)));
    }

    @Test
    void scaleAxpyCopyFill() {
        float[] a = rand(100_003), b = rand(100_003);
        Tensor ra = REF.fromArray(a, a.length), va = vb.fromArray(a, a.length);
        Tensor ry = REF.fromArray(b, b.length), vy = vb.fromArray(b, b.length);
        REF.axpy(-0.7f, ra, ry);
        vb.axpy(-0.7f, va, vy);
        assertClose("axpy", ry, vy, 1e-6);
        REF.scale(ra, 1.3f, ra);
        vb.scale(va, 1.3f, va);
        assertClose("scale in place", ra, va, 1e-6);
        Tensor vc = vb.zeros(a.length);
        vb.copy(va, vc);
        assertClose("copy", ra, vc, 0);
        vb.fill(vc, 2.5f);
        REF.fill(ra, 2.5f);
        assertClose("fill", ra, vc, 0);
    }

    @Test
    void unaryForwardAndBackward() {
        int[] shape = {33, 1025};
        float[] x = rand(numel(shape)), gy = rand(numel(shape));
        for (UnaryOp op : UnaryOp.values()) {
            float[] in = x.clone();
            if (op == UnaryOp.LOG) for (int i = 0; i < in.length; i++) in[i] = Math.abs(in[i]) + 0.1f;
            if (op == UnaryOp.EXP) for (int i = 0; i < in.length; i++) in[i] *= 3f;
            Tensor rx = REF.fromArray(in, shape), vx = vb.fromArray(in, shape);
            Tensor ry = REF.zeros(shape), vy = vb.zeros(shape);
            REF.unary(op, rx, ry);
            vb.unary(op, vx, vy);
            assertClose("unary " + op, ry, vy, 2e-6);
            Tensor rg = REF.fromArray(gy, shape), vg = vb.fromArray(gy, shape);
            Tensor rgx = REF.zeros(shape), vgx = vb.zeros(shape);
            REF.unaryBackward(op, rx, ry, rg, rgx);
            vb.unaryBackward(op, vx, vy, vg, vgx);
            assertClose("unaryBackward " + op, rgx, vgx, 1e-5);
        }
    }

    @Test
    void reductions() {
        int[] shape = {5, 7, 131};
        int[] outShape = {5, 7, 1};
        float[] x = rand(numel(shape)), gy = rand(numel(outShape));
        x[131 * 3 + 17] = x[131 * 3 + 20] = 9f; // a repeated maximum: the gradient goes to the first
        for (ReduceOp op : ReduceOp.values()) {
            Tensor rx = REF.fromArray(x, shape), vx = vb.fromArray(x, shape);
            Tensor ry = REF.zeros(outShape), vy = vb.zeros(outShape);
            REF.reduceLast(op, rx, ry);
            vb.reduceLast(op, vx, vy);
            assertClose("reduceLast " + op, ry, vy, 1e-5);
            Tensor rgx = REF.zeros(shape), vgx = vb.zeros(shape);
            REF.reduceLastBackward(op, rx, ry, REF.fromArray(gy, outShape), rgx);
            vb.reduceLastBackward(op, vx, vy, vb.fromArray(gy, outShape), vgx);
            assertClose("reduceLastBackward " + op, rgx, vgx, 1e-6);
        }
    }

    @Test
    void softmaxFamilyWithMasks() {
        int[] shape = {2, 3, 9, 67};
        float[] x = rand(numel(shape)), gy = rand(numel(shape));
        float[] causal = new float[9 * 67];
        for (int i = 0; i < 9; i++) for (int j = 0; j < 67; j++) causal[i * 67 + j] = j > i + 30 ? -Float.MAX_VALUE : 0f;
        Arrays.fill(causal, 0, 67, -Float.MAX_VALUE); // a fully masked row
        float[] pad = new float[2 * 67];
        for (int j = 60; j < 67; j++) pad[j] = Float.NEGATIVE_INFINITY;
        Arrays.fill(pad, 67, 134, Float.NEGATIVE_INFINITY); // batch 1 fully -inf
        Object[][] masks = {{null, null}, {causal, new int[]{9, 67}}, {pad, new int[]{2, 1, 1, 67}}};
        for (Object[] m : masks) {
            for (boolean log : new boolean[]{false, true}) {
                Tensor rm = m[0] == null ? null : REF.fromArray((float[]) m[0], (int[]) m[1]);
                Tensor vm = m[0] == null ? null : vb.fromArray((float[]) m[0], (int[]) m[1]);
                Tensor rx = REF.fromArray(x, shape), vx = vb.fromArray(x, shape);
                Tensor ry = REF.zeros(shape), vy = vb.zeros(shape);
                if (log) { REF.logSoftmax(rx, rm, ry); vb.logSoftmax(vx, vm, vy); }
                else { REF.softmax(rx, rm, ry); vb.softmax(vx, vm, vy); }
                String what = (log ? "logSoftmax" : "softmax") + " mask " + (m[1] == null ? "none" : Arrays.toString((int[]) m[1]));
                assertClose(what, ry, vy, 2e-6);
                Tensor rgx = REF.zeros(shape), vgx = vb.zeros(shape);
                Tensor rg = REF.fromArray(gy, shape), vg = vb.fromArray(gy, shape);
                if (log) { REF.logSoftmaxBackward(ry, rg, rgx); vb.logSoftmaxBackward(vy, vg, vgx); }
                else { REF.softmaxBackward(ry, rg, rgx); vb.softmaxBackward(vy, vg, vgx); }
                assertClose(what + " backward", rgx, vgx, 1e-5);
            }
        }
    }

    @Test
    void crossEntropyWithIgnoredRows() {
        int rows = 13, v = 1003;
        float[] logits = rand(rows * v), g = rand(rows);
        int[] targets = new int[rows];
        for (int r = 0; r < rows; r++) targets[r] = r % 4 == 1 ? -100 : rnd.nextInt(v);
        Tensor rl = REF.fromArray(logits, rows, v), vl = vb.fromArray(logits, rows, v);
        Tensor rn = REF.zeros(rows), vn = vb.zeros(rows);
        REF.crossEntropy(rl, targets, -100, rn);
        vb.crossEntropy(vl, targets, -100, vn);
        assertClose("crossEntropy", rn, vn, 1e-5);
        Tensor rgl = REF.zeros(rows, v), vgl = vb.zeros(rows, v);
        REF.crossEntropyBackward(rl, targets, -100, REF.fromArray(g, rows), rgl);
        vb.crossEntropyBackward(vl, targets, -100, vb.fromArray(g, rows), vgl);
        assertClose("crossEntropyBackward", rgl, vgl, 1e-5);
        int[] bad = targets.clone();
        bad[2] = v;
        assertThrows(IllegalArgumentException.class, () -> vb.crossEntropy(vl, bad, -100, vn));
    }

    @Test
    void rmsNormForwardAndBackward() {
        int[] shape = {3, 11, 515};
        float[] x = rand(numel(shape)), w = rand(515), gy = rand(numel(shape)), gw0 = rand(515);
        Tensor rx = REF.fromArray(x, shape), vx = vb.fromArray(x, shape);
        Tensor rw = REF.fromArray(w, 515), vw = vb.fromArray(w, 515);
        Tensor ry = REF.zeros(shape), vy = vb.zeros(shape), rr = REF.zeros(33), vr = vb.zeros(33);
        REF.rmsNorm(rx, rw, 1e-6f, ry, rr);
        vb.rmsNorm(vx, vw, 1e-6f, vy, vr);
        assertClose("rmsNorm y", ry, vy, 1e-5);
        assertClose("rmsNorm rstd", rr, vr, 1e-5);
        Tensor rgx = REF.zeros(shape), vgx = vb.zeros(shape);
        Tensor rgw = REF.fromArray(gw0, 515), vgw = vb.fromArray(gw0, 515);
        REF.rmsNormBackward(rx, rw, rr, REF.fromArray(gy, shape), rgx, rgw);
        vb.rmsNormBackward(vx, vw, vr, vb.fromArray(gy, shape), vgx, vgw);
        assertClose("rmsNormBackward gx", rgx, vgx, 1e-4);
        assertClose("rmsNormBackward gw (accumulated)", rgw, vgw, 1e-4);
    }

    @Test
    void embeddingPermuteDropout() {
        float[] table = rand(50 * 19);
        int[] ids = {3, 0, 49, 3, 7, 3};
        Tensor rt = REF.fromArray(table, 50, 19), vt = vb.fromArray(table, 50, 19);
        Tensor ro = REF.zeros(ids.length, 19), vo = vb.zeros(ids.length, 19);
        REF.embeddingGather(rt, ids, ro);
        vb.embeddingGather(vt, ids, vo);
        assertClose("embeddingGather", ro, vo, 0);
        REF.embeddingScatterAdd(ro, ids, rt);
        vb.embeddingScatterAdd(vo, ids, vt);
        assertClose("embeddingScatterAdd", rt, vt, 1e-6);
        assertThrows(IllegalArgumentException.class, () -> vb.embeddingGather(vt, new int[]{50}, vb.zeros(1, 19)));

        int[] shape = {2, 5, 3, 7};
        float[] x = rand(numel(shape));
        for (int[] perm : new int[][]{{0, 2, 1, 3}, {3, 1, 0, 2}, {0, 1, 2, 3}, {1, 0, 3, 2}}) {
            int[] os = new int[4];
            for (int i = 0; i < 4; i++) os[i] = shape[perm[i]];
            Tensor rp = REF.zeros(os), vp = vb.zeros(os);
            REF.permute(REF.fromArray(x, shape), perm, rp);
            vb.permute(vb.fromArray(x, shape), perm, vp);
            assertClose("permute " + Arrays.toString(perm), rp, vp, 0);
        }

        float[] d = rand(70_001);
        for (float p : new float[]{0f, 0.1f, 0.5f, 1f}) {
            Tensor rd = REF.zeros(d.length), vd = vb.zeros(d.length);
            REF.dropout(REF.fromArray(d, d.length), p, 1234L, rd);
            vb.dropout(vb.fromArray(d, d.length), p, 1234L, vd);
            assertClose("dropout p=" + p, rd, vd, 1e-7);
        }
    }

    @Test
    void mixAndMixBackward() {
        int n = 40_001;
        float[][] xs = {rand(n), rand(n), rand(n)};
        float[] ref = rand(n), g = rand(n), w = {0.2f, 0.5f, 0.3f};
        for (boolean withRef : new boolean[]{true, false}) {
            Tensor[] rx = new Tensor[3], vx = new Tensor[3];
            for (int i = 0; i < 3; i++) { rx[i] = REF.fromArray(xs[i], n); vx[i] = vb.fromArray(xs[i], n); }
            Tensor ro = REF.zeros(n), vo = vb.zeros(n);
            REF.mix(rx, w, 0.25f, withRef ? REF.fromArray(ref, n) : null, ro);
            vb.mix(vx, w, 0.25f, withRef ? vb.fromArray(ref, n) : null, vo);
            assertClose("mix ref=" + withRef, ro, vo, 1e-6);
            REF.mixBackward(REF.fromArray(g, n), w, 0.25f, rx);
            vb.mixBackward(vb.fromArray(g, n), w, 0.25f, vx);
            for (int i = 0; i < 3; i++) assertClose("mixBackward " + i, rx[i], vx[i], 1e-6);
        }
    }

    @Test
    void optimizerUpdates() {
        int[] shape = {3, 37, 70};
        int n = numel(shape);
        float[] p = rand(n), g = rand(n), m = rand(n), v = new float[n];
        for (int i = 0; i < n; i++) v[i] = Math.abs(p[i]) * 0.01f;
        AdamWParams ah = new AdamWParams(1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, 3);
        Tensor[] r = {REF.fromArray(p, shape), REF.fromArray(g, shape), REF.fromArray(m, shape), REF.fromArray(v, shape)};
        Tensor[] q = {vb.fromArray(p, shape), vb.fromArray(g, shape), vb.fromArray(m, shape), vb.fromArray(v, shape)};
        REF.adamwUpdate(r[0], r[1], r[2], r[3], ah);
        vb.adamwUpdate(q[0], q[1], q[2], q[3], ah);
        for (int i = 0; i < 4; i++) assertClose("adamw tensor " + i, r[i], q[i], 1e-5);

        for (boolean factored : new boolean[]{true, false}) {
            for (float clip : new float[]{1f, 0f}) {
                AdafactorParams h = new AdafactorParams(0.01f, 0.8f, 1e-30f, 1e-3f, clip, factored, 0.1f);
                float[] vr = new float[3 * 37], vc = new float[3 * 70];
                Arrays.fill(vr, 0.5f);
                Arrays.fill(vc, 0.25f);
                Tensor rp = REF.fromArray(p, shape), vp = vb.fromArray(p, shape);
                if (factored) {
                    Tensor rr = REF.fromArray(vr, 3, 37), rc = REF.fromArray(vc, 3, 70);
                    Tensor qr = vb.fromArray(vr, 3, 37), qc = vb.fromArray(vc, 3, 70);
                    REF.adafactorUpdate(rp, REF.fromArray(g, shape), rr, rc, null, h);
                    vb.adafactorUpdate(vp, vb.fromArray(g, shape), qr, qc, null, h);
                    assertClose("adafactor vRow", rr, qr, 1e-5);
                    assertClose("adafactor vCol", rc, qc, 1e-5);
                } else {
                    Tensor rv = REF.fromArray(v, shape), qv = vb.fromArray(v, shape);
                    REF.adafactorUpdate(rp, REF.fromArray(g, shape), null, null, rv, h);
                    vb.adafactorUpdate(vp, vb.fromArray(g, shape), null, null, qv, h);
                    assertClose("adafactor v", rv, qv, 1e-5);
                }
                assertClose("adafactor p factored=" + factored + " clip=" + clip, rp, vp, 1e-5);
            }
        }
    }
}
