package clp4j.engine.t5;

import clp4j.engine.autodiff.Autodiff;
import clp4j.engine.autodiff.TensorScope;
import clp4j.engine.backend.VectorBackend;
import clp4j.engine.backend.vector.CpuThreadPool;
import clp4j.engine.io.SafetensorsFile;
import clp4j.engine.optim.Adafactor;
import clp4j.engine.optim.ConstantSchedule;
import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Same seed, same backend, same thread count: a few T5 training steps (dropout on, Adafactor) on
 * the vector backend, run twice in one JVM, end in bit-identical parameters. The first run goes
 * through partly interpreted kernels and the second through compiled ones, which is where an
 * unspecified lane order used to show.
 */
class VectorTrainingRepeatTest {
    private static final int STEPS = 3;

    @Test
    void repeatedTrainingRunGivesTheSameParameters() throws Exception {
        try (VectorBackend vb = new VectorBackend(new CpuThreadPool(3))) {
            Map<String, float[]> first = train(vb);
            Map<String, float[]> second = train(vb);
            assertEquals(first.keySet(), second.keySet());
            for (Map.Entry<String, float[]> e : first.entrySet()) {
                float[] a = e.getValue(), b = second.get(e.getKey());
                for (int i = 0; i < a.length; i++) {
                    assertEquals(Float.floatToIntBits(a[i]), Float.floatToIntBits(b[i]),
                            e.getKey() + "[" + i + "] after " + STEPS + " steps: " + a[i] + " first run, " + b[i] + " second");
                }
            }
        }
    }

    private static Map<String, float[]> train(VectorBackend vb) throws Exception {
        T5Parameters p = T5Fixtures.parameters("v1_1", vb);
        try (SafetensorsFile g = T5Fixtures.golden("v1_1");
             Adafactor opt = new Adafactor(p.asMap(), new ConstantSchedule(1e-2f))) {
            int[] labels = T5Fixtures.ints(g.readF32("labels"));
            int t = g.entry("labels").shape()[1];
            TokenBatch source = T5GoldenTest.source(g);
            for (int step = 0; step < STEPS; step++) {
                opt.zeroGrad();
                try (TensorScope scope = TensorScope.open()) {
                    T5Loss.Result r = T5Loss.teacherForced(new T5Model(p), source, labels, t, T5Dropout.training(0.1f, 100 + step));
                    Autodiff.backward(r.loss());
                }
                opt.step();
            }
        }
        Map<String, float[]> out = new TreeMap<>();
        for (Map.Entry<String, Tensor> e : p.asMap().entrySet()) out.put(e.getKey(), e.getValue().toArray());
        return out;
    }
}
