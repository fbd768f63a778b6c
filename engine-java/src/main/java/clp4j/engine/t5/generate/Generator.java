package clp4j.engine.t5.generate;

import clp4j.engine.autodiff.Autodiff;
import clp4j.engine.autodiff.TensorScope;
import clp4j.engine.t5.T5Model;
import clp4j.engine.t5.TokenBatch;

/**
 * Batched T5 generation with a KV cache: greedy or seeded sampling (temperature, top-k, top-p), up to
 * {@code maxNewTokens} per row, each row stopping at its {@code </s>}. Source rows may be padded
 * ({@link TokenBatch#padded}); padding is masked and does not change a row's result.
 *
 * <pre>{@code
 * Generation g = Generator.generate(model, TokenBatch.padded(prompts, 0),
 *         GenerationConfig.sampling(64, SamplingConfig.sample(0.7f, 50, 0.95f), seed));
 * }</pre>
 *
 * Runs without gradients and releases every tensor it made before returning; the token loop allocates
 * nothing (caches, logits and host buffers are made once per call).
 */
public final class Generator {
    private Generator() { }

    public static Generation generate(T5Model model, TokenBatch source, GenerationConfig config) {
        try (var ng = Autodiff.noGrad(); var scope = TensorScope.open()) {
            GenerationRun run = new GenerationRun(model, source, config);
            while (run.hasNext()) run.step();
            return run.result();
        }
    }
}
