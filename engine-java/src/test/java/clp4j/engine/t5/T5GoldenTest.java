package clp4j.engine.t5;

import clp4j.engine.autodiff.Autodiff;
import clp4j.engine.backend.Backend;
import clp4j.engine.backend.Backends;
import clp4j.engine.io.SafetensorsFile;
import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

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
        Backend backend = Backends.get(backendName);
        T5Parameters p = T5Fixtures.parameters(model, backend);
        try (SafetensorsFile g = T5Fixtures.golden(model)) {
            TokenBatch source = source(g);
            int[] labels = T5Fixtures.ints(g.readF32("labels"));
            int targetLength = g.entry("labels").shape()[1];
            assertArrayEquals(T5Fixtures.ints(g.readF32("decoder_input_ids")),
                    T5Loss.shiftRight(labels, source.batch(), targetLength, p.config()), "shift right");

            T5Loss.Result r = T5Loss.teacherForced(new T5Model(p), source, labels, targetLength, T5Dropout.OFF);
            assertClose(g.readF32("encoder_output"), r.encoderOutput(), "encoder_output");
            assertClose(g.readF32("logits"), r.logits(), "logits");
            assertClose(g.readF32("loss"), r.loss(), "loss");

            Autodiff.backward(r.loss());
            int compared = 0;
            for (Map.Entry<String, Tensor> e : p.asMap().entrySet()) {
                Tensor grad = e.getValue().grad();
                if (grad == null) fail("no gradient reached " + e.getKey());
                assertClose(g.readF32("grad." + e.getKey()), grad, "grad." + e.getKey());
                compared++;
            }
            long goldenGrads = g.tensors().keySet().stream().filter(n -> n.startsWith("grad.")).count();
            assertEquals(goldenGrads, compared, "every parameter gradient in the fixture is compared");
        }
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
        int[] shape = g.entry("input_ids").shape();
        return new TokenBatch(T5Fixtures.ints(g.readF32("input_ids")), T5Fixtures.ints(g.readF32("attention_mask")),
                shape[0], shape[1]);
    }

    static void assertClose(float[] expected, Tensor actual, String what) {
        float[] got = actual.toArray();
        assertEquals(expected.length, got.length, what + " element count " + Arrays.toString(actual.shape()));
        int bad = 0;
        int first = -1;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(got[i] - expected[i]);
            if (!(err <= Math.max(TOL, TOL * Math.abs(expected[i])))) {
                if (first < 0) first = i;
                bad++;
            }
        }
        if (bad > 0) {
            fail(what + " " + Arrays.toString(actual.shape()) + ": " + bad + " of " + expected.length
                    + " elements off; first at " + first + ": expected " + expected[first] + ", got " + got[first]);
        }
    }
}
