package clp4j.engine.backend;

import clp4j.engine.tensor.Tensor;

/** Reference last-axis ops: reductions, softmax and log-softmax, with double accumulators. */
final class RefRows {
    private RefRows() { }

    static void reduceLast(ReduceOp op, Tensor x, Tensor out) {
        Checks.keepdimLast("reduceLast " + op, x, out);
        int rows = x.rows(), n = x.dim(-1);
        float[] xd = CpuStorage.of(x), od = CpuStorage.of(out);
        int xo = CpuStorage.offset(x), oo = CpuStorage.offset(out);
        for (int r = 0; r < rows; r++) {
            int base = xo + r * n;
            od[oo + r] = switch (op) {
                case SUM -> (float) sum(xd, base, n);
                case MEAN -> (float) (sum(xd, base, n) / n);
                case MAX -> xd[base + RowArgmax.first(xd, base, n)]; // NaN if the row holds one, as torch.max
            };
        }
    }

    static void reduceLastBackward(ReduceOp op, Tensor x, Tensor y, Tensor gy, Tensor gx) {
        Checks.keepdimLast("reduceLastBackward " + op + " (x, y)", x, y);
        Checks.keepdimLast("reduceLastBackward " + op + " (x, gy)", x, gy);
        Checks.sameShape("reduceLastBackward " + op + " (x, gx)", x, gx);
        int rows = x.rows(), n = x.dim(-1);
        float[] xd = CpuStorage.of(x), gyd = CpuStorage.of(gy), gxd = CpuStorage.of(gx);
        int xo = CpuStorage.offset(x), gyo = CpuStorage.offset(gy), gxo = CpuStorage.offset(gx);
        for (int r = 0; r < rows; r++) {
            float g = gyd[gyo + r];
            int base = gxo + r * n;
            switch (op) {
                case SUM -> { for (int j = 0; j < n; j++) gxd[base + j] = g; }
                case MEAN -> { for (int j = 0; j < n; j++) gxd[base + j] = (float) ((double) g / n); }
                case MAX -> {
                    int arg = RowArgmax.first(xd, xo + r * n, n);
                    for (int j = 0; j < n; j++) gxd[base + j] = j == arg ? g : 0f;
                }
            }
        }
    }

    static double sum(float[] data, int base, int n) {
        double s = 0;
        for (int j = 0; j < n; j++) s += data[base + j];
        return s;
    }

    /**
     * Writes z = x + mask for one row, in float as the fast backends and torch do (so a finite x plus
     * the most negative float rounds to exactly that float), and returns the row's maximum.
     */
    private static float maskedRow(float[] xd, int xBase, float[] md, int[] shape, long[] mStrides, int mo,
                                   long flatBase, float[] z) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < z.length; j++) {
            float v = xd[xBase + j];
            if (md != null) v += md[mo + (int) Broadcast.index(shape, mStrides, flatBase + j)];
            z[j] = v;
            if (v > max) max = v;
        }
        return max;
    }

    static void softmax(Tensor x, Tensor mask, Tensor out, boolean log) {
        String op = log ? "logSoftmax" : "softmax";
        Checks.sameShape(op + " (x, out)", x, out);
        int[] shape = x.shape();
        long[] mStrides = mask == null ? null : Broadcast.strides(shape, mask.shape(), op + " mask");
        float[] md = mask == null ? null : CpuStorage.of(mask);
        int mo = mask == null ? 0 : CpuStorage.offset(mask);
        int rows = x.rows(), n = x.dim(-1);
        float[] xd = CpuStorage.of(x), od = CpuStorage.of(out);
        int xo = CpuStorage.offset(x), oo = CpuStorage.offset(out);
        float[] z = new float[n];
        for (int r = 0; r < rows; r++) {
            float max = maskedRow(xd, xo + r * n, md, shape, mStrides, mo, (long) r * n, z);
            int ob = oo + r * n;
            if (max == Float.NEGATIVE_INFINITY) {
                // every entry is -inf: all share the maximum, so the row is uniform
                for (int j = 0; j < n; j++) od[ob + j] = (float) (log ? -Math.log(n) : 1.0 / n);
                continue;
            }
            double s = 0;
            for (int j = 0; j < n; j++) s += Math.exp((double) z[j] - max);
            double logS = Math.log(s);
            for (int j = 0; j < n; j++) {
                double d = (double) z[j] - max;
                od[ob + j] = (float) (log ? d - logS : Math.exp(d) / s);
            }
        }
    }

    static void softmaxBackward(Tensor y, Tensor gy, Tensor gx, boolean log) {
        String op = log ? "logSoftmaxBackward" : "softmaxBackward";
        Checks.sameShape(op + " (y, gy)", y, gy);
        Checks.sameShape(op + " (y, gx)", y, gx);
        int rows = y.rows(), n = y.dim(-1);
        float[] yd = CpuStorage.of(y), gyd = CpuStorage.of(gy), gxd = CpuStorage.of(gx);
        int yo = CpuStorage.offset(y), gyo = CpuStorage.offset(gy), gxo = CpuStorage.offset(gx);
        for (int r = 0; r < rows; r++) {
            int yb = yo + r * n, gb = gyo + r * n, xb = gxo + r * n;
            double s = 0;
            for (int j = 0; j < n; j++) s += log ? gyd[gb + j] : (double) gyd[gb + j] * yd[yb + j];
            for (int j = 0; j < n; j++) {
                double yj = yd[yb + j];
                gxd[xb + j] = (float) (log ? gyd[gb + j] - Math.exp(yj) * s : yj * (gyd[gb + j] - s));
            }
        }
    }
}
