package clp4j.bench.ab;

import clp4j.engine.autodiff.Autodiff;
import clp4j.engine.autodiff.TensorScope;
import clp4j.engine.backend.Backend;
import clp4j.engine.backend.Backends;
import clp4j.engine.t5.T5Config;
import clp4j.engine.t5.T5Dropout;
import clp4j.engine.t5.T5Init;
import clp4j.engine.t5.T5Loss;
import clp4j.engine.t5.T5Model;
import clp4j.engine.t5.TokenBatch;
import clp4j.engine.t5.generate.GenerationConfig;
import clp4j.engine.t5.generate.Generator;
import clp4j.engine.tensor.Tensor;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * One engine build's side of {@link SameJvmAB}: loaded once per build (each in its own class loader),
 * it runs a named workload once and returns its time. The workloads are T5Benchmark's and
 * GemmBenchmark's: "train" (T5-small step, batch 8, 128/32), "greedy" (32 greedy tokens x 8 rows),
 * "encode" (greedy's encoder forward alone, 8 x 128 tokens),
 * "gemm" (1024^3) and "lmhead" (a decode step's LM head: [8, 512] x [32128, 512]^T, the skinny
 * path); the last two as many calls as fit in 0.3 s, returned as ms per call. Only public engine
 * API is used, so the class runs against an older build of engine-java too.
 */
public final class EngineWorkload implements ToDoubleFunction<String> {
    private static final int N = 1024;

    private final T5Model model;
    private final TokenBatch source;
    private final int[] labels;
    private final Backend backend;
    private final Tensor a, b, c, x8, lmHead, logits;

    public EngineWorkload() {
        backend = Backends.get(Backends.defaultName());
        T5Config cfg = new T5Config(32128, 512, 64, 2048, 8, 6, 6, 32, 128, 1e-6f, 0.1f,
                T5Config.FeedForward.RELU, true, 0, 1, 0);
        model = new T5Model(T5Init.random(cfg, backend, 42).requiresGrad(true));
        SplittableRandom rng = new SplittableRandom(7);
        int[] ids = new int[8 * 128];
        for (int i = 0; i < ids.length; i++) ids[i] = 2 + rng.nextInt(32000 - 2);
        source = TokenBatch.of(ids, 8, 128);
        labels = new int[8 * 32];
        for (int i = 0; i < labels.length; i++) labels[i] = 2 + rng.nextInt(32000 - 2);
        float[] x = new float[N * N], y = new float[N * N];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble(-0.5, 0.5);
            y[i] = (float) rng.nextDouble(-0.5, 0.5);
        }
        a = backend.fromArray(x, N, N);
        b = backend.fromArray(y, N, N);
        c = backend.zeros(N, N);
        x8 = backend.fromArray(java.util.Arrays.copyOf(x, 8 * 512), 8, 512);
        lmHead = backend.fromArray(java.util.Arrays.copyOf(y, 32128 * 512), 32128, 512);
        logits = backend.zeros(8, 32128);
    }

    /** Milliseconds for one run of the workload (for "gemm": per call, averaged over 0.3 s). */
    @Override
    public double applyAsDouble(String workload) {
        long t0 = System.nanoTime();
        switch (workload) {
            case "train" -> {
                Autodiff.zeroGrad(model.parameters().asMap().values());
                try (TensorScope scope = TensorScope.open()) {
                    Autodiff.backward(T5Loss.teacherForced(model, source, labels, 32, T5Dropout.OFF).loss());
                }
            }
            case "greedy" -> Generator.generate(model, source, GenerationConfig.greedy(32).forcingAllTokens());
            case "encode" -> {
                try (var noGrad = Autodiff.noGrad(); TensorScope scope = TensorScope.open()) {
                    model.encode(source, T5Dropout.OFF);
                }
            }
            case "gemm", "lmhead" -> {
                boolean square = workload.equals("gemm");
                int calls = 0;
                while (System.nanoTime() - t0 < 300_000_000L) {
                    if (square) backend.gemm(false, false, 1, N, N, N, 1f, a, 0, N, 0, b, 0, N, 0, 0f, c, 0, N, 0);
                    else backend.gemm(false, true, 1, 8, 32128, 512, 1f, x8, 0, 512, 0, lmHead, 0, 512, 0, 0f, logits, 0, 32128, 0);
                    calls++;
                }
                return (System.nanoTime() - t0) / 1e6 / calls;
            }
            default -> throw new IllegalArgumentException("unknown workload '" + workload + "': use train, greedy, encode, gemm or lmhead");
        }
        return (System.nanoTime() - t0) / 1e6;
    }
}
