package clp4j.nativ.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** GPU tests skip themselves (JUnit assumption, with the reason) where no GPU, driver or cuBLAS is usable. */
public final class GpuSupport {
    private GpuSupport() { }

    /** Element-wise tolerance (absolute or relative) for FP32 GEMM: the bar. */
    public static final float FP32_TOLERANCE = 1e-4f;

    /**
     * Element-wise tolerance for single ops with TF32 GEMM. TF32 keeps 10 mantissa bits, so every GEMM
     * input moves by up to 2^-11 (rounded) or 2^-10 (truncated) relative, and a dot product over k terms
     * by about sqrt(k) times that: with the emulator's TF32 rounding (engine-native/src/test/emulator)
     * the conformance suite's k=1000 GEMM is off by 2.3e-3, the lab's k=300 FFN GEMM by 4.1e-3, both
     * above the 1e-3. A wrong GEMM mapping is off by O(1). Whole-model checks: CudaT5GoldenGpuTest.
     */
    public static final float TF32_TOLERANCE = 1e-2f;

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
