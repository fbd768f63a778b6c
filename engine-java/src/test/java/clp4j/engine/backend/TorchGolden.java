package clp4j.engine.backend;

import clp4j.engine.tensor.Tensor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The PyTorch reference values in {@code fixtures/torch_golden.txt}, made by
 * {@code fixtures/make_torch_golden.py} (see there for the format and how to regenerate).
 */
public final class TorchGolden {
    private record Entry(int[] shape, double[] values) { }

    private final Map<String, Entry> entries = new HashMap<>();

    public static TorchGolden load() {
        String path = "/fixtures/torch_golden.txt";
        try (InputStream in = TorchGolden.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException(path + " is missing from the test resources; run make_torch_golden.py");
            TorchGolden g = new TorchGolden();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank()) continue;
                String[] f = line.split("\t", -1);
                int[] shape = f[1].isEmpty() ? new int[0] : Arrays.stream(f[1].split(",")).mapToInt(Integer::parseInt).toArray();
                double[] v = Arrays.stream(f[2].trim().split(" ")).mapToDouble(TorchGolden::parse).toArray();
                g.entries.put(f[0], new Entry(shape, v));
            }
            return g;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + path, e);
        }
    }

    /** Python's repr of a float; infinities are spelled inf and -inf. */
    private static double parse(String s) {
        return switch (s) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    private Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) throw new IllegalArgumentException("no entry '" + name + "' in torch_golden.txt; have " + entries.keySet());
        return e;
    }

    public int[] shape(String name) { return entry(name).shape.clone(); }

    public double[] values(String name) { return entry(name).values.clone(); }

    public float[] floats(String name) {
        double[] d = entry(name).values;
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    /** The entry as a tensor on {@code be} (scalars become shape [1]). */
    public Tensor tensor(Backend be, String name) {
        int[] s = shape(name);
        return be.fromArray(floats(name), s.length == 0 ? new int[]{1} : s);
    }

    /** |actual - expected| <= rtol * max|expected| + atol elementwise: a check scaled to the tensor. */
    public void assertMatches(String name, float[] actual, double rtol, double atol) {
        double[] e = entry(name).values;
        if (e.length != actual.length) throw new AssertionError(name + ": expected " + e.length + " values, got " + actual.length);
        double max = 0;
        for (double v : e) max = Math.max(max, Math.abs(v));
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(actual[i] - e[i]) <= rtol * max + atol)) {
                throw new AssertionError(name + ": element " + i + " expected " + e[i] + " (torch) but got " + actual[i]
                        + " (max |expected| " + max + ")");
            }
        }
    }
}
