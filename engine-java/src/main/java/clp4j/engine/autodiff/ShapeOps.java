package clp4j.engine.autodiff;

import clp4j.engine.backend.Backend;
import clp4j.engine.tensor.Tensor;

import java.util.Arrays;

/** Embedding lookup, permute (a copy) and reshape (a free view). */
final class ShapeOps {
    private ShapeOps() { }

    static Tensor embedding(Tensor table, int[] ids) {
        if (table.rank() != 2) {
            throw new IllegalArgumentException("embedding: table must be [V, D], got " + Arrays.toString(table.shape()));
        }
        int[] idx = ids.clone();
        Backend be = table.backend();
        Tensor out = be.empty(idx.length, table.dim(1));
        be.embeddingGather(table, idx, out);
        return Graph.record(out, "embedding", new Tensor[]{table},
                g -> be.embeddingScatterAdd(g, idx, Graph.slot(table)));
    }

    static Tensor permute(Tensor x, int[] perm) {
        if (perm.length != x.rank()) {
            throw new IllegalArgumentException("permute: " + Arrays.toString(perm) + " does not match the rank of "
                    + Arrays.toString(x.shape()));
        }
        int[] p = perm.clone();
        int[] inverse = new int[p.length];
        int[] shape = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            if (p[i] < 0 || p[i] >= p.length) throw new IllegalArgumentException("permute: " + Arrays.toString(perm) + " is not a permutation");
            shape[i] = x.dim(p[i]);
            inverse[p[i]] = i;
        }
        Backend be = x.backend();
        Tensor out = be.empty(shape);
        be.permute(x, p, out);
        return Graph.record(out, "permute", new Tensor[]{x}, g -> {
            Tensor gx = be.empty(x.shape());
            be.permute(g, inverse, gx);
            Graph.accumulateFresh(x, gx);
        });
    }

    static Tensor reshape(Tensor x, int[] shape) {
        Tensor view = x.reshape(shape);
        return Graph.record(view, "reshape", new Tensor[]{x}, g -> Graph.accumulate(x, g.reshape(x.shape())));
    }
}
