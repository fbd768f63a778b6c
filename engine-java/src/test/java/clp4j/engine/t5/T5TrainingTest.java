package clp4j.engine.t5;

import clp4j.engine.autodiff.Autodiff;
import clp4j.engine.autodiff.TensorScope;
import clp4j.engine.backend.Backends;
import clp4j.engine.io.SafetensorsFile;
import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training-mode behaviour: seeded dropout is reproducible, changes the pass and still yields every
 * gradient; a step inside a TensorScope releases its temporaries but never the parameters or their grads.
 */
class T5TrainingTest {
    private static float[] loss(T5Parameters p, SafetensorsFile g, T5Dropout dropout) throws Exception {
        int[] labels = T5Fixtures.ints(g.readF32("labels"));
        T5Loss.Result r = T5Loss.teacherForced(new T5Model(p), T5GoldenTest.source(g), labels, g.entry("labels").shape()[1], dropout);
        return r.loss().toArray();
    }

    @Test
    void seededDropoutIsReproducibleAndOnlyInTraining() throws Exception {
        T5Parameters p = T5Fixtures.parameters("v1_1", Backends.get("reference"));
        try (SafetensorsFile g = T5Fixtures.golden("v1_1")) {
            float[] eval;
            float[] a;
            float[] b;
            float[] other;
            try (var ng = Autodiff.noGrad()) {
                eval = loss(p, g, T5Dropout.OFF);
                a = loss(p, g, T5Dropout.training(0.1f, 11));
                b = loss(p, g, T5Dropout.training(0.1f, 11));
                other = loss(p, g, T5Dropout.training(0.1f, 12));
            }
            assertArrayEquals(g.readF32("loss"), eval, 1e-4f);
            assertArrayEquals(a, b, "same seed, same pass");
            assertNotEquals(eval[0], a[0]);
            assertNotEquals(a[0], other[0]);
            assertSame(T5Dropout.OFF, T5Dropout.training(0f, 5));
            assertThrows(IllegalArgumentException.class, () -> T5Dropout.training(1f, 5));

            T5Loss.Result r = T5Loss.teacherForced(new T5Model(p), T5GoldenTest.source(g), T5Fixtures.ints(g.readF32("labels")),
                    g.entry("labels").shape()[1], T5Dropout.training(0.1f, 11));
            assertEquals(a[0], r.loss().item());
            Autodiff.backward(r.loss());
            for (Map.Entry<String, Tensor> e : p.asMap().entrySet()) {
                assertTrue(e.getValue().grad() != null, "gradient reaches " + e.getKey() + " with dropout on");
            }
        }
    }

    @Test
    void stepsInsideTensorScopesKeepParametersAndGradients() throws Exception {
        T5Parameters p = T5Fixtures.parameters("v1_0", Backends.get("reference"));
        try (SafetensorsFile g = T5Fixtures.golden("v1_0")) {
            int[] labels = T5Fixtures.ints(g.readF32("labels"));
            int t = g.entry("labels").shape()[1];
            TokenBatch source = T5GoldenTest.source(g);
            float[] losses = new float[2];
            Tensor logits = null;
            for (int step = 0; step < 2; step++) {
                Autodiff.zeroGrad(p.asMap().values());
                try (TensorScope scope = TensorScope.open()) {
                    T5Loss.Result r = T5Loss.teacherForced(new T5Model(p), source, labels, t, T5Dropout.OFF);
                    Autodiff.backward(r.loss());
                    losses[step] = r.loss().item();
                    logits = r.logits();
                }
                assertTrue(logits.isReleased(), "temporaries of the step are released");
                for (Map.Entry<String, Tensor> e : p.asMap().entrySet()) {
                    assertTrue(!e.getValue().isReleased() && !e.getValue().grad().isReleased(), e.getKey() + " survives the scope");
                }
                T5GoldenTest.assertClose(g.readF32("grad.shared.weight"), p.get("shared.weight").grad(), "grad.shared.weight, step " + step);
            }
            assertEquals(losses[0], losses[1]);
            assertArrayEquals(g.readF32("loss"), new float[] {losses[0]}, 1e-4f);
        }
    }
}
