package clp4j.engine.backend;

import clp4j.engine.tensor.Tensor;

import java.util.Arrays;

/** Reference cross-entropy, RMS norm, embedding and permute. */
final class RefModelOps {
    private RefModelOps() { }

    private static double logSumExp(float[] d, int base, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) max = Math.max(max, d[base + j]);
        if (max == Double.NEGATIVE_INFINITY) return max;
        double s = 0;
        for (int j = 0; j < n; j++) s += Math.exp(d[base + j] - max);
        return max + Math.log(s);
    }

    static void crossEntropy(Tensor logits, int[] targets, int ignoreIndex, Tensor nll) {
        OpChecks.targets("crossEntropy", logits, targets, ignoreIndex);
        Checks.rowsVector("crossEntropy", "nll", nll, targets.length);
        int v = logits.dim(-1);
        float[] ld = CpuStorage.of(logits), nd = CpuStorage.of(nll);
        int lo = CpuStorage.offset(logits), no = CpuStorage.offset(nll);
        for (int r = 0; r < targets.length; r++) {
            int base = lo + r * v;
            nd[no + r] = targets[r] == ignoreIndex ? 0f : (float) (logSumExp(ld, base, v) - ld[base + targets[r]]);
        }
    }

    static void crossEntropyBackward(Tensor logits, int[] targets, int ignoreIndex, Tensor gNll, Tensor gLogits) {
        OpChecks.targets("crossEntropyBackward", logits, targets, ignoreIndex);
        Checks.rowsVector("crossEntropyBackward", "gNll", gNll, targets.length);
        Checks.sameShape("crossEntropyBackward (logits, gLogits)", logits, gLogits);
        int v = logits.dim(-1);
        float[] ld = CpuStorage.of(logits), gd = CpuStorage.of(gNll), od = CpuStorage.of(gLogits);
        int lo = CpuStorage.offset(logits), go = CpuStorage.offset(gNll), oo = CpuStorage.offset(gLogits);
        for (int r = 0; r < targets.length; r++) {
            int base = lo + r * v, ob = oo + r * v;
            if (targets[r] == ignoreIndex) {
                Arrays.fill(od, ob, ob + v, 0f);
                continue;
            }
            double lse = logSumExp(ld, base, v);
            double g = gd[go + r];
            for (int j = 0; j < v; j++) {
                double p = Math.exp(ld[base + j] - lse);
                od[ob + j] = (float) (g * (p - (j == targets[r] ? 1 : 0)));
            }
        }
    }

    static void rmsNorm(Tensor x, Tensor w, float eps, Tensor y, Tensor rstd) {
        OpChecks.norm("rmsNorm", x, w, rstd);
        Checks.sameShape("rmsNorm (x, y)", x, y);
        int rows = x.rows(), n = x.dim(-1);
        float[] xd = CpuStorage.of(x), wd = CpuStorage.of(w), yd = CpuStorage.of(y), rd = CpuStorage.of(rstd);
        int xo = CpuStorage.offset(x), wo = CpuStorage.offset(w), yo = CpuStorage.offset(y), ro = CpuStorage.offset(rstd);
        for (int r = 0; r < rows; r++) {
            double ss = 0;
            for (int j = 0; j < n; j++) ss += (double) xd[xo + r * n + j] * xd[xo + r * n + j];
            double inv = 1.0 / Math.sqrt(ss / n + eps);
            rd[ro + r] = (float) inv;
            for (int j = 0; j < n; j++) yd[yo + r * n + j] = (float) (wd[wo + j] * (xd[xo + r * n + j] * inv));
        }
    }

    static void rmsNormBackward(Tensor x, Tensor w, Tensor rstd, Tensor gy, Tensor gx, Tensor gw) {
        OpChecks.norm("rmsNormBackward", x, w, rstd);
        Checks.sameShape("rmsNormBackward (x, gy)", x, gy);
        Checks.sameShape("rmsNormBackward (x, gx)", x, gx);
        Checks.sameNumel("rmsNormBackward (w, gw)", w, gw);
        int rows = x.rows(), n = x.dim(-1);
        float[] xd = CpuStorage.of(x), wd = CpuStorage.of(w), rd = CpuStorage.of(rstd);
        float[] gyd = CpuStorage.of(gy), gxd = CpuStorage.of(gx), gwd = CpuStorage.of(gw);
        int xo = CpuStorage.offset(x), wo = CpuStorage.offset(w), ro = CpuStorage.offset(rstd);
        int gyo = CpuStorage.offset(gy), gxo = CpuStorage.offset(gx), gwo = CpuStorage.offset(gw);
        double[] gwAcc = new double[n];
        for (int r = 0; r < rows; r++) {
            double inv = rd[ro + r];
            double dot = 0; // sum_k w_k g_k x_k
            for (int j = 0; j < n; j++) {
                double xj = xd[xo + r * n + j], gj = gyd[gyo + r * n + j];
                dot += wd[wo + j] * gj * xj;
                gwAcc[j] += gj * xj * inv;
            }
            // y_j = w_j x_j inv, inv = (mean(x^2) + eps)^-1/2, d inv / d x_k = -inv^3 x_k / n
            for (int j = 0; j < n; j++) {
                double xj = xd[xo + r * n + j];
                gxd[gxo + r * n + j] = (float) (inv * wd[wo + j] * gyd[gyo + r * n + j] - inv * inv * inv * xj * dot / n);
            }
        }
        for (int j = 0; j < n; j++) gwd[gwo + j] = (float) (gwd[gwo + j] + gwAcc[j]);
    }

    static void embeddingGather(Tensor table, int[] ids, Tensor out) {
        OpChecks.embedding("embeddingGather", table, ids, out);
        int d = table.dim(1);
        float[] td = CpuStorage.of(table), od = CpuStorage.of(out);
        int to = CpuStorage.offset(table), oo = CpuStorage.offset(out);
        for (int i = 0; i < ids.length; i++) System.arraycopy(td, to + ids[i] * d, od, oo + i * d, d);
    }

    static void embeddingScatterAdd(Tensor g, int[] ids, Tensor gTable) {
        OpChecks.embedding("embeddingScatterAdd", gTable, ids, g);
        int d = gTable.dim(1);
        float[] gd = CpuStorage.of(g), td = CpuStorage.of(gTable);
        int go = CpuStorage.offset(g), to = CpuStorage.offset(gTable);
        for (int i = 0; i < ids.length; i++) {
            for (int j = 0; j < d; j++) td[to + ids[i] * d + j] += gd[go + i * d + j];
        }
    }

    static void permute(Tensor x, int[] perm, Tensor out) {
        OpChecks.permute(x, perm, out);
        int[] xs = x.shape(), os = out.shape();
        long[] xStrides = new long[xs.length];
        long s = 1;
        for (int d = xs.length - 1; d >= 0; d--) { xStrides[d] = s; s *= xs[d]; }
        long[] srcStrides = new long[perm.length]; // stride in x of each out axis
        for (int i = 0; i < perm.length; i++) srcStrides[i] = xStrides[perm[i]];
        float[] xd = CpuStorage.of(x), od = CpuStorage.of(out);
        int xo = CpuStorage.offset(x), oo = CpuStorage.offset(out);
        for (int j = 0, n = out.size(); j < n; j++) od[oo + j] = xd[xo + (int) Broadcast.index(os, srcStrides, j)];
    }
}
