package clp4j.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The committed PTX of the CUDA kernels (built by {@code kernels/build-ptx.sh} from
 * {@code kernels/src/main/cuda}), read from the classpath. The CUDA backend loads each module
 * with {@code cuModuleLoadData}; the driver JIT-compiles it for the GPU at hand (and caches it).
 *
 * <p>Why committed PTX: the jar must run on a GPU even when it was built where nvcc is absent (CI,
 * most developer machines). So the PTX is generated once with nvcc, committed beside the SHA-256 of
 * the sources it came from, and PtxResourcesTest fails when a source changes without a rebuild
 * (and, where nvcc is installed, recompiles with -Werror and ptxas to check the sources compile
 * cleanly and the committed PTX is what this nvcc produces). The PTX targets sm_90 (PTX ISA 9.0 from
 * nvcc 13): it runs on Hopper and newer and needs a CUDA 13 driver; rebuild with an older nvcc or
 * another -arch for older drivers or GPUs.
 *
 * <p>Why not NVRTC: compiling at run time would need a second native library (libnvrtc plus its
 * builtins, versioned like cuBLAS) on every user's machine, add compile time to every start, and
 * turn a kernel compile error into a run-time failure on the user's GPU instead of a build-time
 * failure here. PTX needs only the driver, which the GPU needs anyway.
 */
public final class KernelPtx {
    /** Resource folder holding {@code <module>.ptx}, {@code modules.txt} and {@code SOURCES.sha256}. */
    public static final String FOLDER = "/clp4j/kernels/ptx/";

    private KernelPtx() { }

    /** The module names (the .cu file names without extension), in build order. */
    public static List<String> modules() {
        String text = new String(read("modules.txt"), StandardCharsets.US_ASCII);
        return Arrays.stream(text.split("\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** One module's PTX text, NUL-terminated as cuModuleLoadData expects. */
    public static byte[] ptx(String module) {
        byte[] text = read(module + ".ptx");
        return Arrays.copyOf(text, text.length + 1);
    }

    /** The {@code sha256sum} lines of the sources the committed PTX was built from. */
    public static String sourcesSha256() {
        return new String(read("SOURCES.sha256"), StandardCharsets.US_ASCII);
    }

    private static byte[] read(String name) {
        try (InputStream in = KernelPtx.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("kernel resource " + FOLDER + name + " is missing from the classpath;"
                        + " rebuild the kernels module (kernels/build-ptx.sh, then mvn package)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kernel resource " + FOLDER + name, e);
        }
    }
}
