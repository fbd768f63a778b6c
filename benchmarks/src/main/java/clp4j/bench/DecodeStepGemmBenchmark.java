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
 * The linear layers of one T5-small decoding step, one after the other, X [M, K] W^T for every
 * weight W [N, K] (HF layout): per layer self-attention q, k, v, o and cross-attention q, o
 * (512 x 512), the feed-forward wi (2048 x 512) and wo (512 x 2048), six layers, then the LM head
 * (32128 x 512); 154 MB of weights. Unlike {@link SkinnyGemmBenchmark}, which repeats one product
 * on a weight that partly stays in cache, each weight here is read once per step and evicted by
 * the others before the next, as in generation, so the products run at the rate memory delivers.
 * VectorBackend.gemm against OpenBLAS cblas_sgemm with the same thread count, in one run; the score
 * is steps per second and "gbps" GB/s of weight read.
 *
 * <p>Run: {@code ./bench '^clp4j.bench.DecodeStepGemmBenchmark'}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DecodeStepGemmBenchmark {
    static final int D = 512, D_FF = 2048, LAYERS = 6, VOCAB = 32128;
    /** {N, K} of every product of one step, in order. */
    static final int[][] SHAPES = shapes();
    static final double GB_PER_STEP = gbPerStep();

    private static int[][] shapes() {
        int[][] s = new int[LAYERS * 8 + 1][];
        int i = 0;
        for (int l = 0; l < LAYERS; l++) {
            for (int p = 0; p < 6; p++) s[i++] = new int[] {D, D};
            s[i++] = new int[] {D_FF, D};
            s[i++] = new int[] {D, D_FF};
        }
        s[i] = new int[] {VOCAB, D};
        return s;
    }

    private static double gbPerStep() {
        double bytes = 0;
        for (int[] s : SHAPES) bytes += (double) s[0] * s[1] * Float.BYTES;
        return bytes / 1e9;
    }

    @State(Scope.Benchmark)
    public static class Batch {
        /** Sequences decoded at once. */
        @Param({"8", "1"})
        public int m;
    }

    @State(Scope.Benchmark)
    public static class VectorState extends VectorSide {
        Tensor x, c;
        Tensor[] w;

        @Setup
        public void setup(Batch b) {
            open();
            int[][] s = SHAPES;
            w = new Tensor[s.length];
            for (int i = 0; i < s.length; i++) w[i] = backend.fromArray(GemmBenchmark.random(10 + i, s[i][0] * s[i][1]), s[i][0], s[i][1]);
            x = backend.fromArray(GemmBenchmark.random(1, b.m * D_FF), b.m, D_FF);
            c = backend.zeros(b.m, VOCAB);
            System.out.printf("%.0f MB of weights per step%n", GB_PER_STEP * 1e3);
        }
    }

    @State(Scope.Benchmark)
    public static class BlasState extends BlasSide {
        MemorySegment x, c;
        MemorySegment[] w;

        @Setup
        public void setup(Batch b) throws Throwable {
            open();
            int[][] s = SHAPES;
            w = new MemorySegment[s.length];
            for (int i = 0; i < s.length; i++) w[i] = random(10 + i, s[i][0] * s[i][1]);
            x = random(1, b.m * D_FF);
            c = zeros((long) b.m * VOCAB);
        }
    }

    @Benchmark
    public Tensor vector(Batch b, VectorState v, WeightTraffic t) {
        for (int i = 0; i < SHAPES.length; i++) {
            int n = SHAPES[i][0], k = SHAPES[i][1];
            v.backend.gemm(false, true, 1, b.m, n, k, 1f, v.x, 0, k, 0, v.w[i], 0, k, 0, 0f, v.c, 0, n, 0);
        }
        t.gbps += GB_PER_STEP;
        return v.c;
    }

    @Benchmark
    public MemorySegment openblas(Batch b, BlasState bs, WeightTraffic t) throws Throwable {
        for (int i = 0; i < SHAPES.length; i++) bs.blas.sgemm(true, b.m, SHAPES[i][0], SHAPES[i][1], 1f, bs.x, bs.w[i], 0f, bs.c);
        t.gbps += GB_PER_STEP;
        return bs.c;
    }
}
