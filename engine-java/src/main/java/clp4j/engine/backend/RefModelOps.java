package clp4j.engine.backend;

import clp4j.engine.tensor.Tensor;

import java.util.Arrays;

/** Reference cross-entropy, RMS norm, embedding and permute. */
final class RefModelOps {
    private RefModelOps() { }

    private static void checkTargets(String op, Tensor logits, int[] targets, int ignoreIndex) {
        Checks.require(logits.rank() >= 1, op + ": logits must have rank >= 1");
        Checks.require(targets.length == logits.rows(), op + ": " + targets.length + " targets for logits of shape "
                + Arrays.toString(logits.shape()) + " (" + logits.rows() + " rows)");
        int v = logits.dim(-1);
        for (int r = 0; r < targets.length; r++) {
            int t = targets[r];
            if (t != ignoreIndex && (t < 0 || t >= v)) {
                throw new IllegalArgumentException(op + ": target " + t + " at row " + r + " is outside the vocabulary [0, "
                        + v + ") and is not the ignore index " + ignoreIndex);
            }
        }
    }

    private static double logSumExp(float[] d, int base, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) max = Math.max(max, d[base + j]);
        if (max == Double.NEGATIVE_INFINITY) return max;
        double s = 0;
        for (int j = 0; j < n; j++) s += Math.exp(d[base + j] - max);
        return max + Math.log(s);
    }

    static void crossEntropy(Tensor logits, int[] targets, int ignoreIndex, Tensor nll) {
        checkTargets("crossEntropy", logits, targets, ignoreIndex);
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
        checkTargets("crossEntropyBackward", logits, targets, ignoreIndex);
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

    private static void checkNorm(String op, Tensor x, Tensor w, Tensor rstd) {
        Checks.require(w.numel() == x.dim(-1), op + ": weight of shape " + Arrays.toString(w.shape())
                + " does not match the last dimension of x " + Arrays.toString(x.shape()));
        Checks.rowsVector(op, "rstd", rstd, x.rows());
    }

    static void rmsNorm(Tensor x, Tensor w, float eps, Tensor y, Tensor rstd) {
        checkNorm("rmsNorm", x, w, rstd);
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
        checkNorm("rmsNormBackward", x, w, rstd);
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

    private static void checkEmbedding(String op, Tensor table, int[] ids, Tensor rowsTensor) {
        Checks.require(table.rank() == 2, op + ": table must be [V, D], got " + Arrays.toString(table.shape()));
        Checks.require(rowsTensor.rank() == 2 && rowsTensor.dim(0) == ids.length && rowsTensor.dim(1) == table.dim(1),
                op + ": expected [" + ids.length + ", " + table.dim(1) + "] for " + ids.length + " ids, got "
                        + Arrays.toString(rowsTensor.shape()));
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= table.dim(0)) {
                throw new IllegalArgumentException(op + ": id " + ids[i] + " at index " + i + " is outside the table's "
                        + table.dim(0) + " rows");
            }
        }
    }

    static void embeddingGather(Tensor table, int[] ids, Tensor out) {
        checkEmbedding("embeddingGather", table, ids, out);
        int d = table.dim(1);
        float[] td = CpuStorage.of(table), od = CpuStorage.of(out);
        int to = CpuStorage.offset(table), oo = CpuStorage.offset(out);
        for (int i = 0; i < ids.length; i++) System.arraycopy(td, to + ids[i] * d, od, oo + i * d, d);
    }

    static void embeddingScatterAdd(Tensor g, int[] ids, Tensor gTable) {
        checkEmbedding("embeddingScatterAdd", gTable, ids, g);
        int d = gTable.dim(1);
        float[] gd = CpuStorage.of(g), td = CpuStorage.of(gTable);
        int go = CpuStorage.offset(g), to = CpuStorage.offset(gTable);
        for (int i = 0; i < ids.length; i++) {
            for (int j = 0; j < d; j++) td[to + ids[i] * d + j] += gd[go + i * d + j];
        }
    }

    static void permute(Tensor x, int[] perm, Tensor out) {
        int[] xs = x.shape(), os = out.shape();
        Checks.require(perm.length == xs.length, "permute: perm " + Arrays.toString(perm) + " does not match rank "
                + xs.length + " of " + Arrays.toString(xs));
        boolean[] seen = new boolean[perm.length];
        for (int p : perm) {
            Checks.require(p >= 0 && p < perm.length && !seen[p], "permute: " + Arrays.toString(perm) + " is not a permutation");
            seen[p] = true;
        }
        int[] want = new int[perm.length];
        for (int i = 0; i < perm.length; i++) want[i] = xs[perm[i]];
        Checks.require(Arrays.equals(want, os), "permute: out must be " + Arrays.toString(want) + ", got " + Arrays.toString(os));
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
