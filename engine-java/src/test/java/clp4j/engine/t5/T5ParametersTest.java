package clp4j.engine.t5;

import clp4j.engine.backend.Backend;
import clp4j.engine.backend.Backends;
import clp4j.engine.io.T5ParamNames;
import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class T5ParametersTest {
    private static final Backend REF = Backends.get("reference");

    static T5Config config(T5Config.FeedForward ff, boolean tied) {
        return new T5Config(200, 64, 16, 96, 4, 2, 3, 32, 128, 1e-6f, 0.1f, ff, tied, 0, 1, 0);
    }

    @Test
    void namesFollowHfLayout() {
        Map<String, int[]> s = new T5Names(config(T5Config.FeedForward.GATED_GELU, false)).shapes();
        assertArrayEquals(new int[] {200, 64}, s.get("shared.weight"));
        assertArrayEquals(new int[] {64, 64}, s.get("encoder.block.1.layer.0.SelfAttention.q.weight"));
        assertArrayEquals(new int[] {32, 4}, s.get("decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"));
        assertFalse(s.containsKey("decoder.block.1.layer.0.SelfAttention.relative_attention_bias.weight"));
        assertFalse(s.containsKey("decoder.block.0.layer.1.EncDecAttention.relative_attention_bias.weight"));
        assertArrayEquals(new int[] {96, 64}, s.get("decoder.block.2.layer.2.DenseReluDense.wi_1.weight"));
        assertArrayEquals(new int[] {64, 96}, s.get("decoder.block.2.layer.2.DenseReluDense.wo.weight"));
        assertArrayEquals(new int[] {200, 64}, s.get("lm_head.weight"));
        // 1 shared + encoder 2 x (4 attn + 2 norms + 3 ff) + 1 bias + final + decoder 3 x (8 attn + 3 norms + 3 ff) + 1 bias + final + lm_head
        assertEquals(1 + 18 + 1 + 1 + 42 + 1 + 1 + 1, s.size());
        Map<String, int[]> relu = new T5Names(config(T5Config.FeedForward.RELU, true)).shapes();
        assertTrue(relu.containsKey("encoder.block.0.layer.1.DenseReluDense.wi.weight"));
        assertFalse(relu.containsKey("lm_head.weight"));
    }

    @Test
    void randomInitialisationFollowsHfInitWeights() {
        T5Config c = config(T5Config.FeedForward.GATED_GELU, false);
        T5Parameters p = T5Init.random(c, REF, 42);
        assertEquals(new T5Names(c).shapes().keySet(), p.asMap().keySet());
        assertStd(p.get("shared.weight"), 1.0);
        assertStd(p.get("lm_head.weight"), 1.0);
        assertStd(p.get("encoder.block.0.layer.0.SelfAttention.q.weight"), Math.pow(64 * 16, -0.5));
        assertStd(p.get("encoder.block.0.layer.0.SelfAttention.k.weight"), Math.pow(64, -0.5));
        assertStd(p.get("decoder.block.1.layer.1.EncDecAttention.o.weight"), Math.pow(64, -0.5));
        assertStd(p.get("decoder.block.1.layer.2.DenseReluDense.wo.weight"), Math.pow(96, -0.5));
        assertStd(p.get("decoder.block.1.layer.2.DenseReluDense.wi_0.weight"), Math.pow(64, -0.5));
        for (float v : p.get("encoder.final_layer_norm.weight").toArray()) assertEquals(1f, v);
        assertArrayEquals(p.get("shared.weight").toArray(), T5Init.random(c, REF, 42).get("shared.weight").toArray());
        assertFalse(Arrays.equals(p.get("shared.weight").toArray(), T5Init.random(c, REF, 43).get("shared.weight").toArray()));
    }

    private static void assertStd(Tensor t, double expected) {
        double sum = 0;
        double sq = 0;
        float[] a = t.toArray();
        for (float v : a) {
            sum += v;
            sq += (double) v * v;
        }
        double mean = sum / a.length;
        double std = Math.sqrt(sq / a.length - mean * mean);
        assertEquals(expected, std, 0.1 * expected, "std of " + Arrays.toString(t.shape()));
        assertEquals(0, mean, 0.1 * expected, "mean of " + Arrays.toString(t.shape()));
    }

    @Test
    void checkpointMapsAreValidated() {
        T5Config c = config(T5Config.FeedForward.RELU, true);
        Map<String, Tensor> ok = new LinkedHashMap<>(T5Init.random(c, REF, 1).asMap());
        Tensor shared = ok.get("shared.weight");

        Map<String, Tensor> aliases = new LinkedHashMap<>(ok);
        aliases.put("encoder.embed_tokens.weight", shared);
        aliases.put("decoder.embed_tokens.weight", shared);
        aliases.put("lm_head.weight", shared);
        assertSame(shared, T5Parameters.of(c, aliases).get("shared.weight"));

        Map<String, Tensor> missing = new LinkedHashMap<>(ok);
        missing.remove("decoder.block.2.layer.1.EncDecAttention.k.weight");
        String msg = assertThrows(IllegalArgumentException.class, () -> T5Parameters.of(c, missing)).getMessage();
        assertTrue(msg.contains("decoder.block.2.layer.1.EncDecAttention.k.weight"), msg);

        Map<String, Tensor> extra = new LinkedHashMap<>(ok);
        extra.put("decoder.block.3.layer.0.SelfAttention.q.weight", ok.get("decoder.block.2.layer.0.SelfAttention.q.weight"));
        msg = assertThrows(IllegalArgumentException.class, () -> T5Parameters.of(c, extra)).getMessage();
        assertTrue(msg.contains("decoder.block.3.layer.0.SelfAttention.q.weight"), msg);

        Map<String, Tensor> badShape = new LinkedHashMap<>(ok);
        badShape.put("encoder.final_layer_norm.weight", REF.zeros(63));
        msg = assertThrows(IllegalArgumentException.class, () -> T5Parameters.of(c, badShape)).getMessage();
        assertTrue(msg.contains("encoder.final_layer_norm.weight") && msg.contains("[63]"), msg);
    }

    @Test
    void setSwapsOneNamedParameter() {
        T5Parameters p = T5Init.random(config(T5Config.FeedForward.RELU, true), REF, 7);
        Tensor old = p.get("encoder.block.0.layer.0.SelfAttention.v.weight");
        Tensor mixed = REF.zeros(64, 64);
        assertSame(old, p.set("encoder.block.0.layer.0.SelfAttention.v.weight", mixed));
        assertSame(mixed, p.get("encoder.block.0.layer.0.SelfAttention.v.weight"));
        assertThrows(IllegalArgumentException.class, () -> p.set("encoder.block.0.layer.0.SelfAttention.v.weight", REF.zeros(64, 63)));
        assertThrows(IllegalArgumentException.class, () -> p.get("encoder.block.9.layer.0.SelfAttention.v.weight"));
    }

    @Test
    void engineNamesAgreeWithTheCheckpointLoader() {
        for (T5Config.FeedForward ff : T5Config.FeedForward.values()) {
            for (boolean tied : new boolean[] {true, false}) {
                T5Config c = config(ff, tied);
                Map<String, int[]> mine = new T5Names(c).shapes();
                Map<String, int[]> io = T5ParamNames.expected(c);
                assertEquals(io.keySet(), mine.keySet(), ff + " tied=" + tied);
                for (String n : io.keySet()) assertArrayEquals(io.get(n), mine.get(n), n);
            }
        }
    }
}
