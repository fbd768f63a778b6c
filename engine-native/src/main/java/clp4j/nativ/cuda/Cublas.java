package clp4j.nativ.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * cuBLAS ({@code libcublas.so.13} or {@code .so.12}, found by {@link CublasLocator}) through
 * java.lang.foreign: one handle bound to a stream, column-major SGEMM (plain and strided
 * batched, FP32 or TF32 tensor-core compute). Row-major callers swap operands (see CudaGemm).
 */
public final class Cublas implements AutoCloseable {
    public static final int OP_N = 0, OP_T = 1;
    public static final int CUDA_R_32F = 0;
    public static final int COMPUTE_32F = 68, COMPUTE_32F_FAST_TF32 = 77;
    public static final int GEMM_DEFAULT = -1;
    public static final int DEFAULT_MATH = 0, TF32_TENSOR_OP_MATH = 3;

    private static final MemoryLayout P = ADDRESS, I = JAVA_INT, L = JAVA_LONG;

    static final NativeSignature
            CREATE = sig("cublasCreate_v2", P),
            DESTROY = sig("cublasDestroy_v2", P),
            SET_STREAM = sig("cublasSetStream_v2", P, P),
            SET_MATH_MODE = sig("cublasSetMathMode", P, I),
            SGEMM = sig("cublasSgemm_v2", P, I, I, I, I, I, P, P, I, P, I, P, P, I),
            GEMM_EX = sig("cublasGemmEx", P, I, I, I, I, I, P, P, I, I, P, I, I, P, P, I, I, I, I),
            SGEMM_STRIDED_BATCHED = sig("cublasSgemmStridedBatched", P, I, I, I, I, I, P, P, I, L, P, I, L, P, P, I, L, I),
            GEMM_STRIDED_BATCHED_EX = sig("cublasGemmStridedBatchedEx",
                    P, I, I, I, I, I, P, P, I, I, L, P, I, I, L, P, P, I, I, L, I, I, I),
            GET_STATUS_NAME = NativeSignature.of("cublasGetStatusName", FunctionDescriptor.of(ADDRESS, I));

    /** Every function bound here (checked against cublas_api.h by CudaHeaderSignaturesTest). */
    public static final List<NativeSignature> SIGNATURES = List.of(CREATE, DESTROY, SET_STREAM, SET_MATH_MODE, SGEMM,
            GEMM_EX, SGEMM_STRIDED_BATCHED, GEMM_STRIDED_BATCHED_EX, GET_STATUS_NAME);

    private static NativeSignature sig(String name, MemoryLayout... args) {
        return NativeSignature.of(name, FunctionDescriptor.of(JAVA_INT, args));
    }

    private final String library;
    private final MethodHandle create, destroy, setStream, setMathMode, sgemm, gemmEx, sgemmStridedBatched,
            gemmStridedBatchedEx, getStatusName;
    private final MemorySegment handle;
    private final Arena arena = Arena.ofShared();
    /** alpha and beta live in host memory (CUBLAS_POINTER_MODE_HOST, the default). */
    private final MemorySegment alphaBeta = arena.allocate(8, 8);
    private final boolean tf32;

    /** Loads cuBLAS, creates a handle on {@code stream}; {@code tf32} selects TF32 tensor-core math. */
    public Cublas(CudaStream stream, boolean tf32) {
        CublasLocator.Found found = CublasLocator.locate();
        SymbolLookup lib = load(found);
        this.library = found.file() != null ? found.file().toString() : found.soname();
        create = CREATE.bind(lib, library);
        destroy = DESTROY.bind(lib, library);
        setStream = SET_STREAM.bind(lib, library);
        setMathMode = SET_MATH_MODE.bind(lib, library);
        sgemm = SGEMM.bind(lib, library);
        gemmEx = GEMM_EX.bind(lib, library);
        sgemmStridedBatched = SGEMM_STRIDED_BATCHED.bind(lib, library);
        gemmStridedBatchedEx = GEMM_STRIDED_BATCHED_EX.bind(lib, library);
        getStatusName = GET_STATUS_NAME.bind(lib, library);
        this.tf32 = tf32;
        MemorySegment out = arena.allocate(ADDRESS);
        try {
            check((int) create.invokeExact(out), "cublasCreate");
            handle = out.get(ADDRESS, 0);
            check((int) setStream.invokeExact(handle, stream.handle()), "cublasSetStream");
            check((int) setMathMode.invokeExact(handle, tf32 ? TF32_TENSOR_OP_MATH : DEFAULT_MATH), "cublasSetMathMode");
        } catch (Throwable t) { throw CudaDriver.rethrow("cublasCreate", t); }
    }

    private static SymbolLookup load(CublasLocator.Found found) {
        if (found.file() != null) {
            Path dir = found.file().getParent();
            // libcublas needs libcublasLt of the same version; load it from the same folder first so the
            // dynamic loader resolves the dependency by soname even when the folder is not on LD_LIBRARY_PATH.
            Path lt = dir.resolve(found.file().getFileName().toString().replace("libcublas", "libcublasLt"));
            if (java.nio.file.Files.isRegularFile(lt)) SymbolLookup.libraryLookup(lt, Arena.global());
            return SymbolLookup.libraryLookup(found.file(), Arena.global());
        }
        for (String so : CublasLocator.SONAMES) {
            try {
                return SymbolLookup.libraryLookup(so, Arena.global());
            } catch (IllegalArgumentException e) {
                found.searched().add("loader path: " + so);
            }
        }
        throw new CudaUnavailableException("cuBLAS not found: looked for " + CublasLocator.SONAMES + " in "
                + found.searched() + " (LD_LIBRARY_PATH=" + System.getenv("LD_LIBRARY_PATH") + "); set -D"
                + CublasLocator.PROPERTY + " or " + CublasLocator.ENV + " to its folder (find / -name 'libcublas.so*')");
    }

    public String library() { return library; }

    public boolean tf32() { return tf32; }

    /**
     * Column-major {@code C_i = alpha op(A_i) op(B_i) + beta C_i} for i < batch (pointers are
     * CUdeviceptr byte addresses, strides in elements). Uses cublasSgemm / cublasSgemmStridedBatched,
     * or the Ex variants with TF32 compute when enabled.
     */
    public void gemm(int opA, int opB, int m, int n, int k, float alpha, long a, int lda, long strideA,
                     long b, int ldb, long strideB, float beta, long c, int ldc, long strideC, int batch) {
        alphaBeta.set(JAVA_FLOAT, 0, alpha);
        alphaBeta.set(JAVA_FLOAT, 4, beta);
        MemorySegment pa = MemorySegment.ofAddress(a), pb = MemorySegment.ofAddress(b), pc = MemorySegment.ofAddress(c);
        MemorySegment al = alphaBeta, be = alphaBeta.asSlice(4);
        try {
            int rc;
            if (batch == 1 && !tf32) {
                rc = (int) sgemm.invokeExact(handle, opA, opB, m, n, k, al, pa, lda, pb, ldb, be, pc, ldc);
            } else if (batch == 1) {
                rc = (int) gemmEx.invokeExact(handle, opA, opB, m, n, k, al, pa, CUDA_R_32F, lda, pb, CUDA_R_32F, ldb,
                        be, pc, CUDA_R_32F, ldc, COMPUTE_32F_FAST_TF32, GEMM_DEFAULT);
            } else if (!tf32) {
                rc = (int) sgemmStridedBatched.invokeExact(handle, opA, opB, m, n, k, al, pa, lda, strideA, pb, ldb,
                        strideB, be, pc, ldc, strideC, batch);
            } else {
                rc = (int) gemmStridedBatchedEx.invokeExact(handle, opA, opB, m, n, k, al, pa, CUDA_R_32F, lda, strideA,
                        pb, CUDA_R_32F, ldb, strideB, be, pc, CUDA_R_32F, ldc, strideC, batch, COMPUTE_32F_FAST_TF32,
                        GEMM_DEFAULT);
            }
            if (rc != 0) check(rc, "cuBLAS gemm(opA=" + opA + ", opB=" + opB + ", m=" + m + ", n=" + n + ", k=" + k
                    + ", lda=" + lda + ", ldb=" + ldb + ", ldc=" + ldc + ", batch=" + batch + ")");
        } catch (Throwable t) { throw CudaDriver.rethrow("cublas gemm", t); }
    }

    private void check(int status, String call) {
        if (status == 0) return;
        String name;
        try {
            MemorySegment s = (MemorySegment) getStatusName.invokeExact(status);
            name = s.equals(MemorySegment.NULL) ? "cublasStatus " + status : s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            name = "cublasStatus " + status;
        }
        throw new CudaException(call + " failed: " + name + " (" + library + ")", status, name);
    }

    @Override
    public void close() {
        try { check((int) destroy.invokeExact(handle), "cublasDestroy"); }
        catch (Throwable t) { throw CudaDriver.rethrow("cublasDestroy", t); }
        finally { arena.close(); }
    }
}
