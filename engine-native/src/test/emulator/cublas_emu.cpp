// A libcublas.so.13 for machines without a GPU (test double beside cuda_emu.cpp): column-major
// SGEMM as cuBLAS defines it, in double, for the entry points clp4j binds.
#include <cstring>

typedef int Status;
static int dummy_handle;

static void gemm(int ta, int tb, int m, int n, int k, const float* alpha, const float* a, int lda, long long sa,
                 const float* b, int ldb, long long sb, const float* beta, float* c, int ldc, long long sc, int batch) {
    for (int i = 0; i < batch; i++) {
        const float* A = a + i * sa; const float* B = b + i * sb; float* C = c + i * sc;
        for (int col = 0; col < n; col++)
            for (int row = 0; row < m; row++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    float av = ta == 0 ? A[row + (long long) p * lda] : A[p + (long long) row * lda];
                    float bv = tb == 0 ? B[p + (long long) col * ldb] : B[col + (long long) p * ldb];
                    s += (double) av * bv;
                }
                float& out = C[row + (long long) col * ldc];
                out = (float) (*alpha * s + (*beta == 0 ? 0.0 : (double) *beta * out));
            }
    }
}

static bool bad(int m, int n, int k, int ta, int tb, int lda, int ldb, int ldc) {
    int aRows = ta == 0 ? m : k, bRows = tb == 0 ? k : n;
    return m < 0 || n < 0 || k < 0 || lda < (aRows > 1 ? aRows : 1) || ldb < (bRows > 1 ? bRows : 1) || ldc < (m > 1 ? m : 1);
}

extern "C" {
Status cublasCreate_v2(void** h) { *h = &dummy_handle; return 0; }
Status cublasDestroy_v2(void*) { return 0; }
Status cublasSetStream_v2(void*, void*) { return 0; }
Status cublasSetMathMode(void*, int) { return 0; }
const char* cublasGetStatusName(int s) { return s == 0 ? "CUBLAS_STATUS_SUCCESS" : s == 7 ? "CUBLAS_STATUS_INVALID_VALUE" : "CUBLAS_STATUS_UNKNOWN"; }
Status cublasSgemm_v2(void*, int ta, int tb, int m, int n, int k, const float* alpha, const float* a, int lda,
                      const float* b, int ldb, const float* beta, float* c, int ldc) {
    if (bad(m, n, k, ta, tb, lda, ldb, ldc)) return 7;
    gemm(ta, tb, m, n, k, alpha, a, lda, 0, b, ldb, 0, beta, c, ldc, 0, 1);
    return 0;
}
Status cublasGemmEx(void*, int ta, int tb, int m, int n, int k, const void* alpha, const void* a, int, int lda,
                    const void* b, int, int ldb, const void* beta, void* c, int, int ldc, int, int) {
    if (bad(m, n, k, ta, tb, lda, ldb, ldc)) return 7;
    gemm(ta, tb, m, n, k, (const float*) alpha, (const float*) a, lda, 0, (const float*) b, ldb, 0,
         (const float*) beta, (float*) c, ldc, 0, 1);
    return 0;
}
Status cublasSgemmStridedBatched(void*, int ta, int tb, int m, int n, int k, const float* alpha, const float* a,
                                 int lda, long long sa, const float* b, int ldb, long long sb, const float* beta,
                                 float* c, int ldc, long long sc, int batch) {
    if (bad(m, n, k, ta, tb, lda, ldb, ldc) || batch < 0) return 7;
    gemm(ta, tb, m, n, k, alpha, a, lda, sa, b, ldb, sb, beta, c, ldc, sc, batch);
    return 0;
}
Status cublasGemmStridedBatchedEx(void*, int ta, int tb, int m, int n, int k, const void* alpha, const void* a, int,
                                  int lda, long long sa, const void* b, int, int ldb, long long sb, const void* beta,
                                  void* c, int, int ldc, long long sc, int batch, int, int) {
    if (bad(m, n, k, ta, tb, lda, ldb, ldc) || batch < 0) return 7;
    gemm(ta, tb, m, n, k, (const float*) alpha, (const float*) a, lda, sa, (const float*) b, ldb, sb,
         (const float*) beta, (float*) c, ldc, sc, batch);
    return 0;
}
}
