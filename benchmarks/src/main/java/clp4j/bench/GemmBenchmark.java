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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * 1024 x 1024 x 1024 F32 GEMM on all cores: VectorBackend.gemm against OpenBLAS cblas_sgemm
 * (same thread count, set with openblas_set_num_threads) in one run. The "gflops" counter is
 * GFLOP/s (2 n^3 per call). The vector width is a parameter: each value runs in its own fork
 * because the kernels fix their width when they load. {@link #paired} measures the two in
 * alternation in one JVM and prints their ratio (see there for why).
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
    public static class VectorState extends VectorSide {
        /** Vector width in bits; set before the kernels load (a fresh fork per value). */
        @Param({"512", "256"})
        public String vectorBits;

        Tensor a, b, c;

        @Setup
        public void setup() {
            System.setProperty("clp4j.vectorBits", vectorBits);
            open();
            if (backend.vectorBits() != Integer.parseInt(vectorBits)) {
                throw new IllegalStateException("vectorBits=" + vectorBits + " needs a fresh JVM per value; run with forks >= 1");
            }
            a = backend.fromArray(random(1, N * N), N, N);
            b = backend.fromArray(random(2, N * N), N, N);
            c = backend.zeros(N, N);
        }
    }

    @State(Scope.Benchmark)
    public static class BlasState extends BlasSide {
        MemorySegment a, b, c;

        @Setup
        public void setup() throws Throwable {
            open();
            a = random(1, N * N);
            b = random(2, N * N);
            c = zeros((long) N * N);
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

    /** Calls per block. */
    static final int CALLS = 5;
    /** Pause after each block, longer than OpenBLAS's default thread timeout (2^28 cycles). */
    static final long PAUSE_MS = 150;

    @State(Scope.Benchmark)
    public static class PairState extends BlasSide {
        VectorBackend backend;
        Tensor a, b, c;
        MemorySegment na, nb, nc;
        long vectorNanos, blasNanos;
        int vectorBlocks, blasBlocks;
        int invocations;
        final List<Double> iterationRatios = new ArrayList<>();

        @Setup
        public void setup() throws Throwable {
            open();
            int n = N;
            backend = new VectorBackend(new CpuThreadPool(threads()));
            a = backend.fromArray(GemmBenchmark.random(1, n * n), n, n);
            b = backend.fromArray(GemmBenchmark.random(2, n * n), n, n);
            c = backend.zeros(n, n);
            na = random(1, n * n);
            nb = random(2, n * n);
            nc = zeros((long) n * n);
            System.out.println("paired: VectorBackend " + backend.vectorBits() + "-bit vectors, "
                    + backend.threads() + " threads, " + CALLS + " calls per block");
        }

        @Setup(Level.Iteration)
        public void startIteration() {
            vectorNanos = 0;
            blasNanos = 0;
            vectorBlocks = 0;
            blasBlocks = 0;
        }

        @TearDown(Level.Iteration)
        public void endIteration(IterationParams iteration) {
            if (vectorNanos == 0 || blasNanos == 0) return;
            double v = gflops(vectorBlocks, vectorNanos), o = gflops(blasBlocks, blasNanos);
            boolean warmup = iteration.getType() == IterationType.WARMUP;
            if (!warmup) iterationRatios.add(v / o);
            System.out.printf("%npaired %s iteration: Vector API %.1f GFLOP/s, OpenBLAS %.1f GFLOP/s, ratio %.3f%n",
                    warmup ? "warmup" : "measurement", v, o, v / o);
        }

        /** Prints the summary and closes the engine (the arena is closed by {@link BlasSide#tearDown}). */
        @TearDown
        public void summarize() {
            List<Double> r = new ArrayList<>(iterationRatios);
            r.sort(null);
            if (!r.isEmpty()) {
                double median = r.size() % 2 == 1 ? r.get(r.size() / 2) : (r.get(r.size() / 2 - 1) + r.get(r.size() / 2)) / 2;
                System.out.printf("%npaired summary over %d measurement iterations: ratio Vector API / OpenBLAS median %.3f (min %.3f, max %.3f)%n",
                        r.size(), median, r.get(0), r.get(r.size() - 1));
            }
            backend.close();
        }

        private static double gflops(int blocks, long nanos) {
            return GFLOP_PER_CALL * CALLS * blocks * 1e9 / nanos;
        }
    }

    /**
     * Both libraries in alternating blocks in this one JVM, so that both see the same machine: on a
     * VM whose speed drifts by more than the gap between them, the one-case-after-another forks of
     * {@link #vector} and {@link #openblas} can meet different conditions. Each invocation times a
     * block of Vector API calls and a block of OpenBLAS calls (the order swapped every invocation: a
     * fixed order favours one side), with a pause after each block so that OpenBLAS's worker threads,
     * which keep spinning for about 0.1 s after a call, have gone idle before the next block (this
     * engine's pool parks within microseconds). Prints both rates and their ratio (Vector API /
     * OpenBLAS) per iteration and, at the end, the median ratio over the measurement iterations;
     * JMH's own score here is only the time per invocation.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2, time = 3)
    @Measurement(iterations = 10, time = 3)
    public Tensor paired(PairState p) throws Throwable {
        boolean vectorFirst = (p.invocations++ & 1) == 0;
        for (int side = 0; side < 2; side++) {
            if ((side == 0) == vectorFirst) {
                p.vectorNanos += vectorBlock(p);
                p.vectorBlocks++;
            } else {
                p.blasNanos += blasBlock(p);
                p.blasBlocks++;
            }
            Thread.sleep(PAUSE_MS);
        }
        return p.c;
    }

    private static long vectorBlock(PairState p) {
        int n = N;
        long t0 = System.nanoTime();
        for (int i = 0; i < CALLS; i++) {
            p.backend.gemm(false, false, 1, n, n, n, 1f, p.a, 0, n, 0, p.b, 0, n, 0, 0f, p.c, 0, n, 0);
        }
        return System.nanoTime() - t0;
    }

    private static long blasBlock(PairState p) throws Throwable {
        long t0 = System.nanoTime();
        for (int i = 0; i < CALLS; i++) p.blas.sgemm(N, 1f, p.na, p.nb, 0f, p.nc);
        return System.nanoTime() - t0;
    }
}
