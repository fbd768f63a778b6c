package clp4j.kernels;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The committed PTX must match the CUDA sources it claims to be built from. */
class PtxResourcesTest {
    private static final Path SOURCES = Path.of("src/main/cuda");
    private static final Pattern KERNEL = Pattern.compile("extern \"C\" __global__ void (\\w+)\\s*\\(");

    @Test
    void committedPtxWasBuiltFromTheseSources() throws IOException {
        TreeMap<String, String> recorded = new TreeMap<>();
        for (String line : KernelPtx.sourcesSha256().split("\n")) {
            if (line.isBlank()) continue;
            String[] f = line.strip().split("\\s+");
            recorded.put(f[1], f[0]);
        }
        TreeMap<String, String> actual = new TreeMap<>();
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path p : files.filter(p -> p.toString().endsWith(".cu") || p.toString().endsWith(".cuh")).toList()) {
                actual.put(p.getFileName().toString(), sha256(Files.readAllBytes(p)));
            }
        }
        assertEquals(actual, recorded, "the committed PTX is stale: run kernels/build-ptx.sh and commit its output");
    }

    @Test
    void everyKernelOfEverySourceIsAnEntryOfItsPtx() throws IOException {
        List<String> modules = KernelPtx.modules();
        try (Stream<Path> files = Files.list(SOURCES)) {
            List<String> cu = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cu"))
                    .map(n -> n.substring(0, n.length() - 3)).sorted().toList();
            assertEquals(cu, modules.stream().sorted().toList(), "modules.txt does not list every .cu file");
        }
        for (String module : modules) {
            String src = Files.readString(SOURCES.resolve(module + ".cu"));
            byte[] ptx = KernelPtx.ptx(module);
            assertEquals(0, ptx[ptx.length - 1], "PTX must be NUL-terminated for cuModuleLoadData");
            String text = new String(ptx, 0, ptx.length - 1, StandardCharsets.US_ASCII);
            assertTrue(text.contains(".target sm_90"), module + ".ptx is not built for sm_90");
            Matcher m = KERNEL.matcher(src);
            int kernels = 0;
            while (m.find()) {
                kernels++;
                assertTrue(text.contains(".entry " + m.group(1) + "("), module + ".ptx lacks kernel " + m.group(1));
            }
            assertTrue(kernels > 0, module + ".cu declares no extern \"C\" kernel");
        }
    }

    /** Where nvcc is installed: the sources compile without warnings, and with the same nvcc to the same PTX. */
    @Test
    void sourcesRecompileCleanlyWithNvcc() throws Exception {
        Path nvcc = Path.of(System.getenv().getOrDefault("NVCC", "/usr/local/cuda/bin/nvcc"));
        assumeTrue(Files.isExecutable(nvcc), "nvcc not found at " + nvcc + " (set NVCC); PTX recompile check skipped");
        Path out = Files.createTempDirectory("clp4j-ptx");
        try {
            ProcessBuilder pb = new ProcessBuilder(List.of("bash", "build-ptx.sh", out.toString()))
                    .redirectErrorStream(true);
            pb.environment().put("NVCC", nvcc.toString());
            Process p = pb.start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(300, TimeUnit.SECONDS), "build-ptx.sh did not finish in 300 s");
            assertEquals(0, p.exitValue(), "build-ptx.sh failed:\n" + log);
            assertTrue(log.lines().allMatch(l -> l.startsWith("build-ptx.sh:")), "nvcc printed more than the summary:\n" + log);
            for (String module : KernelPtx.modules()) {
                String committed = new String(KernelPtx.ptx(module), StandardCharsets.US_ASCII).replace("\0", "");
                String rebuilt = Files.readString(out.resolve(module + ".ptx"));
                if (toolkitLine(committed).equals(toolkitLine(rebuilt))) {
                    assertEquals(committed, rebuilt, module + ".ptx differs from a rebuild with the same nvcc: run kernels/build-ptx.sh");
                }
            }
        } finally {
            try (Stream<Path> files = Files.list(out)) {
                for (Path f : files.toList()) Files.delete(f);
            }
            Files.delete(out);
        }
    }

    private static String toolkitLine(String ptx) {
        return ptx.lines().filter(l -> l.startsWith("// Cuda compilation tools")).findFirst().orElse("");
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
