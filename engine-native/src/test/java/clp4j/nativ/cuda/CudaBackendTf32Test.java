package clp4j.nativ.cuda;

import clp4j.engine.backend.Backend;
import clp4j.engine.backend.BackendConformanceSuite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;

/** The conformance suite with TF32 tensor-core GEMM (-Dclp4j.cuda.tf32=true): tolerance {@link GpuSupport#TF32_TOLERANCE}. */
@Tag("gpu")
class CudaBackendTf32Test extends BackendConformanceSuite {
    private static CudaBackend backend;

    @Override
    protected Backend backendUnderTest() {
        GpuSupport.assumeGpu();
        if (backend == null) backend = new CudaBackend(0, true);
        return backend;
    }

    @Override
    protected double tolerance() { return GpuSupport.TF32_TOLERANCE; }

    @AfterAll
    static void closeBackend() {
        if (backend != null) backend.close();
        backend = null;
    }
}
