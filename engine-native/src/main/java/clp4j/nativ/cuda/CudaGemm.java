package clp4j.nativ.cuda;

import clp4j.engine.backend.OpChecks;
import clp4j.engine.tensor.Tensor;

/**
 * Row-major strided batched GEMM on cuBLAS (column-major): a row-major M x N matrix is the
 * column-major N x M matrix of its transpose, so C = op(A) op(B) is computed as
 * C^T = op(B)^T op(A)^T, i.e. cuBLAS gets (B, A) swapped, m and n swapped, and the same transpose
 * flags and leading dimensions.
 */
final class CudaGemm {
    private CudaGemm() { }

    static void gemm(KernelQueue d, boolean transA, boolean transB, int batch, int m, int n, int k, float alpha,
                     Tensor a, long aOff, int lda, long strideA, Tensor b, long bOff, int ldb, long strideB,
                     float beta, Tensor c, long cOff, int ldc, long strideC) {
        OpChecks.gemm(transA, transB, batch, m, n, k, a, aOff, lda, strideA, b, bOff, ldb, strideB, c, cOff, ldc, strideC);
        if (batch == 0 || m == 0 || n == 0) return;
        if (k == 0) {
            // no products: cuBLAS still wants valid leading dimensions, and reads no A or B element
            int ld = Math.max(1, Math.max(m, n));
            lda = Math.max(lda, ld);
            ldb = Math.max(ldb, ld);
        }
        long pa = CudaStorage.ptr(a) + aOff * Float.BYTES;
        long pb = CudaStorage.ptr(b) + bOff * Float.BYTES;
        long pc = CudaStorage.ptr(c) + cOff * Float.BYTES;
        int opA = transA ? Cublas.OP_T : Cublas.OP_N, opB = transB ? Cublas.OP_T : Cublas.OP_N;
        d.gemm(opB, opA, n, m, k, alpha, pb, ldb, strideB, pa, lda, strideA, beta, pc, ldc, strideC, batch);
    }
}
