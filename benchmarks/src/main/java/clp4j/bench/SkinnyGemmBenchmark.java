package clp4j.bench;

import clp4j.engine.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * A decoding step's linear layer, C [M, N] = X [M, K] W^T with W [N, K] (HF layout, transB), on
 * all cores: VectorBackend.gemm (the skinny path for M &lt;= 16) against OpenBLAS cblas_sgemm with
 * the same thread count, in one run. M is the batch of sequences being decoded; N = 32128 is
 * T5's LM head, N = 2048 a feed-forward layer of T5-base's size. The "gbps" counter is GB/s of
 * weight traffic (N K 4 bytes per call), the bound for these memory-bound products.
 *
 * <p>Run: {@code ./bench SkinnyGemmBenchmark} (add e.g. {@code -p m=8}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class SkinnyGemmBenchmark {
    static final int K = 512;

    @State(Scope.Benchmark)
    public static class Shape {
        @Param({"1", "8", "16"})
        public int m;
        @Param({"32128", "2048"})
        public int n;

        double gbPerCall() {
            return (double) n * K * Float.BYTES / 1e9;
        }
    }

    @State(Scope.Benchmark)
    public static class VectorState extends VectorSide {
        Tensor x, w, c;

        @Setup
        public void setup(Shape s) {
            open();
            x = backend.fromArray(GemmBenchmark.random(1, s.m * K), s.m, K);
            w = backend.fromArray(GemmBenchmark.random(2, s.n * K), s.n, K);
            c = backend.zeros(s.m, s.n);
        }
    }

    @State(Scope.Benchmark)
    public static class BlasState extends BlasSide {
        MemorySegment x, w, c;

        @Setup
        public void setup(Shape s) throws Throwable {
            open();
            x = random(1, s.m * K);
            w = random(2, s.n * K);
            c = zeros((long) s.m * s.n);
        }
    }

    @Benchmark
    public Tensor vector(Shape s, VectorState v, WeightTraffic t) {
        v.backend.gemm(false, true, 1, s.m, s.n, K, 1f, v.x, 0, K, 0, v.w, 0, K, 0, 0f, v.c, 0, s.n, 0);
        t.gbps += s.gbPerCall();
        return v.c;
    }

    @Benchmark
    public MemorySegment openblas(Shape s, BlasState b, WeightTraffic t) throws Throwable {
        b.blas.sgemm(true, s.m, s.n, K, 1f, b.x, b.w, 0f, b.c);
        t.gbps += s.gbPerCall();
        return b.c;
    }
}
