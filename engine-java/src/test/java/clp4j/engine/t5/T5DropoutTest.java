package clp4j.engine.t5;

import clp4j.engine.autodiff.Autodiff;
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

/** Training-mode dropout is seeded and reproducible, changes the pass, and still yields every gradient. */
class T5DropoutTest {
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
}
