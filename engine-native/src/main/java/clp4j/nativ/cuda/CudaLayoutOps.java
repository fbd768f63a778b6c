package clp4j.nativ.cuda;

import clp4j.engine.backend.OpChecks;
import clp4j.engine.tensor.Tensor;

import static clp4j.nativ.cuda.CudaStorage.ptr;

/** Embedding gather and scatter-add (ids uploaded through the reusable int buffer), and permute. */
final class CudaLayoutOps {
    private final KernelQueue d;

    CudaLayoutOps(KernelQueue d) { this.d = d; }

    void embeddingGather(Tensor table, int[] ids, Tensor out) {
        OpChecks.embedding("embeddingGather", table, ids, out);
        long n = (long) ids.length * table.dim(1);
        long dev = d.uploadInts(ids);
        d.args().begin().ptr(ptr(table)).ptr(dev).ptr(ptr(out)).i32(table.dim(1)).i64(n);
        d.launchElements("clp_embedding_gather", n);
    }

    void embeddingScatterAdd(Tensor g, int[] ids, Tensor gTable) {
        OpChecks.embedding("embeddingScatterAdd", gTable, ids, g);
        long n = (long) ids.length * gTable.dim(1);
        long dev = d.uploadInts(ids);
        d.args().begin().ptr(ptr(g)).ptr(dev).ptr(ptr(gTable)).i32(gTable.dim(1)).i64(n);
        d.launchElements("clp_embedding_scatter_add", n);
    }

    void permute(Tensor x, int[] perm, Tensor out) {
        OpChecks.permute(x, perm, out);
        int[] xs = x.shape(), os = out.shape();
        long[] xStrides = DimsCollapse.contiguousStrides(xs);
        long[] src = new long[perm.length];
        for (int i = 0; i < perm.length; i++) src[i] = xStrides[perm[i]];
        long[][] pd = DimsCollapse.collapse(DimsCollapse.toLong(os), src);
        d.args().begin().ptr(ptr(x)).ptr(ptr(out)).i64(out.numel()).dims(pd[0], pd[1]);
        d.launchElements("clp_permute", out.numel());
    }
}
