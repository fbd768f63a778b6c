package clp4j.bench.ab;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Compares two builds of engine-java in one JVM, alternating run by run, so that the drift of a
 * shared machine (this project's CI-class VMs change speed by up to 1.8x within a minute) hits both
 * sides alike; JMH, which measures one side after the other, cannot do that. Each build gets its own
 * class loader (parent: the platform loader) holding {@link EngineWorkload} and that build's classes.
 *
 * <p>Usage: {@code SameJvmAB WORKLOAD ROUNDS BENCH_CLASSES ENGINE_CLASSES_A ENGINE_CLASSES_B};
 * {@code scripts/ab.sh} builds both sides and calls it. The first 2 rounds are warm-up. Each
 * side is JIT-compiled separately, and C2's choices differ from run to run: two identical builds
 * have come out up to 10 % apart, so repeat a comparison before trusting a small difference.
 */
public final class SameJvmAB {
    private SameJvmAB() { }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: SameJvmAB train|greedy|encode|gemm|lmhead ROUNDS BENCH_CLASSES ENGINE_CLASSES_A ENGINE_CLASSES_B");
            System.exit(2);
        }
        String workload = args[0];
        int rounds = Integer.parseInt(args[1]);
        List<ToDoubleFunction<String>> sides = new ArrayList<>();
        for (int s = 3; s <= 4; s++) {
            Path engine = Path.of(args[s]);
            if (!Files.isDirectory(engine.resolve("clp4j/engine"))) {
                throw new IllegalArgumentException(engine + " holds no compiled engine-java classes (clp4j/engine missing)");
            }
            URLClassLoader loader = new URLClassLoader(new URL[] {Path.of(args[2]).toUri().toURL(), engine.toUri().toURL()},
                    ClassLoader.getPlatformClassLoader());
            @SuppressWarnings("unchecked")
            ToDoubleFunction<String> side = (ToDoubleFunction<String>) loader
                    .loadClass(EngineWorkload.class.getName()).getConstructor().newInstance();
            sides.add(side);
        }
        List<List<Double>> ms = List.of(new ArrayList<>(), new ArrayList<>());
        for (int r = 0; r < rounds + 2; r++) {
            for (int i = 0; i < 2; i++) {
                int s = (r + i) % 2; // A B, B A, ...: neither side always runs second
                double t = sides.get(s).applyAsDouble(workload);
                if (r >= 2) ms.get(s).add(t);
            }
        }
        double[] median = new double[2];
        for (int s = 0; s < 2; s++) {
            List<Double> l = new ArrayList<>(ms.get(s));
            Collections.sort(l);
            median[s] = l.get(l.size() / 2);
            System.out.printf("%s %s: median %.1f ms (min %.1f, max %.1f, %d runs)%n", workload, s == 0 ? "A" : "B",
                    median[s], l.get(0), l.get(l.size() - 1), l.size());
        }
        System.out.printf("%s: B takes %.3f of A's time%n", workload, median[1] / median[0]);
        System.exit(0);
    }
}
