package clp4j.engine.backend;

import clp4j.engine.backend.vector.CpuThreadPool;
import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Once JIT-compiled, the vector kernels allocate nothing per element. Vector API values are
 * objects: C2 keeps them in registers only when every method they pass through is inlined, and a
 * method that outgrows its inlining budget calls the rest out of line, boxing each vector (it
 * happened: unary ops allocated 12 bytes per element, the skinny GEMM 1.2 MB per decoder-sized
 * product). Each op is called until its allocation per call falls under a small fixed bound (a few
 * objects, whatever the size), or fails after {@link #PATIENCE_NS}: the interpreter and C1 box
 * every vector, so only the compiled code can pass.
 */
class VectorAllocationTest {
    private static final long PATIENCE_NS = 20_000_000_000L;
    /** Bytes per call allowed: tensor views and lambdas, not one box per vector (n / 16 of them). */
    private static final long BOUND = 2048;
    private static final int N = 64 * 1024;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unaryAndItsBackwardStopAllocating(UnaryOp op) {
        try (VectorBackend vb = new VectorBackend(new CpuThreadPool(1))) {
            Random rnd = new Random(5);
            Tensor x = vb.fromArray(TestTensors.uniform(rnd, N, 0.1f, 3f), N);
            Tensor y = vb.zeros(N), gy = vb.fromArray(TestTensors.uniform(rnd, N), N), gx = vb.zeros(N);
            assertSettles("unary " + op, () -> vb.unary(op, x, y));
            assertSettles("unaryBackward " + op, () -> vb.unaryBackward(op, x, y, gy, gx));
        }
    }

    /** Decoder-step shapes: [8, K] x [N, K]^T, the skinny dot-product path. */
    @ParameterizedTest
    @ValueSource(ints = {8, 5, 16})
    void skinnyGemmStopsAllocating(int m) {
        try (VectorBackend vb = new VectorBackend(new CpuThreadPool(1))) {
            Random rnd = new Random(6);
            int k = 512, n = 1024;
            Tensor a = vb.fromArray(TestTensors.uniform(rnd, m * k), m, k);
            Tensor w = vb.fromArray(TestTensors.uniform(rnd, n * k), n, k);
            Tensor c = vb.zeros(m, n);
            assertSettles("gemm " + m + "x" + n + "x" + k, () -> vb.gemm(false, true, 1, m, n, k, 1f, a, 0, k, 0,
                    w, 0, k, 0, 0f, c, 0, n, 0));
        }
    }

    /**
     * The packed GEMM path with all four transpose combinations in turn, so that both layouts of
     * each packing routine are hot together (one method holding both once left the gather out of
     * line: packing a transposed operand boxed vectors and ran 6x slower).
     */
    @org.junit.jupiter.api.Test
    void packedGemmStopsAllocatingWithEveryLayout() {
        try (VectorBackend vb = new VectorBackend(new CpuThreadPool(1))) {
            assertSettles("gemm 96^3, every transpose", packedGemms(vb));
        }
    }

    /** 96^3 products (past the skinny path) with each of the four transpose combinations. */
    private static Runnable packedGemms(VectorBackend vb) {
        Random rnd = new Random(8);
        int n = 96;
        Tensor a = vb.fromArray(TestTensors.uniform(rnd, n * n), n, n);
        Tensor b = vb.fromArray(TestTensors.uniform(rnd, n * n), n, n);
        Tensor c = vb.zeros(n, n);
        return () -> {
            for (int t = 0; t < 4; t++) {
                vb.gemm((t & 1) != 0, (t & 2) != 0, 1, n, n, n, 1f, a, 0, n, 0, b, 0, n, 0, 0f, c, 0, n, 0);
            }
        };
    }

    private static boolean gemmCompiled;

    /**
     * Runs the packed GEMMs many times (once per JVM) so that C2 has compiled them, with their deep
     * inlining, before the row kernels: the history of a training step, in which log-softmax and
     * the cross-entropy boxed a vector per row at 128 bits (an out-of-line lane sum; reproduced on
     * every run before the fix), and once, in a full-suite run at 512 bits, several per 16
     * elements (an out-of-line VMath.exp; that one depends on compile timing and did not recur).
     */
    private static void compilePackedGemm(VectorBackend vb) {
        if (gemmCompiled) return;
        Runnable gemms = packedGemms(vb);
        for (int i = 0; i < 30_000; i++) gemms.run();
        gemmCompiled = true;
    }

    /**
     * Row kernels over many rows, after the packed GEMM has been compiled (see compilePackedGemm):
     * a vector boxed per row would show as rows x 48 bytes or more.
     */
    @ParameterizedTest
    @ValueSource(strings = {"softmax", "maskedSoftmax", "logSoftmax", "maskedLogSoftmax", "softmaxBackward",
            "logSoftmaxBackward", "crossEntropy", "crossEntropyBackward", "rmsNorm"})
    void rowKernelsStopAllocating(String op) {
        try (VectorBackend vb = new VectorBackend(new CpuThreadPool(1))) {
            Random rnd = new Random(7);
            int rows = 256, d = 300;
            Tensor x = vb.fromArray(TestTensors.uniform(rnd, rows * d, -3f, 3f), rows, d);
            Tensor y = vb.zeros(rows, d), g = vb.fromArray(TestTensors.uniform(rnd, rows * d), rows, d), gx = vb.zeros(rows, d);
            Tensor w = vb.fromArray(TestTensors.uniform(rnd, d), d), rstd = vb.zeros(rows);
            Tensor nll = vb.zeros(rows), gNll = vb.fromArray(TestTensors.uniform(rnd, rows), rows);
            Tensor mask = vb.fromArray(TestTensors.uniform(rnd, rows * d, -1f, 0f), rows, d);
            int[] targets = new int[rows];
            for (int r = 0; r < rows; r++) targets[r] = rnd.nextInt(d);
            vb.softmax(x, null, y);
            compilePackedGemm(vb);
            Runnable run = switch (op) {
                case "softmax" -> () -> vb.softmax(x, null, y);
                case "maskedSoftmax" -> () -> vb.softmax(x, mask, y);
                case "maskedLogSoftmax" -> () -> vb.logSoftmax(x, mask, y);
                case "crossEntropyBackward" -> () -> vb.crossEntropyBackward(x, targets, -100, gNll, gx);
                case "logSoftmax" -> () -> vb.logSoftmax(x, null, y);
                case "softmaxBackward" -> () -> vb.softmaxBackward(y, g, gx);
                case "logSoftmaxBackward" -> () -> vb.logSoftmaxBackward(y, g, gx);
                case "crossEntropy" -> () -> vb.crossEntropy(x, targets, -100, nll);
                case "rmsNorm" -> () -> vb.rmsNorm(x, w, 1e-6f, y, rstd);
                default -> throw new IllegalArgumentException(op);
            };
            assertSettles(op, run);
        }
    }

    private static void assertSettles(String what, Runnable op) {
        long id = Thread.currentThread().threadId();
        long start = System.nanoTime();
        long last = Long.MAX_VALUE;
        while (System.nanoTime() - start < PATIENCE_NS) {
            for (int i = 0; i < 200; i++) op.run();
            long before = THREADS.getThreadAllocatedBytes(id);
            for (int i = 0; i < 20; i++) op.run();
            last = (THREADS.getThreadAllocatedBytes(id) - before) / 20;
            if (last <= BOUND) return;
        }
        fail(what + " still allocates " + last + " bytes per call after " + PATIENCE_NS / 1_000_000_000L
                + " s of calls (bound " + BOUND + "): a vector is being boxed in the compiled kernel");
    }
}
