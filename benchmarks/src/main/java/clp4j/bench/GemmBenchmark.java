package clp4j.bench;

import clp4j.engine.backend.VectorBackend;
import clp4j.engine.backend.vector.CpuThreadPool;
import clp4j.engine.tensor.Tensor;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * 1024 x 1024 x 1024 F32 GEMM on all cores: VectorBackend.gemm against OpenBLAS cblas_sgemm
 * (same thread count, set with openblas_set_num_threads) in one run. The "gflops" counter is
 * GFLOP/s (2 n^3 per call). The vector width is a parameter: each value runs in its own fork
 * because the kernels fix their width when they load.
 *
 * <p>Run: {@code ./bench GemmBenchmark} (add e.g. {@code -f 1 -wi 3 -i 5}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class GemmBenchmark {
    static final int N = 1024;
    static final double GFLOP_PER_CALL = 2.0 * N * N * N / 1e9;

    /** n uniform values in [-0.5, 0.5) from a seed (the inputs of both GEMM benchmarks). */
    static float[] random(long seed, int n) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat() - 0.5f;
        return x;
    }

    /** Threads for both libraries: -Dclp4j.threads, else every processor. */
    static int threads() {
        String s = System.getProperty(CpuThreadPool.PROPERTY);
        return s == null || s.isBlank() ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(s.trim());
    }

    /** GFLOP/s, reported by JMH as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflops;

        @Setup(Level.Iteration)
        public void reset() {
            gflops = 0;
        }
    }

    @State(Scope.Benchmark)
    public static class VectorState {
        /** Vector width in bits; set before the kernels load (a fresh fork per value). */
        @Param({"512", "256"})
        public String vectorBits;

        VectorBackend backend;
        Tensor a, b, c;

        @Setup
        public void setup() {
            System.setProperty("clp4j.vectorBits", vectorBits);
            backend = new VectorBackend(new CpuThreadPool(threads()));
            if (backend.vectorBits() != Integer.parseInt(vectorBits)) {
                throw new IllegalStateException("vectorBits=" + vectorBits + " needs a fresh JVM per value; run with forks >= 1");
            }
            a = backend.fromArray(random(1, N * N), N, N);
            b = backend.fromArray(random(2, N * N), N, N);
            c = backend.zeros(N, N);
            System.out.println("VectorBackend: " + backend.vectorBits() + "-bit vectors, " + backend.threads() + " threads");
        }

        @TearDown
        public void tearDown() {
            backend.close();
        }
    }

    @State(Scope.Benchmark)
    public static class BlasState {
        OpenBlas blas;
        Arena arena;
        MemorySegment a, b, c;

        @Setup
        public void setup() throws Throwable {
            blas = OpenBlas.require(threads());
            arena = Arena.ofShared();
            a = arena.allocateFrom(ValueLayout.JAVA_FLOAT, random(1, N * N));
            b = arena.allocateFrom(ValueLayout.JAVA_FLOAT, random(2, N * N));
            c = arena.allocate(ValueLayout.JAVA_FLOAT, (long) N * N);
            System.out.println("OpenBLAS: core " + blas.coreName() + ", " + threads() + " threads");
        }

        @TearDown
        public void tearDown() {
            if (arena != null) arena.close();
        }
    }

    @Benchmark
    public Tensor vector(VectorState s, Flops f) {
        s.backend.gemm(false, false, 1, N, N, N, 1f, s.a, 0, N, 0, s.b, 0, N, 0, 0f, s.c, 0, N, 0);
        f.gflops += GFLOP_PER_CALL;
        return s.c;
    }

    @Benchmark
    public MemorySegment openblas(BlasState s, Flops f) throws Throwable {
        s.blas.sgemm(N, 1f, s.a, s.b, 0f, s.c);
        f.gflops += GFLOP_PER_CALL;
        return s.c;
    }
}
