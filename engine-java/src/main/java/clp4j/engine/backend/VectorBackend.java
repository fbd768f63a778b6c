package clp4j.engine.backend;

import clp4j.engine.backend.vector.CpuThreadPool;
import clp4j.engine.backend.vector.ElementwiseKernels;
import clp4j.engine.backend.vector.LayoutKernels;
import clp4j.engine.backend.vector.NormKernels;
import clp4j.engine.backend.vector.OptimizerKernels;
import clp4j.engine.backend.vector.RowKernels;
import clp4j.engine.tensor.Tensor;

import java.util.Arrays;

/**
 * The fast CPU backend: JDK Vector API kernels (vector width from {@code -Dclp4j.vectorBits},
 * default the CPU's preferred width) on one thread pool that lives as long as the backend
 * ({@code -Dclp4j.threads}, default all processors). Tensors are {@link CpuStorage} float arrays.
 * Memory, GEMM, elementwise ops, reductions and softmax are in {@link VectorBackendCore}; this
 * class adds RMS norm, losses, embeddings, layout, dropout, CLP mixing and optimizer updates.
 */
public final class VectorBackend extends VectorBackendCore {
    /** Reused scratch for Adafactor's update direction (grows to the largest parameter). */
    private float[] updateScratch = new float[0];

    public VectorBackend() {
        this(CpuThreadPool.fromSettings());
    }

    public VectorBackend(CpuThreadPool pool) {
        super(pool);
    }

    // ------------------------------------------------------------------ normalisation

    @Override
    public void rmsNorm(Tensor x, Tensor w, float eps, Tensor y, Tensor rstd) {
        int d = lastDim(x);
        sameShape("rmsNorm output", x, y);
        checkLength("rmsNorm weight", w, d);
        checkLength("rmsNorm rstd", rstd, x.rows());
        float[] xs = data(x), ws = data(w), ys = data(y), rs = data(rstd);
        int xo = off(x), wo = off(w), yo = off(y), ro = off(rstd);
        pool.parallelRange(x.rows(), rowGrain(d), (from, to) -> {
            for (int r = from; r < to; r++) {
                rs[ro + r] = NormKernels.rmsNorm(xs, xo + r * d, ws, wo, eps, ys, yo + r * d, d);
            }
        });
    }

    @Override
    public void rmsNormBackward(Tensor x, Tensor w, Tensor rstd, Tensor gy, Tensor gx, Tensor gw) {
        int d = lastDim(x);
        sameShape("rmsNormBackward gy", x, gy);
        sameShape("rmsNormBackward gx", x, gx);
        checkLength("rmsNormBackward weight", w, d);
        checkLength("rmsNormBackward gw", gw, d);
        checkLength("rmsNormBackward rstd", rstd, x.rows());
        float[] xs = data(x), ws = data(w), rs = data(rstd), g = data(gy), o = data(gx), gws = data(gw);
        int xo = off(x), wo = off(w), ro = off(rstd), go = off(gy), oo = off(gx), gwo = off(gw);
        pool.parallelRange(x.rows(), rowGrain(d), (from, to) -> {
            for (int r = from; r < to; r++) {
                NormKernels.rmsNormBackwardX(xs, xo + r * d, ws, wo, rs[ro + r], g, go + r * d, o, oo + r * d, d);
            }
        });
        // the weight gradient sums over rows: one pass on this thread, no per-thread partials
        for (int r = 0, rows = x.rows(); r < rows; r++) {
            NormKernels.rmsNormBackwardW(xs, xo + r * d, rs[ro + r], g, go + r * d, gws, gwo, d);
        }
    }

    // ------------------------------------------------------------------ losses

    @Override
    public void crossEntropy(Tensor logits, int[] targets, int ignoreIndex, Tensor nll) {
        int v = checkTargets("crossEntropy", logits, targets, ignoreIndex);
        checkLength("crossEntropy nll", nll, targets.length);
        float[] x = data(logits), o = data(nll);
        int xo = off(logits), oo = off(nll);
        pool.parallelRange(targets.length, rowGrain(v), (from, to) -> {
            for (int r = from; r < to; r++) {
                int t = targets[r];
                o[oo + r] = t == ignoreIndex ? 0f : RowKernels.logSumExp(x, xo + r * v, v) - x[xo + r * v + t];
            }
        });
    }

    @Override
    public void crossEntropyBackward(Tensor logits, int[] targets, int ignoreIndex, Tensor gNll, Tensor gLogits) {
        int v = checkTargets("crossEntropyBackward", logits, targets, ignoreIndex);
        checkLength("crossEntropyBackward gNll", gNll, targets.length);
        sameShape("crossEntropyBackward gLogits", logits, gLogits);
        float[] x = data(logits), g = data(gNll), o = data(gLogits);
        int xo = off(logits), go = off(gNll), oo = off(gLogits);
        pool.parallelRange(targets.length, rowGrain(v), (from, to) -> {
            for (int r = from; r < to; r++) {
                int t = targets[r];
                if (t == ignoreIndex) Arrays.fill(o, oo + r * v, oo + (r + 1) * v, 0f);
                else RowKernels.crossEntropyBackward(x, xo + r * v, t, g[go + r], o, oo + r * v, v);
            }
        });
    }

    private static int checkTargets(String what, Tensor logits, int[] targets, int ignoreIndex) {
        if (logits.rank() != 2 || logits.dim(0) != targets.length) {
            throw new IllegalArgumentException(what + ": logits " + Arrays.toString(logits.shape()) + " should be [rows, V] with rows = "
                    + targets.length + " targets");
        }
        int v = logits.dim(1);
        for (int r = 0; r < targets.length; r++) {
            int t = targets[r];
            if (t != ignoreIndex && (t < 0 || t >= v)) {
                throw new IllegalArgumentException(what + ": target " + t + " at row " + r + " is outside [0, " + v
                        + ") and is not the ignore index " + ignoreIndex);
            }
        }
        return v;
    }

    // ------------------------------------------------------------------ embeddings and layout

    @Override
    public void embeddingGather(Tensor table, int[] ids, Tensor out) {
        int d = checkEmbedding("embeddingGather", table, ids, out);
        float[] t = data(table), o = data(out);
        int to = off(table), oo = off(out);
        pool.parallelRange(ids.length, rowGrain(d), (from, end) -> {
            for (int i = from; i < end; i++) System.arraycopy(t, to + ids[i] * d, o, oo + i * d, d);
        });
    }

    @Override
    public void embeddingScatterAdd(Tensor g, int[] ids, Tensor gTable) {
        int d = checkEmbedding("embeddingScatterAdd", gTable, ids, g);
        float[] gs = data(g), t = data(gTable);
        int go = off(g), to = off(gTable);
        // repeated ids add into the same row, so this stays on one thread
        for (int i = 0; i < ids.length; i++) ElementwiseKernels.axpy(1f, gs, go + i * d, t, to + ids[i] * d, d);
    }

    private static int checkEmbedding(String what, Tensor table, int[] ids, Tensor rows) {
        if (table.rank() != 2) throw new IllegalArgumentException(what + ": table " + Arrays.toString(table.shape()) + " should be [V, D]");
        int v = table.dim(0), d = table.dim(1);
        if (rows.numel() != (long) ids.length * d) {
            throw new IllegalArgumentException(what + ": rows tensor " + Arrays.toString(rows.shape()) + " should be ["
                    + ids.length + ", " + d + "]");
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= v) {
                throw new IllegalArgumentException(what + ": id " + ids[i] + " at index " + i + " is outside the table's "
                        + v + " rows");
            }
        }
        return d;
    }

    @Override
    public void permute(Tensor x, int[] perm, Tensor out) {
        int r = x.rank();
        int[] shape = x.shape();
        boolean[] seen = new boolean[r];
        int[] expect = new int[r];
        if (perm.length != r) throw badPerm(x, perm);
        for (int i = 0; i < r; i++) {
            if (perm[i] < 0 || perm[i] >= r || seen[perm[i]]) throw badPerm(x, perm);
            seen[perm[i]] = true;
            expect[i] = shape[perm[i]];
        }
        if (!Arrays.equals(expect, out.shape())) {
            throw new IllegalArgumentException("permute " + Arrays.toString(perm) + " of " + Arrays.toString(shape)
                    + ": output shape " + Arrays.toString(out.shape()) + " should be " + Arrays.toString(expect));
        }
        float[] xs = data(x), o = data(out);
        int xo = off(x), oo = off(out);
        if (r == 0 || x.numel() == 0) {
            if (r == 0) o[oo] = xs[xo];
            return;
        }
        pool.parallelRange(out.rows(), rowGrain(expect[r - 1]), (from, to) ->
                LayoutKernels.permuteRows(xs, xo, shape, perm, o, oo, from, to));
    }

    private static IllegalArgumentException badPerm(Tensor x, int[] perm) {
        return new IllegalArgumentException("permute: " + Arrays.toString(perm) + " is not a permutation of the "
                + x.rank() + " axes of " + Arrays.toString(x.shape()));
    }

    @Override
    public void dropout(Tensor x, float p, long seed, Tensor out) {
        if (!(p >= 0f && p <= 1f)) throw new IllegalArgumentException("dropout: probability " + p + " is outside [0, 1]");
        sameCount("dropout", x, out);
        float[] xs = data(x), o = data(out);
        int xo = off(x), oo = off(out);
        pool.parallelRange(x.size(), GRAIN / 4, (from, to) -> ElementwiseKernels.dropout(xs, xo, o, oo, p, seed, from, to));
    }

    // ------------------------------------------------------------------ CLP parameter mixing

    @Override
    public void mix(Tensor[] xs, float[] w, float beta, Tensor ref, Tensor out) {
        if (xs.length != w.length) {
            throw new IllegalArgumentException("mix: " + xs.length + " tensors but " + w.length + " weights");
        }
        float[][] arrays = new float[xs.length][];
        int[] offs = new int[xs.length];
        for (int i = 0; i < xs.length; i++) {
            sameCount("mix replica " + i, out, xs[i]);
            arrays[i] = data(xs[i]);
            offs[i] = off(xs[i]);
        }
        if (ref != null) sameCount("mix ref", out, ref);
        float[] rs = ref == null ? null : data(ref), o = data(out);
        int ro = ref == null ? 0 : off(ref), oo = off(out);
        pool.parallelRange(out.size(), GRAIN, (from, to) ->
                OptimizerKernels.mix(arrays, offs, w, beta, rs, ro, o, oo, from, to));
    }

    @Override
    public void mixBackward(Tensor gOut, float[] w, float beta, Tensor[] gxs) {
        if (gxs.length != w.length) {
            throw new IllegalArgumentException("mixBackward: " + gxs.length + " gradients but " + w.length + " weights");
        }
        for (int i = 0; i < gxs.length; i++) axpy((1f - beta) * w[i], gOut, gxs[i]);
    }

    // ------------------------------------------------------------------ optimizer updates

    @Override
    public void adamwUpdate(Tensor p, Tensor g, Tensor m, Tensor v, AdamWParams h) {
        sameShape("adamwUpdate gradient", p, g);
        sameShape("adamwUpdate first moment", p, m);
        sameShape("adamwUpdate second moment", p, v);
        if (h.step() < 1) throw new IllegalArgumentException("adamwUpdate: step " + h.step() + " should start at 1");
        float bc1 = (float) (1 - Math.pow(h.beta1(), h.step()));
        float bc2 = (float) (1 - Math.pow(h.beta2(), h.step()));
        float[] ps = data(p), gs = data(g), ms = data(m), vs = data(v);
        int po = off(p), go = off(g), mo = off(m), vo = off(v);
        pool.parallelRange(p.size(), GRAIN, (from, to) -> OptimizerKernels.adamw(ps, po, gs, go, ms, mo, vs, vo,
                h.learningRate(), h.beta1(), h.beta2(), h.epsilon(), h.weightDecay(), bc1, bc2, from, to));
    }

    @Override
    public synchronized void adafactorUpdate(Tensor p, Tensor g, Tensor vRow, Tensor vCol, Tensor v, AdafactorParams h) {
        sameShape("adafactorUpdate gradient", p, g);
        int n = p.size();
        float[] ps = data(p), gs = data(g);
        int po = off(p), go = off(g);
        float scale = h.learningRate();
        if (h.scaleParameter()) {
            float rms = (float) Math.sqrt(OptimizerKernels.sumSquares(ps, po, n) / Math.max(n, 1));
            scale *= Math.max(h.epsilon2(), rms);
        }
        if (updateScratch.length < n) updateScratch = new float[n];
        float[] u = updateScratch;
        double sumU2;
        if (v == null) {
            if (vRow == null || vCol == null || p.rank() < 2) {
                throw new IllegalArgumentException("adafactorUpdate: give either v (p's shape) or both vRow and vCol for a"
                        + " parameter of rank >= 2; got p " + Arrays.toString(p.shape()));
            }
            int rows = p.dim(-2), cols = p.dim(-1), slices = n / Math.max(rows * cols, 1);
            checkLength("adafactorUpdate vRow", vRow, slices * rows);
            checkLength("adafactorUpdate vCol", vCol, slices * cols);
            float[] vr = data(vRow), vc = data(vCol);
            float[] colScratch = new float[cols];
            sumU2 = 0;
            for (int s = 0; s < slices; s++) {
                sumU2 += OptimizerKernels.adafactorFactored(gs, go + s * rows * cols, rows, cols, vr, off(vRow) + s * rows,
                        vc, off(vCol) + s * cols, h.decay(), h.epsilon1(), u, s * rows * cols, colScratch);
            }
        } else {
            sameShape("adafactorUpdate second moment", p, v);
            sumU2 = OptimizerKernels.adafactorUnfactored(gs, go, data(v), off(v), h.decay(), h.epsilon1(), u, 0, n);
        }
        float step = scale;
        if (h.clipThreshold() > 0f) {
            double rmsU = Math.sqrt(sumU2 / Math.max(n, 1));
            step /= (float) Math.max(1.0, rmsU / h.clipThreshold());
        }
        float decay = 1f - h.learningRate() * h.weightDecay();
        float stepF = step;
        pool.parallelRange(n, GRAIN, (from, to) -> OptimizerKernels.applyUpdate(ps, po + from, u, from, stepF, decay, to - from));
    }
}
