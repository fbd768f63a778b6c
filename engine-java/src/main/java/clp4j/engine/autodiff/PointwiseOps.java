package clp4j.engine.autodiff;

import clp4j.engine.backend.Backend;
import clp4j.engine.backend.BinaryOp;
import clp4j.engine.backend.UnaryOp;
import clp4j.engine.tensor.Tensor;

/** Elementwise ops: broadcasting binaries, scale, unary functions, dropout and CLP mixing. */
final class PointwiseOps {
    private PointwiseOps() { }

    static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        Backend be = a.backend();
        Tensor out = be.empty(a.shape());
        be.binary(op, a, b, out);
        return Graph.record(out, op.name().toLowerCase(java.util.Locale.ROOT), new Tensor[]{a, b}, g -> {
            if (Graph.needs(a)) {
                switch (op) {
                    case ADD, SUB -> Graph.accumulate(a, g);
                    case MUL, DIV -> { // d(a*b)/da = b, d(a/b)/da = 1/b
                        Tensor ga = be.empty(a.shape());
                        be.binary(op, g, b, ga);
                        Graph.accumulateFresh(a, ga);
                    }
                }
            }
            if (Graph.needs(b)) {
                Tensor full = switch (op) {
                    case ADD, SUB -> g;
                    case MUL -> { // d(a*b)/db = a
                        Tensor t = be.empty(a.shape());
                        be.binary(BinaryOp.MUL, g, a, t);
                        yield t;
                    }
                    case DIV -> { // d(a/b)/db = -a/b^2 = -out/b
                        Tensor t = be.empty(a.shape());
                        be.binary(BinaryOp.MUL, g, out, t);
                        be.binary(BinaryOp.DIV, t, b, t);
                        yield t;
                    }
                };
                Tensor gb = be.empty(b.shape());
                be.sumToShape(full, gb);
                if (full != g) full.close();
                if (op == BinaryOp.SUB || op == BinaryOp.DIV) be.scale(gb, -1f, gb);
                Graph.accumulateFresh(b, gb);
            }
        });
    }

    static Tensor scale(Tensor a, float s) {
        Backend be = a.backend();
        Tensor out = be.empty(a.shape());
        be.scale(a, s, out);
        return Graph.record(out, "scale", new Tensor[]{a}, g -> {
            Tensor ga = be.empty(a.shape());
            be.scale(g, s, ga);
            Graph.accumulateFresh(a, ga);
        });
    }

    static Tensor unary(UnaryOp op, Tensor x) {
        Backend be = x.backend();
        Tensor y = be.empty(x.shape());
        be.unary(op, x, y);
        return Graph.record(y, op.name().toLowerCase(java.util.Locale.ROOT), new Tensor[]{x}, g -> {
            Tensor gx = be.empty(x.shape());
            be.unaryBackward(op, x, y, g, gx);
            Graph.accumulateFresh(x, gx);
        });
    }

    static Tensor dropout(Tensor x, float p, long seed) {
        if (p == 0f) return x;
        Backend be = x.backend();
        Tensor out = be.empty(x.shape());
        be.dropout(x, p, seed, out);
        return Graph.record(out, "dropout", new Tensor[]{x}, g -> {
            // the mask depends only on (seed, index): the backward is the same op on the gradient
            Tensor gx = be.empty(x.shape());
            be.dropout(g, p, seed, gx);
            Graph.accumulateFresh(x, gx);
        });
    }

    static Tensor mix(Tensor[] xs, float[] w, float beta, Tensor ref) {
        if (xs.length == 0 || xs.length != w.length) {
            throw new IllegalArgumentException("mix: needs m >= 1 replicas and one weight each, got " + xs.length
                    + " replicas and " + w.length + " weights");
        }
        Tensor[] replicas = xs.clone();
        float[] weights = w.clone();
        Backend be = replicas[0].backend();
        Tensor out = be.empty(replicas[0].shape());
        be.mix(replicas, weights, beta, ref, out);
        return Graph.record(out, "mix", replicas, g -> {
            int count = 0;
            for (Tensor x : replicas) if (Graph.needs(x)) count++;
            Tensor[] slots = new Tensor[count];
            float[] sw = new float[count];
            int j = 0;
            for (int i = 0; i < replicas.length; i++) {
                if (!Graph.needs(replicas[i])) continue;
                slots[j] = Graph.slot(replicas[i]);
                sw[j++] = weights[i];
            }
            be.mixBackward(g, sw, beta, slots);
        });
    }
}
