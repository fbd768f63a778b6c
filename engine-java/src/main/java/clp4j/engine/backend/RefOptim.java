package clp4j.engine.backend;

import clp4j.engine.tensor.Tensor;

/** Reference optimizer steps (AdamW, T5X Adafactor), in double per element. */
final class RefOptim {
    private RefOptim() { }

    static void adamw(Tensor p, Tensor g, Tensor m, Tensor v, AdamWParams a) {
        Checks.sameNumel("adamwUpdate (p, g)", p, g);
        Checks.sameNumel("adamwUpdate (p, m)", p, m);
        Checks.sameNumel("adamwUpdate (p, v)", p, v);
        Checks.require(a.step() >= 1, "adamwUpdate: step must be >= 1 (1-based, for bias correction), got " + a.step());
        float[] pd = CpuStorage.of(p), gd = CpuStorage.of(g), md = CpuStorage.of(m), vd = CpuStorage.of(v);
        int po = CpuStorage.offset(p), go = CpuStorage.offset(g), mo = CpuStorage.offset(m), vo = CpuStorage.offset(v);
        double b1 = a.beta1(), b2 = a.beta2(), lr = a.learningRate();
        double bc1 = 1 - Math.pow(b1, a.step()), bc2 = 1 - Math.pow(b2, a.step());
        for (int j = 0, n = p.size(); j < n; j++) {
            double gj = gd[go + j];
            float mj = (float) (b1 * md[mo + j] + (1 - b1) * gj);
            float vj = (float) (b2 * vd[vo + j] + (1 - b2) * gj * gj);
            md[mo + j] = mj;
            vd[vo + j] = vj;
            double pj = pd[po + j];
            pj -= lr * a.weightDecay() * pj;
            pj -= lr * (mj / bc1) / (Math.sqrt(vj / bc2) + a.epsilon());
            pd[po + j] = (float) pj;
        }
    }

    static void adafactor(Tensor p, Tensor g, Tensor vRow, Tensor vCol, Tensor v, AdafactorParams a) {
        Checks.sameShape("adafactorUpdate (p, g)", p, g);
        int n = p.size();
        float[] pd = CpuStorage.of(p), gd = CpuStorage.of(g);
        int po = CpuStorage.offset(p), go = CpuStorage.offset(g);
        double decay = a.decay(), mixing = 1.0 - a.decay();
        double[] y = new double[n];
        if (v == null) {
            Checks.require(vRow != null && vCol != null, "adafactorUpdate: give either v, or both vRow and vCol");
            factored(p, g, vRow, vCol, a, y);
        } else {
            Checks.require(vRow == null && vCol == null, "adafactorUpdate: give either v, or both vRow and vCol, not both");
            Checks.sameShape("adafactorUpdate (p, v)", p, v);
            float[] vd = CpuStorage.of(v);
            int vo = CpuStorage.offset(v);
            for (int j = 0; j < n; j++) {
                double gj = gd[go + j];
                float vj = (float) (decay * vd[vo + j] + mixing * (gj * gj + a.epsilon1()));
                vd[vo + j] = vj;
                y[j] = gj / Math.sqrt(vj);
            }
        }
        if (a.clipThreshold() > 0) {
            double denom = Math.max(1.0, rms(y) / a.clipThreshold());
            for (int j = 0; j < n; j++) y[j] /= denom;
        }
        double scale = a.learningRate();
        if (a.scaleParameter()) {
            double ss = 0;
            for (int j = 0; j < n; j++) ss += (double) pd[po + j] * pd[po + j];
            scale *= Math.max(n == 0 ? 0 : Math.sqrt(ss / n), a.epsilon2());
        }
        double decayStep = (double) a.learningRate() * a.weightDecay();
        for (int j = 0; j < n; j++) {
            double old = pd[po + j];
            pd[po + j] = (float) (old - scale * y[j] - decayStep * old);
        }
    }

    /** Updates vRow and vCol and writes the unclipped step direction into y. */
    private static void factored(Tensor p, Tensor g, Tensor vRow, Tensor vCol, AdafactorParams a, double[] y) {
        OpChecks.factoredMoments(p, vRow, vCol);
        int[] ps = p.shape();
        int rowsR = ps[ps.length - 2], cols = ps[ps.length - 1];
        float[] gd = CpuStorage.of(g), rd = CpuStorage.of(vRow), cd = CpuStorage.of(vCol);
        int go = CpuStorage.offset(g), ro = CpuStorage.offset(vRow), co = CpuStorage.offset(vCol);
        double decay = a.decay(), mixing = 1.0 - a.decay(), eps1 = a.epsilon1();
        int batch = rowsR * cols == 0 ? 0 : p.size() / (rowsR * cols);
        for (int b = 0; b < batch; b++) {
            int gBase = go + b * rowsR * cols;
            double[] colSum = new double[cols];
            double rowMeanSum = 0;
            for (int r = 0; r < rowsR; r++) {
                double rowSum = 0;
                for (int c = 0; c < cols; c++) {
                    double gj = gd[gBase + r * cols + c];
                    double gsq = gj * gj + eps1;
                    rowSum += gsq;
                    colSum[c] += gsq;
                }
                int ri = ro + b * rowsR + r;
                float vr = (float) (decay * rd[ri] + mixing * (rowSum / cols));
                rd[ri] = vr;
                rowMeanSum += vr;
            }
            for (int c = 0; c < cols; c++) {
                int ci = co + b * cols + c;
                cd[ci] = (float) (decay * cd[ci] + mixing * (colSum[c] / rowsR));
            }
            double rowColMean = rowMeanSum / rowsR;
            for (int r = 0; r < rowsR; r++) {
                double rowFactor = 1.0 / Math.sqrt(rd[ro + b * rowsR + r] / rowColMean);
                for (int c = 0; c < cols; c++) {
                    int j = b * rowsR * cols + r * cols + c;
                    y[j] = gd[go + j] * rowFactor / Math.sqrt(cd[co + b * cols + c]);
                }
            }
        }
    }

    private static double rms(double[] y) {
        if (y.length == 0) return 0;
        double s = 0;
        for (double d : y) s += d * d;
        return Math.sqrt(s / y.length);
    }
}
