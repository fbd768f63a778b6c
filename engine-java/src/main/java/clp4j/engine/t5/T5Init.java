package clp4j.engine.t5;

import clp4j.engine.backend.Backend;
import clp4j.engine.tensor.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random initialisation as HF's {@code T5PreTrainedModel._init_weights} with initializer_factor 1.0:
 * norms 1; shared and an untied lm_head N(0, 1); q N(0, (d_model * d_kv)^-1/2); k, v N(0, d_model^-1/2);
 * o N(0, (heads * d_kv)^-1/2); relative_attention_bias N(0, d_model^-1/2); wi, wi_0, wi_1 N(0, d_model^-1/2);
 * wo N(0, d_ff^-1/2). The scaling folded into q is why attention has no 1/sqrt(d_kv).
 * Deterministic for a seed (parameters drawn in {@link T5Names#shapes()} order).
 */
public final class T5Init {
    private T5Init() { }

    public static T5Parameters random(T5Config c, Backend backend, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : new T5Names(c).shapes().entrySet()) {
            String name = e.getKey();
            int[] shape = e.getValue();
            float[] data = new float[Math.toIntExact(Tensor.numel(shape))];
            if (shape.length == 1) {
                Arrays.fill(data, 1f);
            } else {
                double std = std(c, name);
                for (int i = 0; i < data.length; i++) data[i] = (float) (rng.nextGaussian() * std);
            }
            tensors.put(name, backend.fromArray(data, shape));
        }
        return T5Parameters.of(c, tensors);
    }

    private static double std(T5Config c, String name) {
        if (name.equals(T5Names.SHARED) || name.equals(T5Names.LM_HEAD)) return 1.0;
        if (name.endsWith("relative_attention_bias.weight")) return Math.pow(c.dModel(), -0.5);
        if (name.endsWith(".q.weight")) return Math.pow((double) c.dModel() * c.dKv(), -0.5);
        if (name.endsWith(".k.weight") || name.endsWith(".v.weight")) return Math.pow(c.dModel(), -0.5);
        if (name.endsWith(".o.weight")) return Math.pow(c.innerDim(), -0.5);
        if (name.endsWith(".wo.weight")) return Math.pow(c.dFf(), -0.5);
        if (name.endsWith(".wi.weight") || name.endsWith(".wi_0.weight") || name.endsWith(".wi_1.weight")) {
            return Math.pow(c.dModel(), -0.5);
        }
        throw new IllegalStateException("no initialisation rule for T5 parameter '" + name + "'");
    }
}
