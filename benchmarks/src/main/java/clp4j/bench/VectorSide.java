package clp4j.bench;

import clp4j.engine.backend.VectorBackend;
import clp4j.engine.backend.vector.CpuThreadPool;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The engine side of the GEMM benchmarks' states: a {@link VectorBackend} on
 * {@link GemmBenchmark#threads()} threads, opened by the subclass's setup and closed after the trial.
 */
abstract class VectorSide {
    VectorBackend backend;

    /** Opens the backend and prints its vector width and threads. */
    void open() {
        backend = new VectorBackend(new CpuThreadPool(GemmBenchmark.threads()));
        System.out.println("VectorBackend: " + backend.vectorBits() + "-bit vectors, " + backend.threads() + " threads");
    }

    @TearDown
    public void tearDown() {
        if (backend != null) backend.close();
    }
}
