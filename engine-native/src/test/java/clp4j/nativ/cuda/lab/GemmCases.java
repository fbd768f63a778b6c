package clp4j.nativ.cuda.lab;

import clp4j.engine.tensor.Tensor;

import java.util.List;

/** The cuBLAS cases: T5-large projections (all transpose combinations) and batched attention products. */
final class GemmCases {
    private GemmCases() { }

    static void add(List<LabCase> out, boolean bench, int tokens, int dModel, int dFf, int heads, int seq) {
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                int m = tokens, k = dModel, n = dFf;
                String name = "matmul " + (ta ? "A^T" : "A") + " x " + (tb ? "B^T" : "B") + " (FFN wi)";
                out.add(new LabCase(name, m + "x" + k + " . " + k + "x" + n, 0, 2.0 * m * n * k, true, (b, in) -> {
                    Tensor a = ta ? in.t(b, k, m) : in.t(b, m, k), w = tb ? in.t(b, n, k) : in.t(b, k, n), c = b.zeros(m, n);
                    return LabCases.inst(() -> b.matmul(a, ta, w, tb, c, 1f, 0f), c);
                }));
                if (!bench) continue;
                break;   // at bench size one non-transposed and one transposed-A case suffice
            }
        }
        int dh = bench ? 64 : 5;
        out.add(new LabCase("batched matmul Q K^T (scores)", heads + " x " + seq + "x" + dh + " . " + dh + "x" + seq, 0,
                2.0 * heads * seq * seq * dh, true, (b, in) -> {
            Tensor q = in.t(b, heads, seq, dh), kk = in.t(b, heads, seq, dh), s = b.zeros(heads, seq, seq);
            return LabCases.inst(() -> b.matmul(q, false, kk, true, s, 0.125f, 0f), s);
        }));
        out.add(new LabCase("batched matmul P V (accumulate, beta=1)", heads + " x " + seq + "x" + seq + " . " + seq + "x" + dh, 0,
                2.0 * heads * seq * seq * dh, true, (b, in) -> {
            Tensor p = in.t(b, heads, seq, seq), v = in.t(b, heads, seq, dh), o = in.t(b, heads, seq, dh);
            return LabCases.inst(() -> b.matmul(p, false, v, false, o, 1f, 1f), o);
        }));
        out.add(new LabCase("matmul shared 2-D weight (lm_head)", tokens + "x" + dModel + " . (" + (bench ? 32128 : 77) + "x" + dModel + ")^T", 0,
                2.0 * tokens * dModel * (bench ? 32128 : 77), true, (b, in) -> {
            int vocab = bench ? 32128 : 77;
            Tensor x = in.t(b, 2, tokens / 2 + (bench ? 0 : 1), dModel), w = in.t(b, vocab, dModel);
            Tensor y = b.zeros(2, tokens / 2 + (bench ? 0 : 1), vocab);
            return LabCases.inst(() -> b.matmul(x, false, w, true, y, 1f, 0f), y);
        }));
    }
}
