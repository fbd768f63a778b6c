package clp4j.nativ.cuda.lab;

import clp4j.engine.backend.Backend;
import clp4j.engine.tensor.Tensor;

import java.util.Random;

/**
 * One kernel-lab case, llm.c dev/cuda style: a backend op on inputs built the same way on every
 * backend, checked against the reference at a small size and timed at a large one.
 *
 * @param name    op and variant, e.g. "mix m=3 (attention)"
 * @param shape   the shapes, for the report
 * @param bytes   bytes a perfect kernel moves per run (for GB/s), 0 if compute-bound
 * @param flops   floating-point operations per run (for GFLOP/s), 0 if memory-bound
 * @param gemm    true for cuBLAS cases (TF32 changes the tolerance)
 * @param factory builds the inputs and the op on a backend
 */
public record LabCase(String name, String shape, long bytes, double flops, boolean gemm, Factory factory) {

    /** Builds the inputs of one case on a backend. */
    public interface Factory {
        Instance create(Backend b, Init init);
    }

    /** A case ready to run: {@link #run()} may be called repeatedly (timing); outputs are read after the first. */
    public interface Instance {
        void run();

        Tensor[] outputs();
    }

    /**
     * Input maker: seeded random values when checking (identical on every backend for one seed), a
     * device-side fill when timing (no host data for whole-model tensors).
     */
    public static final class Init {
        private final Random rnd;
        private final boolean random;

        public Init(long seed, boolean random) {
            this.rnd = new Random(seed);
            this.random = random;
        }

        /** Values in [-1, 1). */
        public Tensor t(Backend b, int... shape) { return make(b, -1f, 2f, shape); }

        /** Values in [0.1, 1.1) (log, second moments). */
        public Tensor positive(Backend b, int... shape) { return make(b, 0.1f, 1f, shape); }

        private Tensor make(Backend b, float lo, float span, int... shape) {
            if (!random) {
                Tensor x = b.zeros(shape);
                b.fill(x, lo + span / 2);
                return x;
            }
            float[] a = new float[Math.toIntExact(Tensor.numel(shape))];
            for (int i = 0; i < a.length; i++) a[i] = lo + span * rnd.nextFloat();
            return b.fromArray(a, shape);
        }

        public int[] ids(int n, int bound) {
            int[] ids = new int[n];
            for (int i = 0; i < n; i++) ids[i] = random ? rnd.nextInt(bound) : (int) ((i * 2654435761L) % bound);
            return ids;
        }
    }
}
