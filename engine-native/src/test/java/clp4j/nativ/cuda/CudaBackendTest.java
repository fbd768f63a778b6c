package clp4j.nativ.cuda;

import clp4j.engine.backend.Backend;
import clp4j.engine.backend.BackendConformanceSuite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;

/**
 * The shared conformance suite (every op against the reference) on the CUDA backend, FP32 GEMM,
 * tolerance 1e-4. Skips itself, with the reason, where no GPU, driver or cuBLAS is usable.
 */
@Tag("gpu")
class CudaBackendTest extends BackendConformanceSuite {
    private static CudaBackend backend;

    @Override
    protected Backend backendUnderTest() {
        GpuSupport.assumeGpu();
        if (backend == null) backend = new CudaBackend(0, false);
        return backend;
    }

    @AfterAll
    static void closeBackend() {
        if (backend != null) backend.close();
        backend = null;
    }
}
