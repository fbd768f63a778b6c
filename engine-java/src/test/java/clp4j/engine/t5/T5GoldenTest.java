package clp4j.engine.t5;

import clp4j.engine.autodiff.Autodiff;
import clp4j.engine.backend.Backends;
import clp4j.engine.io.SafetensorsFile;
import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Golden-state test in the manner of llm.c's test_gpt2: the fixture batch through the model on every
 * available backend; encoder output, logits, loss and every parameter gradient must agree with the
 * PyTorch reference within 1e-4 (absolute or relative), and greedy decoding must give its tokens.
 */
class T5GoldenTest {
    private static final float TOL = 1e-4f;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String backend : Backends.names()) {
            // every available implementation once (a provider registered under an alias of another is skipped)
            if (!Backends.isAvailable(backend) || !Backends.get(backend).name().equals(backend)) continue;
            for (String model : new String[] {"v1_0", "v1_1"}) out.add(Arguments.of(backend, model));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void forwardLossAndEveryGradient(String backendName, String model) throws Exception {
        T5GoldenRun.assertClose(T5GoldenRun.fixture(model), T5GoldenRun.on(model, Backends.get(backendName)), TOL, "PyTorch");
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void greedyDecodingGivesTheReferenceTokens(String backendName, String model) throws Exception {
        T5Parameters p = T5Fixtures.parameters(model, Backends.get(backendName));
        try (SafetensorsFile g = T5Fixtures.golden(model); var ng = Autodiff.noGrad()) {
            assertEquals("false", g.metadata().get("greedy_stops_at_eos"));
            int steps = Integer.parseInt(g.metadata().get("greedy_steps"));
            int[] expected = T5Fixtures.ints(g.readF32("greedy_tokens"));
            T5Model m = new T5Model(p);
            TokenBatch source = source(g);
            assertArrayEquals(expected, GreedyLoop.run(m, source, steps, false), "greedy tokens without cache");
            assertArrayEquals(expected, GreedyLoop.run(m, source, steps, true), "greedy tokens through the DecoderCache hook");
        }
    }

    static TokenBatch source(SafetensorsFile g) throws Exception {
        return T5GoldenRun.source(g);
    }

    static void assertClose(float[] expected, Tensor actual, String what) {
        T5GoldenRun.assertClose(expected, actual.toArray(), TOL, what + " " + Arrays.toString(actual.shape()));
    }
}
