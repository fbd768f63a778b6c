package clp4j.nativ.cuda;

import clp4j.engine.backend.Backends;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs everywhere: the CUDA backend is registered as "cuda", and where it cannot run it says why. */
class CudaBackendProviderTest {

    @Test
    void registeredUnderItsName() {
        assertTrue(Backends.names().contains("cuda"), "registered backends: " + Backends.names());
    }

    @Test
    void withoutAGpuTheReasonNamesWhatIsMissing() {
        CudaBackendProvider p = new CudaBackendProvider();
        if (p.isAvailable()) return;   // a GPU machine: CudaBackendGpuTest covers creation
        String why = p.unavailableReason();
        assertTrue(why.contains("libcuda.so.1") || why.contains("cuInit") || why.contains("cuBLAS") || why.contains("device"), why);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.create("cuda"));
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }
}
