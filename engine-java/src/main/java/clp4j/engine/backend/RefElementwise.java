package clp4j.engine.backend;

import clp4j.engine.tensor.Tensor;

/** Reference elementwise ops: one loop per op, arithmetic in double, one rounding per result. */
final class RefElementwise {
    private RefElementwise() { }

    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);
    private static final double GELU_C = 0.044715;

    static void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        Checks.sameShape("binary " + op + " (a, out)", a, out);
        int[] shape = a.shape();
        long[] strides = Broadcast.strides(shape, b.shape(), "binary " + op);
        float[] ad = CpuStorage.of(a), bd = CpuStorage.of(b), od = CpuStorage.of(out);
        int ao = CpuStorage.offset(a), bo = CpuStorage.offset(b), oo = CpuStorage.offset(out);
        int n = a.size();
        for (int j = 0; j < n; j++) {
            double x = ad[ao + j];
            double y = bd[bo + (int) Broadcast.index(shape, strides, j)];
            double r = switch (op) {
                case ADD -> x + y;
                case SUB -> x - y;
                case MUL -> x * y;
                case DIV -> x / y;
            };
            od[oo + j] = (float) r;
        }
    }

    static void scale(Tensor a, float s, Tensor out) {
        Checks.sameNumel("scale", a, out);
        float[] ad = CpuStorage.of(a), od = CpuStorage.of(out);
        int ao = CpuStorage.offset(a), oo = CpuStorage.offset(out);
        for (int j = 0, n = a.size(); j < n; j++) od[oo + j] = (float) ((double) s * ad[ao + j]);
    }

    static void axpy(float alpha, Tensor x, Tensor y) {
        Checks.sameNumel("axpy", x, y);
        float[] xd = CpuStorage.of(x), yd = CpuStorage.of(y);
        int xo = CpuStorage.offset(x), yo = CpuStorage.offset(y);
        for (int j = 0, n = x.size(); j < n; j++) yd[yo + j] = (float) (yd[yo + j] + (double) alpha * xd[xo + j]);
    }

    static double apply(UnaryOp op, double x) {
        return switch (op) {
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case TANH -> Math.tanh(x);
            case RELU -> x > 0 ? x : 0.0;
            case GELU_NEW -> 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + GELU_C * x * x * x)));
        };
    }

    /** f'(x) expressed through x or y, as {@link Backend#unaryBackward} specifies. */
    static double derivative(UnaryOp op, double x, double y) {
        return switch (op) {
            case EXP -> y;
            case LOG -> 1 / x;
            case TANH -> 1 - y * y;
            case RELU -> x > 0 ? 1.0 : 0.0;
            case GELU_NEW -> {
                double t = Math.tanh(SQRT_2_OVER_PI * (x + GELU_C * x * x * x));
                yield 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * GELU_C * x * x);
            }
        };
    }

    static void unary(UnaryOp op, Tensor x, Tensor out) {
        Checks.sameNumel("unary " + op, x, out);
        float[] xd = CpuStorage.of(x), od = CpuStorage.of(out);
        int xo = CpuStorage.offset(x), oo = CpuStorage.offset(out);
        for (int j = 0, n = x.size(); j < n; j++) od[oo + j] = (float) apply(op, xd[xo + j]);
    }

    static void unaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor gy, Tensor gx) {
        Checks.sameNumel("unaryBackward " + op + " (x, y)", x, y);
        Checks.sameNumel("unaryBackward " + op + " (x, gy)", x, gy);
        Checks.sameNumel("unaryBackward " + op + " (x, gx)", x, gx);
        float[] xd = CpuStorage.of(x), yd = CpuStorage.of(y), gyd = CpuStorage.of(gy), gxd = CpuStorage.of(gx);
        int xo = CpuStorage.offset(x), yo = CpuStorage.offset(y), gyo = CpuStorage.offset(gy), gxo = CpuStorage.offset(gx);
        for (int j = 0, n = x.size(); j < n; j++) {
            gxd[gxo + j] = (float) (gyd[gyo + j] * derivative(op, xd[xo + j], yd[yo + j]));
        }
    }

    static void sumToShape(Tensor g, Tensor out) {
        int[] shape = g.shape();
        long[] strides = Broadcast.strides(shape, out.shape(), "sumToShape");
        double[] acc = new double[out.size()];
        float[] gd = CpuStorage.of(g), od = CpuStorage.of(out);
        int go = CpuStorage.offset(g), oo = CpuStorage.offset(out);
        for (int j = 0, n = g.size(); j < n; j++) acc[(int) Broadcast.index(shape, strides, j)] += gd[go + j];
        for (int j = 0; j < acc.length; j++) od[oo + j] = (float) acc[j];
    }

    static void dropout(Tensor x, float p, long seed, Tensor out) {
        Checks.sameNumel("dropout", x, out);
        Checks.require(p >= 0 && p <= 1, "dropout: probability p must be in [0, 1], got " + p);
        float[] xd = CpuStorage.of(x), od = CpuStorage.of(out);
        int xo = CpuStorage.offset(x), oo = CpuStorage.offset(out);
        float keepScale = 1 - p;
        for (int j = 0, n = x.size(); j < n; j++) {
            od[oo + j] = Backend.dropoutKeep(seed, j, p) ? xd[xo + j] / keepScale : 0f;
        }
    }

    static void mix(Tensor[] xs, float[] w, float beta, Tensor ref, Tensor out) {
        OpChecks.mix("mix", xs, w, out);
        if (ref != null) Checks.sameNumel("mix (ref, out)", ref, out);
        float[] od = CpuStorage.of(out);
        int oo = CpuStorage.offset(out);
        float[][] xd = new float[xs.length][];
        int[] xo = new int[xs.length];
        for (int i = 0; i < xs.length; i++) {
            xd[i] = CpuStorage.of(xs[i]);
            xo[i] = CpuStorage.offset(xs[i]);
        }
        float[] rd = ref == null ? null : CpuStorage.of(ref);
        int ro = ref == null ? 0 : CpuStorage.offset(ref);
        for (int j = 0, n = out.size(); j < n; j++) {
            double s = 0;
            for (int i = 0; i < xs.length; i++) s += (double) w[i] * xd[i][xo[i] + j];
            double r = (1.0 - beta) * s;
            if (rd != null) r += (double) beta * rd[ro + j];
            od[oo + j] = (float) r;
        }
    }

    static void mixBackward(Tensor gOut, float[] w, float beta, Tensor[] gxs) {
        OpChecks.mix("mixBackward", gxs, w, gOut);
        for (int i = 0; i < gxs.length; i++) {
            if (gxs[i] != null) axpy((float) ((1.0 - beta) * w[i]), gOut, gxs[i]);
        }
    }
}
