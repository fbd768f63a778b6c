package clp4j.bench;

import org.openjdk.jmh.annotations.TearDown;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The OpenBLAS side of the GEMM benchmarks' states: the library on {@link GemmBenchmark#threads()}
 * threads and an arena for the operands, opened by the subclass's setup and closed after the trial.
 */
abstract class BlasSide {
    OpenBlas blas;
    Arena arena;

    /** Loads OpenBLAS (or fails naming what is missing), opens the arena and prints the core and threads. */
    void open() throws Throwable {
        blas = OpenBlas.require(GemmBenchmark.threads());
        arena = Arena.ofShared();
        System.out.println("OpenBLAS: core " + blas.coreName() + ", " + GemmBenchmark.threads() + " threads");
    }

    /** n floats from {@link GemmBenchmark#random} in the arena. */
    MemorySegment random(long seed, int n) {
        return arena.allocateFrom(ValueLayout.JAVA_FLOAT, GemmBenchmark.random(seed, n));
    }

    /** n zero floats in the arena. */
    MemorySegment zeros(long n) {
        return arena.allocate(ValueLayout.JAVA_FLOAT, n);
    }

    @TearDown
    public void tearDown() {
        if (arena != null) arena.close();
    }
}
