package clp4j.bench;

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
import clp4j.engine.t5.generate.Generation;
import clp4j.engine.t5.generate.GenerationConfig;
import clp4j.engine.t5.generate.Generator;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * T5-small (v1.0 layout as HF's {@code t5-small}: relu feed-forward, tied embeddings; d_model 512, 6+6
 * layers, 8 heads, d_kv 64, d_ff 2048, vocab 32128) with random weights, batch 8, source 128, target 32:
 * <ul>
 *   <li>{@code trainStep}: teacher-forced loss forward + backward (every parameter gradient), dropout off,
 *       gradients zeroed before each step;</li>
 *   <li>{@code greedy32}: encoder + greedy generation of exactly 32 new tokens per row with the KV cache
 *       (no stop at eos), log-probabilities included.</li>
 * </ul>
 * The PyTorch peer is {@code benchmarks/python/t5_torch_bench.py} (same shapes, same two measurements).
 * Backend: {@code -p backend=...}, default the best available ({@code vector} when present).
 * Run: {@code java -jar benchmarks/target/benchmarks.jar T5Benchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx6g", "-Xss8m"})
public class T5Benchmark {
    static final int BATCH = 8;
    static final int SOURCE = 128;
    static final int TARGET = 32;
    static final int NEW_TOKENS = 32;

    /** "" picks {@link Backends#defaultName()}. */
    @Param({""})
    public String backend;

    private T5Model model;
    private TokenBatch source;
    private int[] labels;

    /** HF t5-small's config.json values. */
    static T5Config t5Small() {
        return new T5Config(32128, 512, 64, 2048, 8, 6, 6, 32, 128, 1e-6f, 0.1f, T5Config.FeedForward.RELU,
                true, 0, 1, 0);
    }

    @Setup(Level.Trial)
    public void setup() {
        Backend be = Backends.get(backend.isEmpty() ? Backends.defaultName() : backend);
        System.out.println("# T5Benchmark backend: " + be.name());
        T5Parameters p = T5Init.random(t5Small(), be, 42).requiresGrad(true);
        model = new T5Model(p);
        SplittableRandom rng = new SplittableRandom(7);
        int[] ids = new int[BATCH * SOURCE];
        for (int i = 0; i < ids.length; i++) ids[i] = 2 + rng.nextInt(32000 - 2);
        source = TokenBatch.of(ids, BATCH, SOURCE);
        labels = new int[BATCH * TARGET];
        for (int i = 0; i < labels.length; i++) labels[i] = 2 + rng.nextInt(32000 - 2);
    }

    @Benchmark
    public float trainStep() {
        Autodiff.zeroGrad(model.parameters().asMap().values());
        try (TensorScope scope = TensorScope.open()) {
            T5Loss.Result r = T5Loss.teacherForced(model, source, labels, TARGET, T5Dropout.OFF);
            Autodiff.backward(r.loss());
            return r.loss().item();
        }
    }

    @Benchmark
    public Generation greedy32() {
        return Generator.generate(model, source, GenerationConfig.greedy(NEW_TOKENS).forcingAllTokens());
    }
}
