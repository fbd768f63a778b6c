package clp4j.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * OpenBLAS's {@code cblas_sgemm} through java.lang.foreign, as the baseline for the GEMM
 * benchmark. Loads {@code libopenblas.so.0} from the loader path or the usual directories.
 *
 * <p>OpenBLAS builds with DYNAMIC_ARCH pick their kernels from the CPU model at load time; a
 * release older than the CPU falls back to generic SSE kernels (0.3.21 calls this machine's
 * Xeon "Prescott"), which would make any comparison meaningless. So unless
 * {@code OPENBLAS_CORETYPE} is already set, it is set (in the C environment, before the library
 * loads) to the newest core type the CPU's flags support: SkylakeX for AVX-512, Haswell for AVX2.
 */
final class OpenBlas {
    static final String INSTALL_HINT = "OpenBLAS (libopenblas.so.0) was not found; install it with "
            + "'apt-get install libopenblas0-pthread' to run the OpenBLAS baseline. Skipping the OpenBLAS case.";
    private static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;
    private static final List<String> PLACES = List.of("libopenblas.so.0",
            "/usr/lib/x86_64-linux-gnu/libopenblas.so.0", "/usr/lib/aarch64-linux-gnu/libopenblas.so.0",
            "/usr/lib64/libopenblas.so.0", "/usr/local/lib/libopenblas.so.0", "/opt/OpenBLAS/lib/libopenblas.so.0");

    private final MethodHandle sgemm;
    private final String coreName;

    private OpenBlas(SymbolLookup lib, int threads) throws Throwable {
        Linker linker = Linker.nativeLinker();
        sgemm = linker.downcallHandle(symbol(lib, "cblas_sgemm"), FunctionDescriptor.ofVoid(
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_FLOAT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        MethodHandle setThreads = linker.downcallHandle(symbol(lib, "openblas_set_num_threads"),
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
        setThreads.invokeExact(threads);
        MethodHandle core = linker.downcallHandle(symbol(lib, "openblas_get_corename"), FunctionDescriptor.of(ValueLayout.ADDRESS));
        MemorySegment name = (MemorySegment) core.invokeExact();
        coreName = name.reinterpret(64).getString(0);
    }

    private static MemorySegment symbol(SymbolLookup lib, String name) {
        return lib.find(name).orElseThrow(() -> new IllegalStateException("libopenblas.so.0 has no symbol " + name
                + "; install a complete OpenBLAS ('apt-get install libopenblas0-pthread')"));
    }

    /** The library with its thread count set, or null when it is not installed. */
    /**
     * {@link #load}, or, where OpenBLAS is missing, prints {@link #INSTALL_HINT} and throws so JMH skips the
     * OpenBLAS case while the other cases still run.
     */
    static OpenBlas require(int threads) throws Throwable {
        OpenBlas blas = load(threads);
        if (blas == null) {
            System.out.println(INSTALL_HINT);
            throw new IllegalStateException(INSTALL_HINT);
        }
        return blas;
    }

    static OpenBlas load(int threads) throws Throwable {
        chooseCoreType();
        for (String place : PLACES) {
            try {
                SymbolLookup lib = SymbolLookup.libraryLookup(place, Arena.global());
                return new OpenBlas(lib, threads);
            } catch (IllegalArgumentException notThere) {
                // try the next place
            }
        }
        return null;
    }

    private static void chooseCoreType() throws Throwable {
        if (System.getenv("OPENBLAS_CORETYPE") != null) return;
        String flags;
        try {
            flags = Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException e) {
            return;
        }
        String core = flags.contains(" avx512f") ? "SkylakeX" : flags.contains(" avx2") ? "Haswell" : null;
        if (core == null) return;
        Linker linker = Linker.nativeLinker();
        MethodHandle setenv = linker.downcallHandle(linker.defaultLookup().find("setenv").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) setenv.invokeExact(arena.allocateFrom("OPENBLAS_CORETYPE"), arena.allocateFrom(core), 0);
            if (rc != 0) throw new IllegalStateException("setenv(OPENBLAS_CORETYPE) failed");
        }
    }

    /** The kernel family OpenBLAS chose ("SkylakeX", "Haswell", ...). */
    String coreName() {
        return coreName;
    }

    /** C = alpha A B + beta C, row-major, no transposes, square n x n in native memory. */
    void sgemm(int n, float alpha, MemorySegment a, MemorySegment b, float beta, MemorySegment c) throws Throwable {
        sgemm.invokeExact(ROW_MAJOR, NO_TRANS, NO_TRANS, n, n, n, alpha, a, n, b, n, beta, c, n);
    }

    /** Row-major C (m x n) = alpha A (m x k) op(B) + beta C; with transB, B is stored n x k (a weight in HF layout). */
    void sgemm(boolean transB, int m, int n, int k, float alpha, MemorySegment a, MemorySegment b, float beta,
               MemorySegment c) throws Throwable {
        sgemm.invokeExact(ROW_MAJOR, NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha, a, k, b, transB ? k : n, beta, c, n);
    }
}
