package clp4j.engine.t5.generate;

import clp4j.engine.autodiff.Autodiff;
import clp4j.engine.autodiff.TensorScope;
import clp4j.engine.backend.Backends;
import clp4j.engine.t5.T5Config;
import clp4j.engine.t5.T5Init;
import clp4j.engine.t5.T5Model;
import clp4j.engine.t5.TokenBatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.management.ManagementFactory;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The token loop allocates no tensors and no buffers. Strictly: no backend allocation happens during a
 * step (every backend allocation is tracked by the innermost {@link TensorScope}). In bytes, measured with
 * com.sun.management.ThreadMXBean: a step allocates less than half of one [B, vocab] buffer, and late steps
 * (long caches) no more than early ones. What remains on the reference backend is its own per-call
 * scratch (one softmax row, shape copies, check messages), independent of the batch size. The byte
 * bound is checked on the reference backend only: Vector API kernels box vectors on the heap until C2
 * has compiled them, so on the vector backend the bytes measure the JIT's progress, not this loop.
 */
class GenerationAllocationTest {
    private static final int B = 16;
    private static final int VOCAB = 4096;
    private static final int STEPS = 24;

    static Stream<String> backends() {
        return Backends.names().stream().filter(Backends::isAvailable);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void stepsAllocateNoTensorsOrBuffers(String backend) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM does not measure per-thread allocation");
        T5Config c = new T5Config(VOCAB, 32, 8, 48, 4, 2, 2, 32, 128, 1e-6f, 0.1f, T5Config.FeedForward.GATED_GELU,
                false, 0, 1, 0);
        T5Model m = new T5Model(T5Init.random(c, Backends.get(backend), 3));
        int[] ids = new int[B * 9];
        for (int i = 0; i < ids.length; i++) ids[i] = 2 + (i * 37) % (VOCAB - 2);
        TokenBatch source = TokenBatch.of(ids, B, 9);
        for (SamplingConfig s : new SamplingConfig[] {SamplingConfig.GREEDY, SamplingConfig.sample(0.9f, 50, 0.9f)}) {
            GenerationConfig cfg = new GenerationConfig(STEPS, s, 5, false);
            long threadId = Thread.currentThread().threadId();
            long[] perStep = new long[STEPS];
            for (int round = 0; round < 3; round++) { // later rounds run JIT-compiled code
                try (var ng = Autodiff.noGrad(); var scope = TensorScope.open()) {
                    GenerationRun run = new GenerationRun(m, source, cfg);
                    try (TensorScope steps = TensorScope.open()) {
                        for (int step = 0; step < STEPS; step++) {
                            long before = threads.getThreadAllocatedBytes(threadId);
                            run.step();
                            perStep[step] = threads.getThreadAllocatedBytes(threadId) - before;
                        }
                        assertEquals(0, steps.trackedCount(), backend + " " + s + ": the steps allocated tensors");
                    }
                    assertEquals(STEPS, run.steps());
                }
            }
            if (!backend.equals("reference")) continue;
            long logitsBytes = 4L * B * VOCAB;
            long max = 0;
            long first = perStep[1];
            for (int step = 1; step < STEPS; step++) max = Math.max(max, perStep[step]);
            assertTrue(max < logitsBytes / 2, backend + " " + s + ": a step allocated " + max + " bytes; one [B, vocab] buffer is "
                    + logitsBytes + " (per step: " + java.util.Arrays.toString(perStep) + ")");
            // flat: late steps (longer caches) allocate no more than early ones, up to a little noise
            assertTrue(perStep[STEPS - 1] <= first + 1024, backend + " " + s + ": allocation grows with the position: "
                    + java.util.Arrays.toString(perStep));
        }
    }
}
