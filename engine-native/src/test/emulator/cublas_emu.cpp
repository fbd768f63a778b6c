// A libcublas.so.13 for machines without a GPU (test double beside cuda_emu.cpp): column-major
// SGEMM as cuBLAS defines it, in double, for the entry points clp4j binds. With the TF32 compute
// type the inputs are first rounded to TF32 (10 mantissa bits), so tolerances meant for TF32 are
// tested against TF32 rounding: to nearest, ties away (cvt.rna.tf32), or with CLP4J_EMU_TF32=rz
// truncated (what tensor cores do with raw FP32 bits), or with CLP4J_EMU_TF32=off not at all.
#include <cstdint>
#include <cstdlib>
#include <cstring>

typedef int Status;
static int dummy_handle;

static const int COMPUTE_32F_FAST_TF32 = 77;

static int tf32_mode() {   // 0 off, 1 to nearest, 2 truncate
    const char* m = std::getenv("CLP4J_EMU_TF32");
    if (m == nullptr) return 1;
    return std::strcmp(m, "off") == 0 ? 0 : std::strcmp(m, "rz") == 0 ? 2 : 1;
}
static const int TF32_MODE = tf32_mode();

static float tf32(float x) {
    uint32_t u;
    std::memcpy(&u, &x, 4);
    if (TF32_MODE != 0 && (u & 0x7f800000u) != 0x7f800000u) {   // finite: drop 13 mantissa bits
        u = ((TF32_MODE == 1 ? u + 0x1000u : u)) & 0xffffe000u;
    }
    std::memcpy(&x, &u, 4);
    return x;
}

static void gemm(int ta, int tb, int m, int n, int k, const float* alpha, const float* a, int lda, long long sa,
                 const float* b, int ldb, long long sb, const float* beta, float* c, int ldc, long long sc, int batch,
                 bool round = false) {
    for (int i = 0; i < batch; i++) {
        const float* A = a + i * sa; const float* B = b + i * sb; float* C = c + i * sc;
        for (int col = 0; col < n; col++)
            for (int row = 0; row < m; row++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    float av = ta == 0 ? A[row + (long long) p * lda] : A[p + (long long) row * lda];
                    float bv = tb == 0 ? B[p + (long long) col * ldb] : B[col + (long long) p * ldb];
                    if (round) { av = tf32(av); bv = tf32(bv); }
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
                    const void* b, int, int ldb, const void* beta, void* c, int, int ldc, int compute, int) {
    if (bad(m, n, k, ta, tb, lda, ldb, ldc)) return 7;
    gemm(ta, tb, m, n, k, (const float*) alpha, (const float*) a, lda, 0, (const float*) b, ldb, 0,
         (const float*) beta, (float*) c, ldc, 0, 1, compute == COMPUTE_32F_FAST_TF32);
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
                                  void* c, int, int ldc, long long sc, int batch, int compute, int) {
    if (bad(m, n, k, ta, tb, lda, ldb, ldc) || batch < 0) return 7;
    gemm(ta, tb, m, n, k, (const float*) alpha, (const float*) a, lda, sa, (const float*) b, ldb, sb,
         (const float*) beta, (float*) c, ldc, sc, batch, compute == COMPUTE_32F_FAST_TF32);
    return 0;
}
}
