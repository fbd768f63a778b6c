package clp4j.nativ.cuda;

import clp4j.engine.backend.ReferenceBackend;
import clp4j.nativ.cuda.lab.LabCase;
import clp4j.nativ.cuda.lab.LabCases;
import clp4j.nativ.cuda.lab.LabCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every op of the CUDA backend against the reference at the lab's check sizes: 1e-4, or {@link GpuSupport#TF32_TOLERANCE} for GEMM under TF32. */
@Tag("gpu")
class CudaLabChecksGpuTest {
    private static CudaBackend fp32, tf32;
    private static final ReferenceBackend REF = new ReferenceBackend();

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (LabCase c : LabCases.all(false)) {
            out.add(Arguments.of(c.name(), c, false));
            if (c.gemm()) out.add(Arguments.of(c.name() + " [tf32]", c, true));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTheReference(String name, LabCase c, boolean useTf32) {
        GpuSupport.assumeGpu();   // skipped here, with the reason, where there is no GPU
        if (fp32 == null) {
            fp32 = new CudaBackend(0, false);
            tf32 = new CudaBackend(0, true);
        }
        double tol = useTf32 ? GpuSupport.TF32_TOLERANCE : GpuSupport.FP32_TOLERANCE;
        double err = LabCheck.maxError(c, REF, useTf32 ? tf32 : fp32, 99);
        assertTrue(err <= tol, name + " (" + c.shape() + "): max error " + err + " > " + tol);
    }

    @AfterAll
    static void close() {
        if (tf32 != null) tf32.close();
        if (fp32 != null) fp32.close();
    }
}
