package clp4j.nativ.cuda;

import clp4j.engine.backend.Checks;
import clp4j.engine.tensor.Tensor;

import java.util.Arrays;

import static clp4j.nativ.cuda.CudaStorage.ptr;

/** Embedding gather and scatter-add (ids uploaded through the reusable int buffer), and permute. */
final class CudaLayoutOps {
    private final KernelQueue d;

    CudaLayoutOps(KernelQueue d) { this.d = d; }

    void embeddingGather(Tensor table, int[] ids, Tensor out) {
        checkEmbedding("embeddingGather", table, ids, out);
        long n = (long) ids.length * table.dim(1);
        long dev = d.uploadInts(ids);
        d.args().begin().ptr(ptr(table)).ptr(dev).ptr(ptr(out)).i32(table.dim(1)).i64(n);
        d.launchElements("clp_embedding_gather", n);
    }

    void embeddingScatterAdd(Tensor g, int[] ids, Tensor gTable) {
        checkEmbedding("embeddingScatterAdd", gTable, ids, g);
        long n = (long) ids.length * gTable.dim(1);
        long dev = d.uploadInts(ids);
        d.args().begin().ptr(ptr(g)).ptr(dev).ptr(ptr(gTable)).i32(gTable.dim(1)).i64(n);
        d.launchElements("clp_embedding_scatter_add", n);
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

    void permute(Tensor x, int[] perm, Tensor out) {
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
        long[] xStrides = DimsCollapse.contiguousStrides(xs);
        long[] src = new long[perm.length];
        for (int i = 0; i < perm.length; i++) src[i] = xStrides[perm[i]];
        long[][] pd = DimsCollapse.collapse(DimsCollapse.toLong(os), src);
        d.args().begin().ptr(ptr(x)).ptr(ptr(out)).i64(out.numel()).dims(pd[0], pd[1]);
        d.launchElements("clp_permute", out.numel());
    }
}
