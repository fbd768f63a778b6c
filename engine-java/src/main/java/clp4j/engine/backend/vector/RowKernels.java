package clp4j.engine.backend.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Last-axis row operations on one row of length n: softmax and its log, their backwards, cross-entropy. */
public final class RowKernels {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = Simd.L;

    /** Per thread: one row of exponentials for {@link #sumExpShift}, grown to the longest row seen. */
    private static final ThreadLocal<float[]> ROW = ThreadLocal.withInitial(() -> new float[0]);

    private RowKernels() { }

    /**
     * z = x + mask (mask: a whole row at {@code mask[mo]} when maskRow, a single value when not, or
     * none when mask is null) written to out; returns max(z).
     */
    public static float addMask(float[] x, int xo, float[] mask, int mo, boolean maskRow, float[] out, int oo, int n) {
        if (mask == null) {
            if (x != out || xo != oo) System.arraycopy(x, xo, out, oo, n);
        } else if (maskRow) {
            ElementwiseKernels.binary(clp4j.engine.backend.BinaryOp.ADD, x, xo, mask, mo, out, oo, n);
        } else {
            ElementwiseKernels.binaryScalar(clp4j.engine.backend.BinaryOp.ADD, x, xo, mask[mo], out, oo, n);
        }
        return ElementwiseKernels.max(out, oo, n);
    }

    /** out = exp(out - m), returns the sum; m = -inf (an all -inf row) gives a uniform row of ones. */
    public static float expShift(float[] out, int oo, float m, int n) {
        if (m == Float.NEGATIVE_INFINITY) {
            java.util.Arrays.fill(out, oo, oo + n, 1f);
            return n;
        }
        // summed in a second pass (same additions in the same order): accumulated inside the exp
        // loop, C2 left the lane sum out of line in softmax's row loop, boxing a vector per row
        return expShiftInto(out, oo, m, out, oo, n);
    }

    /** softmax of one row, mask as in {@link #addMask}. */
    public static void softmax(float[] x, int xo, float[] mask, int mo, boolean maskRow, float[] out, int oo, int n) {
        float m = addMask(x, xo, mask, mo, maskRow, out, oo, n);
        float s = expShift(out, oo, m, n);
        ElementwiseKernels.binaryScalar(clp4j.engine.backend.BinaryOp.MUL, out, oo, 1f / s, out, oo, n);
    }

    /** log-softmax of one row: z - m - log(sum exp(z - m)); an all -inf row gives log(1/n) everywhere. */
    public static void logSoftmax(float[] x, int xo, float[] mask, int mo, boolean maskRow, float[] out, int oo, int n) {
        float m = addMask(x, xo, mask, mo, maskRow, out, oo, n);
        if (m == Float.NEGATIVE_INFINITY) {
            java.util.Arrays.fill(out, oo, oo + n, (float) -Math.log(n));
            return;
        }
        // (z - m) - log(s), not z - (m + log(s)): m can be so large that m + log(s) rounds to m
        float logS = (float) Math.log(sumExpShift(out, oo, m, n));
        FloatVector mv = FloatVector.broadcast(F, m);
        FloatVector lv = FloatVector.broadcast(F, logS);
        int i = 0;
        int end = F.loopBound(n);
        for (; i < end; i += L) FloatVector.fromArray(F, out, oo + i).sub(mv).sub(lv).intoArray(out, oo + i);
        for (; i < n; i++) out[oo + i] = (out[oo + i] - m) - logS;
    }

    /** sum exp(x - m) without writing x (the exponentials go to a per-thread row buffer). */
    public static float sumExpShift(float[] x, int xo, float m, int n) {
        float[] t = ROW.get();
        if (t.length < n) {
            t = new float[n];
            ROW.set(t);
        }
        return expShiftInto(x, xo, m, t, 0, n);
    }

    /**
     * The first index of the row's largest value, or of its first NaN (as torch.argmax and
     * RowArgmax.first): the maximum in one vector pass, then the first element equal to it.
     */
    public static int argmax(float[] x, int xo, int n) {
        float m = ElementwiseKernels.max(x, xo, n);
        if (m != m) {
            for (int i = 0; ; i++) if (x[xo + i] != x[xo + i]) return i;
        }
        FloatVector mv = FloatVector.broadcast(F, m);
        int i = 0;
        int end = F.loopBound(n);
        for (; i < end; i += L) {
            VectorMask<Float> hit = FloatVector.fromArray(F, x, xo + i).compare(VectorOperators.EQ, mv);
            if (hit.anyTrue()) return i + hit.firstTrue();
        }
        while (x[xo + i] != m) i++;
        return i;
    }

    /** logsumexp of a row (an all -inf row gives -inf). */
    public static float logSumExp(float[] x, int xo, int n) {
        float m = ElementwiseKernels.max(x, xo, n);
        if (m == Float.NEGATIVE_INFINITY) return m;
        return m + (float) Math.log(sumExpShift(x, xo, m, n));
    }

    /** gx = y * (gy - sum(gy * y)). */
    public static void softmaxBackward(float[] y, int yo, float[] gy, int go, float[] gx, int gxo, int n) {
        float dot = GemmSkinny.dot(y, yo, gy, go, n);
        FloatVector dv = FloatVector.broadcast(F, dot);
        int i = 0;
        int end = F.loopBound(n);
        for (; i < end; i += L) {
            FloatVector.fromArray(F, gy, go + i).sub(dv).mul(FloatVector.fromArray(F, y, yo + i)).intoArray(gx, gxo + i);
        }
        for (; i < n; i++) gx[gxo + i] = y[yo + i] * (gy[go + i] - dot);
    }

    /** gx = gy - exp(y) * sum(gy). */
    public static void logSoftmaxBackward(float[] y, int yo, float[] gy, int go, float[] gx, int gxo, int n) {
        float s = ElementwiseKernels.sum(gy, go, n);
        FloatVector sv = FloatVector.broadcast(F, s);
        int i = 0;
        int end = F.loopBound(n);
        for (; i < end; i += L) {
            FloatVector e = VMath.exp(FloatVector.fromArray(F, y, yo + i));
            e.neg().fma(sv, FloatVector.fromArray(F, gy, go + i)).intoArray(gx, gxo + i);
        }
        for (; i < n; i++) gx[gxo + i] = gy[go + i] - VMath.exp(y[yo + i]) * s;
    }

    /**
     * g * (softmax(logits row) - onehot(target)) into gl: exp(x - m) written to gl, summed, then
     * scaled (one exp per element, and each loop small enough for C2 to keep its vectors unboxed).
     */
    public static void crossEntropyBackward(float[] x, int xo, int target, float g, float[] gl, int glo, int n) {
        float m = ElementwiseKernels.max(x, xo, n);
        float s = expShiftInto(x, xo, m, gl, glo, n);
        ElementwiseKernels.binaryScalar(clp4j.engine.backend.BinaryOp.MUL, gl, glo, g / s, gl, glo, n);
        gl[glo + target] -= g;
    }

    /** out = exp(x - m) and returns its sum ({@link ElementwiseKernels#sum}'s additions, in its order). */
    private static float expShiftInto(float[] x, int xo, float m, float[] out, int oo, int n) {
        VMath.expShift(x, xo, m, out, oo, n);
        return ElementwiseKernels.sum(out, oo, n);
    }
}
