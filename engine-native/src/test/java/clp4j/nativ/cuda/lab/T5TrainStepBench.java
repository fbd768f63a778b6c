package clp4j.nativ.cuda.lab;

import clp4j.engine.autodiff.Autodiff;
import clp4j.engine.autodiff.TensorScope;
import clp4j.engine.backend.Backend;
import clp4j.engine.backend.Backends;
import clp4j.engine.t5.T5Config;
import clp4j.engine.t5.T5Dropout;
import clp4j.engine.t5.T5Init;
import clp4j.engine.t5.T5Loss;
import clp4j.engine.t5.T5Model;
import clp4j.engine.t5.T5Parameters;
import clp4j.engine.t5.TokenBatch;
import clp4j.nativ.cuda.CudaBackend;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One T5 training step timed on the GPU: teacher-forced forward, loss, backward into every parameter
 * gradient (zeroed first), random weights, no padding, dropout off. The PyTorch peer,
 * scripts/t5_train_bench.py, does the same on the same shapes; scripts/gpu-check.sh runs both in one
 * session and prints the ratio. Each step runs in a TensorScope and ends with a stream synchronisation
 * (loss.item() and CudaBackend.synchronize), so the wall time covers all of its GPU work; the caching
 * allocator's bytes in use are printed per step and must not grow after the first.
 * <p>Usage: {@code T5TrainStepBench [--model t5-base|flan-t5-base|tiny] [--batch 32] [--source 512]
 * [--target 64] [--warmup 2] [--steps 5] [--tf32 true] [--backend cuda]}. Prints one
 * {@code RESULT java ...} line.
 */
public final class T5TrainStepBench {
    private T5TrainStepBench() { }

    /** HF configs: t5-base (v1.0: relu, d_ff 3072, tied) and flan-t5-base (v1.1: gated-gelu, d_ff 2048, untied). */
    static T5Config config(String model) {
        return switch (model) {
            case "t5-base" -> new T5Config(32128, 768, 64, 3072, 12, 12, 12, 32, 128, 1e-6f, 0.1f,
                    T5Config.FeedForward.RELU, true, 0, 1, 0);
            case "flan-t5-base" -> new T5Config(32128, 768, 64, 2048, 12, 12, 12, 32, 128, 1e-6f, 0.1f,
                    T5Config.FeedForward.GATED_GELU, false, 0, 1, 0);
            case "tiny" -> new T5Config(128, 32, 8, 64, 4, 2, 2, 32, 128, 1e-6f, 0.1f,
                    T5Config.FeedForward.RELU, true, 0, 1, 0);
            default -> throw new IllegalArgumentException("--model " + model + ": use t5-base, flan-t5-base or tiny");
        };
    }

    public static void main(String[] args) {
        Map<String, String> a = options(args);
        String model = a.getOrDefault("model", "t5-base");
        int batch = Integer.parseInt(a.getOrDefault("batch", "32"));
        int source = Integer.parseInt(a.getOrDefault("source", "512"));
        int target = Integer.parseInt(a.getOrDefault("target", "64"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "2"));
        int steps = Integer.parseInt(a.getOrDefault("steps", "5"));
        boolean tf32 = Boolean.parseBoolean(a.getOrDefault("tf32", "true"));
        String backendName = a.getOrDefault("backend", "cuda");
        T5Config c = config(model);
        if (warmup < 1 || steps < 1) throw new IllegalArgumentException("--warmup and --steps must be at least 1");

        try (Backend backend = backendName.equals("cuda") ? new CudaBackend(0, tf32) : Backends.create(backendName)) {
            long t0 = System.nanoTime();
            T5Parameters p = T5Init.random(c, backend, 1234).requiresGrad(true);
            T5Model m = new T5Model(p);
            SplittableRandom rng = new SplittableRandom(99);
            TokenBatch src = TokenBatch.of(randomIds(rng, batch * source, c.vocabSize()), batch, source);
            int[] labels = randomIds(rng, batch * target, c.vocabSize());
            System.out.printf("clp4j %s on %s: %s, %,d parameters, batch %d, source %d, target %d, tf32 %s; init %.1f s%n",
                    model, backend, c.feedForwardProj(), p.count(), batch, source, target, tf32, (System.nanoTime() - t0) / 1e9);

            CudaBackend cuda = backend instanceof CudaBackend cb ? cb : null;
            long[] inUse = new long[warmup + steps];
            double total = 0;
            for (int s = 0; s < warmup + steps; s++) {
                long start = System.nanoTime();
                float loss = step(m, p, src, labels, target);
                backend.synchronize();
                double ms = (System.nanoTime() - start) / 1e6;
                if (s >= warmup) total += ms;
                inUse[s] = cuda == null ? -1 : cuda.allocator().bytesInUse();
                System.out.printf("step %d%s: %.1f ms, loss %.4f%s%n", s, s < warmup ? " (warm-up)" : "", ms, loss,
                        cuda == null ? "" : String.format(", device bytes in use %,d, cached %,d, cuMemAlloc calls %d",
                                inUse[s], cuda.allocator().bytesCached(), cuda.allocator().rawAllocations()));
            }
            double msPerStep = total / steps;
            double tokens = (double) batch * (source + target);
            boolean steady = Arrays.stream(inUse, 1, inUse.length).allMatch(v -> v == inUse[1]);
            // every block ever taken from the device is in use or cached: their sum bounds the step's peak
            double footprintGib = cuda == null ? 0 : (cuda.allocator().bytesInUse() + cuda.allocator().bytesCached()) / 1073741824.0;
            System.out.printf("RESULT java %s batch=%d source=%d target=%d tf32=%s ms_per_step=%.2f tokens_per_s=%.0f "
                    + "memory_steady=%s device_footprint_gib=%.2f%n",
                    model, batch, source, target, tf32, msPerStep, tokens / (msPerStep / 1e3), steady, footprintGib);
            if (!steady) throw new AssertionError("device bytes in use changed between steps: " + Arrays.toString(inUse));
        }
    }

    /** Zero the gradients, forward, loss, backward; every per-step tensor is released when the scope closes. */
    static float step(T5Model m, T5Parameters p, TokenBatch src, int[] labels, int target) {
        try (TensorScope scope = TensorScope.open()) {
            Autodiff.zeroGrad(p.asMap().values());
            T5Loss.Result r = T5Loss.teacherForced(m, src, labels, target, T5Dropout.OFF);
            Autodiff.backward(r.loss());
            return r.loss().item();
        }
    }

    /** Ids in [3, vocab): no pad (0), eos (1) or unk (2), so every position is a real token. */
    static int[] randomIds(SplittableRandom rng, int n, int vocab) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = rng.nextInt(3, vocab);
        return ids;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("arguments are --name value pairs; got " + Arrays.toString(args));
            }
            out.put(args[i].substring(2), args[i + 1]);
        }
        return out;
    }
}
