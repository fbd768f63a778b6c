package clp4j.engine.t5;

import clp4j.engine.autodiff.Autodiff;
import clp4j.engine.autodiff.TensorScope;
import clp4j.engine.backend.Backend;
import clp4j.engine.io.SafetensorsFile;
import clp4j.engine.tensor.Tensor;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The golden batch's teacher-forced pass copied to the host: encoder output, logits, loss and every
 * parameter gradient, either computed on a backend ({@link #on}) or read from the PyTorch fixture
 * ({@link #fixture}), and compared element-wise ({@link #assertClose(T5GoldenRun, T5GoldenRun, float, String)})
 * or per tensor in the 2-norm ({@link #assertNormClose}).
 * Shared by T5GoldenTest and other modules' backend tests (through the test-jar).
 */
public record T5GoldenRun(float[] encoderOutput, float[] logits, float[] loss, Map<String, float[]> grads) {

    /** The forward outputs only (no gradients), to compare them under their own tolerance. */
    public T5GoldenRun forward() {
        return new T5GoldenRun(encoderOutput, logits, loss, Map.of());
    }

    /** The PyTorch values of {@code model} ("v1_0" or "v1_1"). */
    public static T5GoldenRun fixture(String model) throws IOException {
        try (SafetensorsFile g = T5Fixtures.golden(model)) {
            Map<String, float[]> grads = new LinkedHashMap<>();
            for (String name : new TreeSet<>(g.tensors().keySet())) {
                if (name.startsWith("grad.")) grads.put(name.substring("grad.".length()), g.readF32(name));
            }
            return new T5GoldenRun(g.readF32("encoder_output"), g.readF32("logits"), g.readF32("loss"), grads);
        }
    }

    /** Loads {@code model}'s checkpoint on {@code backend}, runs the fixture batch forward and backward; every tensor is released after. */
    public static T5GoldenRun on(String model, Backend backend) throws IOException {
        try (SafetensorsFile g = T5Fixtures.golden(model); TensorScope scope = TensorScope.open()) {
            T5Parameters p = T5Fixtures.parameters(model, backend);
            TokenBatch source = source(g);
            int[] labels = T5Fixtures.ints(g.readF32("labels"));
            int targetLength = g.entry("labels").shape()[1];
            assertArrayEquals(T5Fixtures.ints(g.readF32("decoder_input_ids")),
                    T5Loss.shiftRight(labels, source.batch(), targetLength, p.config()), "shift right");
            T5Loss.Result r = T5Loss.teacherForced(new T5Model(p), source, labels, targetLength, T5Dropout.OFF);
            Autodiff.backward(r.loss());
            Map<String, float[]> grads = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : p.asMap().entrySet()) {
                Tensor grad = e.getValue().grad();
                if (grad == null) fail("no gradient reached " + e.getKey() + " on " + backend.name());
                grads.put(e.getKey(), grad.toArray());
                grad.close();   // leaf gradients live outside every scope
            }
            return new T5GoldenRun(r.encoderOutput().toArray(), r.logits().toArray(), r.loss().toArray(), grads);
        }
    }

    /** The fixture's source batch (ids and attention mask). */
    public static TokenBatch source(SafetensorsFile g) throws IOException {
        int[] shape = g.entry("input_ids").shape();
        return new TokenBatch(T5Fixtures.ints(g.readF32("input_ids")), T5Fixtures.ints(g.readF32("attention_mask")),
                shape[0], shape[1]);
    }

    /** Every value of {@code actual} within {@code tol} (absolute or relative) of {@code expected}, and the same gradients. */
    public static void assertClose(T5GoldenRun expected, T5GoldenRun actual, float tol, String against) {
        assertClose(expected.encoderOutput, actual.encoderOutput, tol, "encoder_output vs " + against);
        assertClose(expected.logits, actual.logits, tol, "logits vs " + against);
        assertClose(expected.loss, actual.loss, tol, "loss vs " + against);
        assertEquals(expected.grads.keySet(), actual.grads.keySet(), "every parameter gradient, by name, vs " + against);
        for (Map.Entry<String, float[]> e : expected.grads.entrySet()) {
            assertClose(e.getValue(), actual.grads.get(e.getKey()), tol, "grad." + e.getKey() + " vs " + against);
        }
    }

    /**
     * Each tensor's relative error {@code ||actual - expected||_2 / ||expected||_2} at most {@code relTol}: the
     * check for reduced-precision math (TF32), where single elements legitimately move further (a ReLU
     * input within rounding of 0, a small logit in a row of large ones). Returns the worst tensor and error.
     */
    public static String assertNormClose(T5GoldenRun expected, T5GoldenRun actual, double relTol, String against) {
        assertEquals(expected.grads.keySet(), actual.grads.keySet(), "every parameter gradient, by name, vs " + against);
        Map<String, float[][]> pairs = new LinkedHashMap<>();
        pairs.put("encoder_output", new float[][] {expected.encoderOutput, actual.encoderOutput});
        pairs.put("logits", new float[][] {expected.logits, actual.logits});
        pairs.put("loss", new float[][] {expected.loss, actual.loss});
        for (String name : expected.grads.keySet()) pairs.put("grad." + name, new float[][] {expected.grads.get(name), actual.grads.get(name)});
        StringBuilder over = new StringBuilder();
        String worstName = "";
        double worst = -1;
        for (Map.Entry<String, float[][]> e : pairs.entrySet()) {
            float[] want = e.getValue()[0], got = e.getValue()[1];
            assertEquals(want.length, got.length, e.getKey() + " element count vs " + against);
            double diff = 0, norm = 0;
            for (int i = 0; i < want.length; i++) {
                diff += (double) (got[i] - want[i]) * (got[i] - want[i]);
                norm += (double) want[i] * want[i];
            }
            double rel = Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-30);
            if (!(rel <= relTol)) over.append(' ').append(e.getKey()).append(' ').append((float) rel);
            if (!(rel <= worst)) { worst = rel; worstName = e.getKey(); }
        }
        String summary = "worst relative norm error vs " + against + ": " + (float) worst + " (" + worstName + ")";
        if (!over.isEmpty()) fail("relative norm error above " + relTol + " vs " + against + ":" + over + "; " + summary);
        return summary;
    }

    /** The worst tensor's relative norm error, for the log (fails only when a gradient is missing). */
    public static String worstNormError(T5GoldenRun expected, T5GoldenRun actual, String against) {
        return assertNormClose(expected, actual, Double.POSITIVE_INFINITY, against);
    }

    public static void assertClose(float[] expected, float[] got, float tol, String what) {
        assertEquals(expected.length, got.length, what + " element count");
        int bad = 0;
        int first = -1;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(got[i] - expected[i]);
            double allowed = Math.max(tol, tol * Math.abs(expected[i]));
            if (!(err <= allowed)) {
                if (first < 0) first = i;
                bad++;
            }
            worst = Math.max(worst, err / allowed);
        }
        if (bad > 0) {
            fail(what + ": " + bad + " of " + expected.length + " elements off by more than " + tol + "; first at " + first
                    + ": expected " + expected[first] + ", got " + got[first] + "; worst error " + (float) worst + " x the tolerance");
        }
    }

    @Override
    public String toString() {
        return "T5GoldenRun[loss " + Arrays.toString(loss) + ", " + grads.size() + " gradients]";
    }
}
