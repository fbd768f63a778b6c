package clp4j.engine.backend;

import clp4j.engine.tensor.Tensor;

/** The reference strided batched GEMM: three plain loops with a double accumulator. */
final class RefGemm {
    private RefGemm() { }

    static void gemm(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha,
                     Tensor a, long aOff, int lda, long strideA,
                     Tensor b, long bOff, int ldb, long strideB,
                     float beta, Tensor c, long cOff, int ldc, long strideC) {
        OpChecks.gemm(transA, transB, batch, m, n, k, a, aOff, lda, strideA, b, bOff, ldb, strideB, c, cOff, ldc, strideC);
        float[] ad = CpuStorage.of(a);
        float[] bd = CpuStorage.of(b);
        float[] cd = CpuStorage.of(c);
        for (int bi = 0; bi < batch; bi++) {
            long a0 = a.offset() + aOff + bi * strideA;
            long b0 = b.offset() + bOff + bi * strideB;
            long c0 = c.offset() + cOff + bi * strideC;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        float av = ad[(int) (a0 + (transA ? (long) p * lda + i : (long) i * lda + p))];
                        float bv = bd[(int) (b0 + (transB ? (long) j * ldb + p : (long) p * ldb + j))];
                        s += (double) av * bv;
                    }
                    int ci = (int) (c0 + (long) i * ldc + j);
                    double r = alpha * s;
                    if (beta != 0) r += (double) beta * cd[ci];
                    cd[ci] = (float) r;
                }
            }
        }
    }
}
