package clp4j.nativ.cuda.lab;

import clp4j.engine.backend.AdafactorParams;
import clp4j.engine.backend.AdamWParams;
import clp4j.engine.backend.Backend;
import clp4j.engine.backend.BinaryOp;
import clp4j.engine.backend.ReduceOp;
import clp4j.engine.backend.UnaryOp;
import clp4j.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every op of the CUDA backend as a lab case, at a check size (odd sizes, tails, broadcasts) or a
 * bench size (T5-large shapes: d_model 1024, d_ff 2816, vocab 32128, 16 heads, batch 8 x 512 tokens).
 */
public final class LabCases {
    private LabCases() { }

    /** flan-t5-large parameter count: the "whole model" the CLP mixing op runs over. */
    public static final int WHOLE_MODEL = 783_150_080;
    /** q, k, v, o of one T5-large attention layer. */
    public static final int ATTENTION = 4 * 1024 * 1024;

    private static final long F = Float.BYTES;

    public static List<LabCase> all(boolean bench) {
        List<LabCase> out = new ArrayList<>();
        int tokens = bench ? 4096 : 7, dModel = bench ? 1024 : 300, dFf = bench ? 2816 : 301, vocab = bench ? 32128 : 1000;
        int heads = bench ? 128 : 6, seq = bench ? 512 : 37;   // heads = batch 8 x 16 heads
        mixCases(out, bench ? ATTENTION : 4099, "attention", bench);
        if (bench) mixCases(out, WHOLE_MODEL, "whole model", true);

        long attn = (long) heads * seq * seq;
        out.add(rows("softmax (attention, key mask)", heads * seq, seq, 2 * attn * F, (b, in) -> {
            Tensor x = in.t(b, heads / 2, 2, seq, seq), mask = in.t(b, heads / 2, 1, 1, seq), y = b.zeros(x.shape());
            return inst(() -> b.softmax(x, mask, y), y);
        }));
        out.add(rows("softmax (vocab)", tokens, vocab, 2L * tokens * vocab * F, (b, in) -> {
            Tensor x = in.t(b, tokens, vocab), y = b.zeros(tokens, vocab);
            return inst(() -> b.softmax(x, null, y), y);
        }));
        out.add(rows("logSoftmax (attention, causal-like mask)", heads * seq, seq, 2 * attn * F, (b, in) -> {
            Tensor x = in.t(b, heads, seq, seq), mask = in.t(b, seq, seq), y = b.zeros(x.shape());
            return inst(() -> b.logSoftmax(x, mask, y), y);
        }));
        out.add(rows("softmaxBackward (attention)", heads * seq, seq, 3 * attn * F, (b, in) -> {
            Tensor y = in.positive(b, heads * seq, seq), gy = in.t(b, heads * seq, seq), gx = b.zeros(heads * seq, seq);
            return inst(() -> b.softmaxBackward(y, gy, gx), gx);
        }));
        out.add(rows("logSoftmaxBackward (vocab)", tokens, vocab, 3L * tokens * vocab * F, (b, in) -> {
            Tensor y = in.t(b, tokens, vocab), gy = in.t(b, tokens, vocab), gx = b.zeros(tokens, vocab);
            return inst(() -> b.logSoftmaxBackward(y, gy, gx), gx);
        }));
        out.add(rows("crossEntropy", tokens, vocab, (long) tokens * vocab * F, (b, in) -> {
            Tensor x = in.t(b, tokens, vocab), nll = b.zeros(tokens);
            int[] t = targets(in, tokens, vocab);
            return inst(() -> b.crossEntropy(x, t, -100, nll), nll);
        }));
        out.add(rows("crossEntropyBackward", tokens, vocab, 2L * tokens * vocab * F, (b, in) -> {
            Tensor x = in.t(b, tokens, vocab), g = in.t(b, tokens), gx = b.zeros(tokens, vocab);
            int[] t = targets(in, tokens, vocab);
            return inst(() -> b.crossEntropyBackward(x, t, -100, g, gx), gx);
        }));
        long td = (long) tokens * dModel;
        out.add(rows("rmsNorm", tokens, dModel, 2 * td * F, (b, in) -> {
            Tensor x = in.t(b, tokens, dModel), w = in.t(b, dModel), y = b.zeros(tokens, dModel), r = b.zeros(tokens);
            return inst(() -> b.rmsNorm(x, w, 1e-6f, y, r), y, r);
        }));
        out.add(rows("rmsNormBackward (gx, gw accumulated)", tokens, dModel, 3 * td * F, (b, in) -> {
            Tensor x = in.t(b, tokens, dModel), w = in.t(b, dModel), r = in.positive(b, tokens), gy = in.t(b, tokens, dModel);
            Tensor gx = b.zeros(tokens, dModel), gw = b.zeros(dModel);
            return inst(() -> b.rmsNormBackward(x, w, r, gy, gx, gw), gx, gw);
        }));
        long tf = (long) tokens * dFf;
        for (UnaryOp op : UnaryOp.values()) {
            out.add(elem("unary " + op, tokens + " x " + dFf, 2 * tf * F, (b, in) -> {
                Tensor x = op == UnaryOp.LOG ? in.positive(b, tokens, dFf) : in.t(b, tokens, dFf), y = b.zeros(tokens, dFf);
                return inst(() -> b.unary(op, x, y), y);
            }));
            out.add(elem("unaryBackward " + op, tokens + " x " + dFf, 3 * tf * F, (b, in) -> {
                Tensor x = in.positive(b, tokens, dFf), gy = in.t(b, tokens, dFf), gx = b.zeros(tokens, dFf);
                Tensor y = b.zeros(tokens, dFf);
                b.unary(op, x, y);
                return inst(() -> b.unaryBackward(op, x, y, gy, gx), gx);
            }));
        }
        out.add(elem("binary ADD (same shape)", tokens + " x " + dModel, 3 * td * F, (b, in) -> {
            Tensor x = in.t(b, tokens, dModel), z = in.t(b, tokens, dModel), y = b.zeros(tokens, dModel);
            return inst(() -> b.binary(BinaryOp.ADD, x, z, y), y);
        }));
        out.add(elem("binary MUL (broadcast [D])", tokens + " x " + dModel, 2 * td * F, (b, in) -> {
            Tensor x = in.t(b, 2, tokens, dModel), z = in.t(b, dModel), y = b.zeros(2, tokens, dModel);
            return inst(() -> b.binary(BinaryOp.MUL, x, z, y), y);
        }));
        out.add(elem("binary DIV (broadcast [rows, 1])", tokens + " x " + dModel, 2 * td * F, (b, in) -> {
            Tensor x = in.t(b, tokens, dModel), z = in.positive(b, tokens, 1), y = b.zeros(tokens, dModel);
            return inst(() -> b.binary(BinaryOp.DIV, x, z, y), y);
        }));
        out.add(elem("sumToShape -> [D]", tokens + " x " + dModel, td * F, (b, in) -> {
            Tensor g = in.t(b, tokens, dModel), y = b.zeros(dModel);
            return inst(() -> b.sumToShape(g, y), y);
        }));
        int tallRows = bench ? 8 * tokens : 200, tallD = bench ? dModel : 40;   // reduced range split into chunks
        out.add(elem("sumToShape [N, D] -> [D] (tall)", tallRows + " x " + tallD, (long) tallRows * tallD * F, (b, in) -> {
            Tensor g = in.t(b, tallRows, tallD), y = b.zeros(tallD);
            return inst(() -> b.sumToShape(g, y), y);
        }));
        out.add(elem("sumToShape -> [1]", tokens + " x " + dModel, td * F, (b, in) -> {
            Tensor g = in.t(b, tokens, dModel), y = b.zeros(1);
            return inst(() -> b.sumToShape(g, y), y);
        }));
        for (ReduceOp op : ReduceOp.values()) {
            out.add(rows("reduceLast " + op, heads * seq, seq, attn * F, (b, in) -> {
                Tensor x = in.t(b, heads * seq, seq), y = b.zeros(heads * seq, 1);
                return inst(() -> b.reduceLast(op, x, y), y);
            }));
            out.add(rows("reduceLastBackward " + op, heads * seq, seq, 2 * attn * F, (b, in) -> {
                Tensor x = in.t(b, heads * seq, seq), y = b.zeros(heads * seq, 1), gy = in.t(b, heads * seq, 1);
                Tensor gx = b.zeros(heads * seq, seq);
                b.reduceLast(op, x, y);
                return inst(() -> b.reduceLastBackward(op, x, y, gy, gx), gx);
            }));
        }
        out.add(elem("embeddingGather", tokens + " ids, " + vocab + " x " + dModel, 2 * td * F, (b, in) -> {
            Tensor table = in.t(b, vocab, dModel), y = b.zeros(tokens, dModel);
            int[] ids = in.ids(tokens, vocab);
            return inst(() -> b.embeddingGather(table, ids, y), y);
        }));
        out.add(elem("embeddingScatterAdd", tokens + " ids, " + vocab + " x " + dModel, 3 * td * F, (b, in) -> {
            Tensor g = in.t(b, tokens, dModel), table = b.zeros(vocab, dModel);
            int[] ids = in.ids(tokens, Math.max(1, vocab / 8));   // repeated ids exercise the atomics
            return inst(() -> b.embeddingScatterAdd(g, ids, table), table);
        }));
        int bh = heads / 2;
        out.add(elem("permute [B,T,H,Dh] -> [B,H,T,Dh]", bh + "x" + seq + "x2x" + (dModel / 16), 2L * bh * seq * 2 * (dModel / 16) * F, (b, in) -> {
            Tensor x = in.t(b, bh, seq, 2, dModel / 16), y = b.zeros(bh, 2, seq, dModel / 16);
            return inst(() -> b.permute(x, new int[] {0, 2, 1, 3}, y), y);
        }));
        out.add(elem("dropout p=0.1", tokens + " x " + dModel, 2 * td * F, (b, in) -> {
            Tensor x = in.t(b, tokens, dModel), y = b.zeros(tokens, dModel);
            return inst(() -> b.dropout(x, 0.1f, 0x5EEDL, y), y);
        }));
        out.add(elem("scale", tokens + " x " + dModel, 2 * td * F, (b, in) -> {
            Tensor x = in.t(b, tokens, dModel), y = b.zeros(tokens, dModel);
            return inst(() -> b.scale(x, 0.7f, y), y);
        }));
        out.add(elem("axpy", tokens + " x " + dModel, 3 * td * F, (b, in) -> {
            Tensor x = in.t(b, tokens, dModel), y = in.t(b, tokens, dModel);
            return inst(() -> b.axpy(0.3f, x, y), y);
        }));
        int pn = bench ? vocab * dModel : 1001;
        out.add(elem("adamwUpdate", pn + " params", 7L * pn * F, (b, in) -> {
            Tensor p = in.t(b, pn), g = in.t(b, pn), m = in.t(b, pn), v = in.positive(b, pn);
            return inst(() -> b.adamwUpdate(p, g, m, v, new AdamWParams(1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, 5)), p, m, v);
        }));
        AdafactorParams ap = new AdafactorParams(1e-2f, 0.8f, 1e-30f, 1e-3f, 1f, true, 0.01f);
        int rowsF = bench ? dFf : 17, batchF = bench ? 1 : 3;
        long fn = (long) batchF * rowsF * dModel;
        out.add(elem("adafactorUpdate (factored)", batchF + "x" + rowsF + "x" + dModel, 6 * fn * F, (b, in) -> {
            Tensor p = in.t(b, batchF, rowsF, dModel), g = in.t(b, batchF, rowsF, dModel);
            Tensor vr = in.positive(b, batchF, rowsF), vc = in.positive(b, batchF, dModel);
            return inst(() -> b.adafactorUpdate(p, g, vr, vc, null, ap), p, vr, vc);
        }));
        out.add(elem("adafactorUpdate (unfactored)", String.valueOf(fn), 7 * fn * F, (b, in) -> {
            Tensor p = in.t(b, (int) fn), g = in.t(b, (int) fn), v = in.positive(b, (int) fn);
            return inst(() -> b.adafactorUpdate(p, g, null, null, v, ap), p, v);
        }));
        GemmCases.add(out, bench, tokens, dModel, dFf, heads, seq);
        return out;
    }

    private static void mixCases(List<LabCase> out, int n, String what, boolean bench) {
        for (int m = 2; m <= 3; m++) {
            int mm = m;
            out.add(new LabCase("mix m=" + m + " (" + what + ")", n + " floats", (long) (m + 2) * n * F, 0, false, (b, in) -> {
                Tensor[] xs = new Tensor[mm];
                for (int i = 0; i < mm; i++) xs[i] = in.t(b, n);
                Tensor ref = in.t(b, n), y = b.zeros(n);
                float[] w = mm == 2 ? new float[] {0.3f, 0.7f} : new float[] {0.2f, 0.3f, 0.5f};
                return inst(() -> b.mix(xs, w, 0.25f, ref, y), y);
            }));
            if (bench && n == WHOLE_MODEL) continue;
            out.add(new LabCase("mixBackward m=" + m + " (" + what + ")", n + " floats", (long) (2 * m + 1) * n * F, 0, false, (b, in) -> {
                Tensor g = in.t(b, n);
                Tensor[] gx = new Tensor[mm];
                for (int i = 0; i < mm; i++) gx[i] = in.t(b, n);
                float[] w = mm == 2 ? new float[] {0.3f, 0.7f} : new float[] {0.2f, 0.3f, 0.5f};
                return inst(() -> b.mixBackward(g, w, 0.25f, gx), gx);
            }));
        }
    }

    private static int[] targets(LabCase.Init in, int rows, int vocab) {
        int[] t = in.ids(rows, vocab);
        t[rows / 2] = -100;   // one ignored row
        return t;
    }

    static LabCase rows(String name, int rows, int len, long bytes, LabCase.Factory f) {
        return new LabCase(name, rows + " rows x " + len, bytes, 0, false, f);
    }

    static LabCase elem(String name, String shape, long bytes, LabCase.Factory f) {
        return new LabCase(name, shape, bytes, 0, false, f);
    }

    static LabCase.Instance inst(Runnable run, Tensor... outputs) {
        return new LabCase.Instance() {
            @Override public void run() { run.run(); }
            @Override public Tensor[] outputs() { return outputs; }
            @Override public String toString() { return Arrays.toString(outputs); }
        };
    }
}
