package clp4j.engine.backend.vector;

import clp4j.engine.backend.BinaryOp;
import clp4j.engine.backend.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Elementwise arithmetic over contiguous float ranges: binary ops, unary functions and their derivatives. */
public final class ElementwiseKernels {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = Simd.L;
    /** sqrt(2 / pi), for gelu_new. */
    public static final float GELU_C = 0.7978845608028654f;
    public static final float GELU_A = 0.044715f;

    private ElementwiseKernels() { }

    /** out[oo + i] = a[ao + i] op b[bo + i] for i &lt; n. */
    public static void binary(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        int end = F.loopBound(n);
        for (; i < end; i += L) {
            FloatVector x = FloatVector.fromArray(F, a, ao + i);
            FloatVector y = FloatVector.fromArray(F, b, bo + i);
            apply(op, x, y).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = apply(op, a[ao + i], b[bo + i]);
    }

    /** out[oo + i] = a[ao + i] op s for i &lt; n. */
    public static void binaryScalar(BinaryOp op, float[] a, int ao, float s, float[] out, int oo, int n) {
        FloatVector y = FloatVector.broadcast(F, s);
        int i = 0;
        int end = F.loopBound(n);
        for (; i < end; i += L) apply(op, FloatVector.fromArray(F, a, ao + i), y).intoArray(out, oo + i);
        for (; i < n; i++) out[oo + i] = apply(op, a[ao + i], s);
    }

    private static FloatVector apply(BinaryOp op, FloatVector x, FloatVector y) {
        return switch (op) {
            case ADD -> x.add(y);
            case SUB -> x.sub(y);
            case MUL -> x.mul(y);
            case DIV -> x.div(y);
        };
    }

    private static float apply(BinaryOp op, float x, float y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
        };
    }

    /** y[yo + i] += alpha * x[xo + i]. */
    public static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        FloatVector av = FloatVector.broadcast(F, alpha);
        int i = 0;
        int end = F.loopBound(n);
        for (; i < end; i += L) {
            FloatVector.fromArray(F, x, xo + i).fma(av, FloatVector.fromArray(F, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) y[yo + i] += alpha * x[xo + i];
    }

    /**
     * out = f(x) over n elements. One loop per function, not one loop around a switch: a single
     * method holding every function's vector code outgrew C2's inlining budget, and the calls left
     * behind (to VMath.exp, tanh) boxed every vector they were passed, allocating per element.
     */
    public static void unary(UnaryOp op, float[] x, int xo, float[] out, int oo, int n) {
        switch (op) {
            case EXP -> VMath.expShift(x, xo, 0f, out, oo, n);
            case LOG -> {
                // Math.log per element: the Vector API's LOG differs between interpreted and compiled code
                for (int i = 0; i < n; i++) out[oo + i] = (float) Math.log(x[xo + i]);
            }
            case TANH -> tanh(x, xo, out, oo, n);
            case RELU -> relu(x, xo, out, oo, n);
            case GELU_NEW -> gelu(x, xo, out, oo, n);
        }
    }

    private static void tanh(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        int end = F.loopBound(n);
        for (; i < end; i += L) VMath.tanh(FloatVector.fromArray(F, x, xo + i)).intoArray(out, oo + i);
        for (; i < n; i++) out[oo + i] = VMath.tanh(x[xo + i]);
    }

    private static void relu(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        int end = F.loopBound(n);
        for (; i < end; i += L) FloatVector.fromArray(F, x, xo + i).max(0f).intoArray(out, oo + i);
        for (; i < n; i++) out[oo + i] = Math.max(x[xo + i], 0f);
    }

    private static void gelu(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        int end = F.loopBound(n);
        for (; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xo + i);
            FloatVector u = v.mul(v).mul(GELU_A).mul(v).add(v).mul(GELU_C);
            VMath.tanh(u).add(1f).mul(v).mul(0.5f).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = forward(UnaryOp.GELU_NEW, x[xo + i]);
    }

    public static float forward(UnaryOp op, float x) {
        return switch (op) {
            case EXP -> VMath.exp(x);
            case LOG -> (float) Math.log(x);
            case TANH -> VMath.tanh(x);
            case RELU -> Math.max(x, 0f);
            case GELU_NEW -> 0.5f * x * (1f + VMath.tanh(GELU_C * (x + GELU_A * x * x * x)));
        };
    }

    /**
     * gx = gy * f'(x): EXP and TANH from the output y, LOG, RELU and GELU_NEW from the input x. One
     * vector loop per function, for the inlining reason given at {@link #unary}.
     */
    public static void backward(UnaryOp op, float[] x, int xo, float[] y, int yo, float[] gy, int go, float[] gx, int gxo, int n) {
        int end = switch (op) {
            case EXP -> expGrad(y, yo, gy, go, gx, gxo, n);
            case TANH -> tanhGrad(y, yo, gy, go, gx, gxo, n);
            case LOG -> logGrad(x, xo, gy, go, gx, gxo, n);
            case RELU -> reluGrad(x, xo, gy, go, gx, gxo, n);
            case GELU_NEW -> geluGrad(x, xo, gy, go, gx, gxo, n);
        };
        for (int i = end; i < n; i++) {
            float d = switch (op) {
                case EXP -> y[yo + i];
                case TANH -> 1f - y[yo + i] * y[yo + i];
                case LOG -> 1f / x[xo + i];
                case RELU -> x[xo + i] > 0f ? 1f : 0f;
                case GELU_NEW -> geluGrad(x[xo + i]);
            };
            gx[gxo + i] = gy[go + i] * d;
        }
    }

    /** The vector part of each backward; returns where the scalar tail starts. */
    private static int expGrad(float[] y, int yo, float[] gy, int go, float[] gx, int gxo, int n) {
        int end = F.loopBound(n);
        for (int i = 0; i < end; i += L) {
            FloatVector.fromArray(F, gy, go + i).mul(FloatVector.fromArray(F, y, yo + i)).intoArray(gx, gxo + i);
        }
        return end;
    }

    private static int tanhGrad(float[] y, int yo, float[] gy, int go, float[] gx, int gxo, int n) {
        int end = F.loopBound(n);
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int i = 0; i < end; i += L) {
            FloatVector t = FloatVector.fromArray(F, y, yo + i);
            FloatVector.fromArray(F, gy, go + i).mul(t.neg().fma(t, one)).intoArray(gx, gxo + i);
        }
        return end;
    }

    private static int logGrad(float[] x, int xo, float[] gy, int go, float[] gx, int gxo, int n) {
        int end = F.loopBound(n);
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int i = 0; i < end; i += L) {
            FloatVector.fromArray(F, gy, go + i).mul(one.div(FloatVector.fromArray(F, x, xo + i))).intoArray(gx, gxo + i);
        }
        return end;
    }

    private static int reluGrad(float[] x, int xo, float[] gy, int go, float[] gx, int gxo, int n) {
        int end = F.loopBound(n);
        FloatVector zero = FloatVector.zero(F), one = FloatVector.broadcast(F, 1f);
        for (int i = 0; i < end; i += L) {
            FloatVector d = zero.blend(one, FloatVector.fromArray(F, x, xo + i).compare(VectorOperators.GT, 0f));
            FloatVector.fromArray(F, gy, go + i).mul(d).intoArray(gx, gxo + i);
        }
        return end;
    }

    private static int geluGrad(float[] x, int xo, float[] gy, int go, float[] gx, int gxo, int n) {
        int end = F.loopBound(n);
        for (int i = 0; i < end; i += L) {
            FloatVector.fromArray(F, gy, go + i).mul(geluGrad(FloatVector.fromArray(F, x, xo + i))).intoArray(gx, gxo + i);
        }
        return end;
    }

    /** d/dx gelu_new(x) = 0.5 (1 + t) + 0.5 x (1 - t^2) c (1 + 3a x^2), t = tanh(c (x + a x^3)). */
    private static FloatVector geluGrad(FloatVector x) {
        FloatVector x2 = x.mul(x);
        FloatVector t = VMath.tanh(x2.mul(GELU_A).mul(x).add(x).mul(GELU_C));
        FloatVector du = x2.mul(3f * GELU_A).add(1f).mul(GELU_C);
        FloatVector one = FloatVector.broadcast(F, 1f);
        return t.add(one).mul(0.5f).add(x.mul(0.5f).mul(t.neg().fma(t, one)).mul(du));
    }

    private static float geluGrad(float x) {
        float t = VMath.tanh(GELU_C * (x + GELU_A * x * x * x));
        return 0.5f * (1f + t) + 0.5f * x * (1f - t * t) * GELU_C * (1f + 3f * GELU_A * x * x);
    }

    /** sum of x[xo .. xo+n). */
    public static float sum(float[] x, int xo, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        int end = F.loopBound(n);
        for (; i < end; i += L) acc = acc.add(FloatVector.fromArray(F, x, xo + i));
        float[] t = Lanes.buffer();
        acc.intoArray(t, 0);
        float s = Lanes.sum(t, 0);
        for (; i < n; i++) s += x[xo + i];
        return s;
    }

    /** max of x[xo .. xo+n), n &gt; 0. */
    public static float max(float[] x, int xo, int n) {
        FloatVector acc = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = 0;
        int end = F.loopBound(n);
        for (; i < end; i += L) acc = acc.max(FloatVector.fromArray(F, x, xo + i));
        float[] t = Lanes.buffer();
        acc.intoArray(t, 0);
        float m = Lanes.max(t, 0);
        for (; i < n; i++) m = Math.max(m, x[xo + i]);
        return m;
    }

    /** Inverted dropout of elements [from, to) (element index = position in the tensor). */
    public static void dropout(float[] x, int xo, float[] out, int oo, float p, long seed, int from, int to) {
        float scale = p >= 1f ? 0f : 1f / (1f - p);
        for (int i = from; i < to; i++) {
            out[oo + i] = clp4j.engine.backend.Backend.dropoutKeep(seed, i, p) ? x[xo + i] * scale : 0f;
        }
    }
}
