package clp4j.nativ.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** GPU tests skip themselves (JUnit assumption, with the reason) where no GPU, driver or cuBLAS is usable. */
public final class GpuSupport {
    private GpuSupport() { }

    private static final CudaBackendProvider PROVIDER = new CudaBackendProvider();

    public static void assumeGpu() {
        assumeTrue(PROVIDER.isAvailable(), () -> "no usable GPU, skipped: " + PROVIDER.unavailableReason());
    }

    /** A new CUDA backend on device 0, or a skipped test. */
    public static CudaBackend backend(boolean tf32) {
        assumeGpu();
        return new CudaBackend(0, tf32);
    }
}
