package clp4j.nativ.cuda;

/** A failed CUDA driver or cuBLAS call, or a missing library or GPU. */
public class CudaException extends RuntimeException {
    private final int code;
    private final String errorName;

    public CudaException(String message, int code, String errorName) {
        super(message);
        this.code = code;
        this.errorName = errorName;
    }

    /** The CUresult or cublasStatus_t value; -1 when no call failed (a library is missing). */
    public int code() { return code; }

    /** The symbolic name, e.g. {@code CUDA_ERROR_OUT_OF_MEMORY}. */
    public String errorName() { return errorName; }
}
