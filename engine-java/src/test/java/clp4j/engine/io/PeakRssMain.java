package clp4j.engine.io;

import clp4j.engine.backend.Backend;
import clp4j.engine.backend.ReferenceBackend;
import clp4j.engine.t5.T5Config;
import clp4j.engine.t5.T5Config.FeedForward;
import clp4j.engine.tensor.DType;
import clp4j.engine.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Peak memory of loading a T5-small-shaped F32 checkpoint (random weights, HF names, tied; ~240 MB).
 * The parent writes the checkpoint to a temporary directory, then loads it in a fresh child JVM so
 * the child's peak RSS (VmHWM) reflects the load alone, and compares the growth with the file size.
 * A control child first allocates the same tensors without I/O, to separate the JVM's own overhead.
 * Not a unit test (it writes 240 MB); run by hand from the repository root:
 * <pre>./mvnw -q -pl engine-java test-compile &amp;&amp; source scripts/java25.sh &amp;&amp;
 * java -cp engine-java/target/classes:engine-java/target/test-classes clp4j.engine.io.PeakRssMain</pre>
 */
public final class PeakRssMain {
    static final T5Config T5_SMALL = new T5Config(32128, 512, 64, 2048, 8, 6, 6, 32, 128, 1e-6f, 0.1f, FeedForward.RELU, true, 0, 1, 0);

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && (args[0].equals("load") || args[0].equals("alloc"))) {
            measure(Path.of(args[1]), args[0].equals("load"));
            return;
        }
        Path dir = Files.createTempDirectory("clp4j-peak-rss");
        try {
            Backend backend = new ReferenceBackend();
            SplittableRandom r = new SplittableRandom(42);
            Map<String, Tensor> params = new LinkedHashMap<>();
            for (var e : T5ParamNames.expected(T5_SMALL).entrySet()) {
                float[] v = new float[Math.toIntExact(Tensor.numel(e.getValue()))];
                for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextDouble() - 0.5) * 0.1f;
                params.put(e.getKey(), backend.fromArray(v, e.getValue()));
            }
            long t0 = System.nanoTime();
            HfCheckpoint.save(dir, T5_SMALL, params, DType.F32, null);
            System.out.printf("wrote %s in %.2f s%n", dir, (System.nanoTime() - t0) / 1e9);
            params.values().forEach(Tensor::close);
            // Control first: the same tensors allocated without any I/O, to separate the JVM's own overhead.
            for (String mode : new String[] {"alloc", "load"}) {
                String java = ProcessHandle.current().info().command().orElse("java");
                Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                        PeakRssMain.class.getName(), mode, dir.toString())).inheritIO().start();
                int rc = p.waitFor();
                if (rc != 0) throw new IllegalStateException("the " + mode + " child JVM exited with " + rc);
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path f : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
            }
        }
    }

    static void measure(Path dir, boolean load) throws IOException {
        long fileSize = Files.size(dir.resolve(SafetensorsWeights.SINGLE_FILE));
        long hwm0 = statusKb("VmHWM"), rss0 = statusKb("VmRSS");
        long t0 = System.nanoTime();
        Backend backend = new ReferenceBackend();
        Map<String, Tensor> params = new LinkedHashMap<>();
        if (load) {
            params = HfCheckpoint.load(dir, backend).params();
        } else {
            for (var e : T5ParamNames.expected(T5_SMALL).entrySet()) params.put(e.getKey(), backend.zeros(e.getValue()));
        }
        try (HfCheckpoint ckpt = new HfCheckpoint(T5_SMALL, params, null)) {
            double secs = (System.nanoTime() - t0) / 1e9;
            long hwm1 = statusKb("VmHWM"), rss1 = statusKb("VmRSS");
            long growth = (hwm1 - rss0) * 1024;
            System.out.printf("%n[%s] %s %d tensors in %.2f s%n", load ? "load" : "control", load ? "loaded" : "allocated (zeros, no I/O)",
                    ckpt.params().size(), secs);
            System.out.printf("model.safetensors: %.1f MB%n", fileSize / 1e6);
            System.out.printf("before load: VmRSS %.1f MB, VmHWM %.1f MB%n", rss0 / 1e3 * 1.024, hwm0 / 1e3 * 1.024);
            System.out.printf("after load:  VmRSS %.1f MB, VmHWM %.1f MB%n", rss1 / 1e3 * 1.024, hwm1 / 1e3 * 1.024);
            System.out.printf("peak growth (VmHWM after - VmRSS before): %.1f MB = %.2f x file size%n", growth / 1e6, (double) growth / fileSize);
        }
    }

    /** A field of /proc/self/status in kB. */
    static long statusKb(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        throw new IOException("/proc/self/status has no " + field + " (this utility needs Linux)");
    }
}
