package clp4j.engine.optim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One optimizer fixture written by scripts/fixtures/optim_fixtures.py (format in that script):
 * initial parameters, per-step gradients and learning rates, the reference parameters after each
 * step and the reference state after the last step.
 */
record OptimFixture(Map<String, String> config, List<Float> learningRates, Map<String, Array> params,
                    Map<String, List<Array>> grads, Map<String, List<Array>> expected,
                    Map<String, Map<String, Array>> state, Map<String, List<Double>> clip) {

    /** A tensor's shape and values (double, as the reference printed them). */
    record Array(int[] shape, double[] values) {
        float[] floats() {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
            return f;
        }
    }

    int steps() { return Integer.parseInt(config.get("steps")); }

    float configFloat(String key) { return Float.parseFloat(config.get(key)); }

    static OptimFixture load(String resource) {
        String text;
        try (InputStream in = OptimFixture.class.getResourceAsStream("/optim/" + resource)) {
            if (in == null) throw new IllegalStateException("missing test resource /optim/" + resource
                    + "; run /usr/bin/python3 scripts/fixtures/optim_fixtures.py");
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /optim/" + resource, e);
        }
        Map<String, String> config = new HashMap<>();
        List<Float> lrs = new ArrayList<>();
        Map<String, Array> params = new LinkedHashMap<>();
        Map<String, List<Array>> grads = new HashMap<>(), expected = new HashMap<>();
        Map<String, Map<String, Array>> state = new HashMap<>();
        Map<String, List<Double>> clip = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] t = line.trim().split("\\s+");
            switch (t[0]) {
                case "config" -> {
                    for (int i = 1; i < t.length; i++) {
                        String[] kv = t[i].split("=", 2);
                        config.put(kv[0], kv[1]);
                    }
                }
                case "lr" -> {
                    if (Integer.parseInt(t[1]) != lrs.size()) throw new IllegalStateException(resource + ": lr out of order");
                    lrs.add(Float.parseFloat(t[2]));
                }
                case "param" -> params.put(t[1], array(t, 2));
                case "grad" -> appendStep(grads, t, resource);
                case "expect" -> appendStep(expected, t, resource);
                case "state" -> state.computeIfAbsent(t[1], k -> new LinkedHashMap<>()).put(t[2], array(t, 3));
                case "clip" -> clip.computeIfAbsent(t[1], k -> new ArrayList<>()).add(Double.parseDouble(t[3]));
                default -> throw new IllegalStateException(resource + ": unknown line kind '" + t[0] + "'");
            }
        }
        return new OptimFixture(config, lrs, params, grads, expected, state, clip);
    }

    private static void appendStep(Map<String, List<Array>> into, String[] t, String resource) {
        List<Array> l = into.computeIfAbsent(t[1], k -> new ArrayList<>());
        if (Integer.parseInt(t[2]) != l.size()) throw new IllegalStateException(resource + ": step out of order for " + t[1]);
        l.add(array(t, 3));
    }

    /** t[from] is the shape ("4x6", "5" or "scalar"), the values follow. */
    private static Array array(String[] t, int from) {
        int[] shape;
        if (t[from].equals("scalar")) {
            shape = new int[0];
        } else {
            String[] d = t[from].split("x");
            shape = new int[d.length];
            for (int i = 0; i < d.length; i++) shape[i] = Integer.parseInt(d[i]);
        }
        double[] v = new double[t.length - from - 1];
        for (int i = 0; i < v.length; i++) v[i] = Double.parseDouble(t[from + 1 + i]);
        return new Array(shape, v);
    }
}
