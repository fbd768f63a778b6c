package clp4j.nativ.cuda;

/** No usable GPU: the driver library, cuBLAS or a device is missing. The message says what was looked for and where. */
public final class CudaUnavailableException extends CudaException {
    public CudaUnavailableException(String message) {
        super(message, -1, "CUDA_UNAVAILABLE");
    }
}
