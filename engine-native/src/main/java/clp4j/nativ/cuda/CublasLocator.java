package clp4j.nativ.cuda;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Finds libcublas (CUDA 13 first, then 12). Order: the setting {@code -Dclp4j.cublas.path} or the
 * environment variable {@code CLP4J_CUBLAS_PATH} (a file or a folder), then the usual install
 * places including Python packages ({@code site-packages/nvidia/cublas/lib}, {@code nvidia/cu13/lib}),
 * then the loader path (LD_LIBRARY_PATH, ld.so.cache).
 */
public final class CublasLocator {
    public static final String PROPERTY = "clp4j.cublas.path";
    public static final String ENV = "CLP4J_CUBLAS_PATH";
    public static final List<String> SONAMES = List.of("libcublas.so.13", "libcublas.so.12");

    /** Where a library was found: a file, or (when {@code file} is null) a soname for the loader path. */
    public record Found(Path file, String soname, List<String> searched) { }

    private CublasLocator() { }

    public static Found locate() {
        return locate(System.getProperty(PROPERTY), System.getenv(), defaultFolders());
    }

    /** The search with explicit inputs (tests pass temporary folders). */
    public static Found locate(String property, Map<String, String> env, List<Path> folders) {
        List<String> searched = new ArrayList<>();
        String explicit = property != null && !property.isBlank() ? property : env.get(ENV);
        if (explicit != null && !explicit.isBlank()) {
            String origin = property != null && !property.isBlank() ? "-D" + PROPERTY : ENV;
            Path p = Path.of(explicit);
            if (Files.isRegularFile(p)) return new Found(p, null, List.of(p.toString()));
            if (Files.isDirectory(p)) {
                Path f = inFolder(p, searched);
                if (f != null) return new Found(f, null, searched);
            }
            String looked = searched.isEmpty() ? explicit : searched.toString();
            throw new CudaUnavailableException(origin + "=" + explicit + " names no cuBLAS library: looked for "
                    + looked + "; point it at the folder holding libcublas.so.13 or .so.12 (find / -name 'libcublas.so*')");
        }
        for (Path folder : folders) {
            Path f = inFolder(folder, searched);
            if (f != null) return new Found(f, null, searched);
        }
        return new Found(null, null, searched);
    }

    private static Path inFolder(Path folder, List<String> searched) {
        for (String so : SONAMES) {
            Path f = folder.resolve(so);
            searched.add(f.toString());
            if (Files.isRegularFile(f)) return f;
        }
        return null;
    }

    /** CUDA toolkit folders, then the nvidia-cublas Python wheels in the usual site-packages. */
    public static List<Path> defaultFolders() {
        List<Path> out = new ArrayList<>();
        String cudaHome = System.getenv("CUDA_HOME");
        if (cudaHome != null) out.add(Path.of(cudaHome, "lib64"));
        out.add(Path.of("/usr/local/cuda/lib64"));
        out.add(Path.of("/usr/local/cuda/targets/x86_64-linux/lib"));
        out.add(Path.of("/usr/lib/x86_64-linux-gnu"));
        List<Path> roots = new ArrayList<>();
        for (String env : List.of("VIRTUAL_ENV", "CONDA_PREFIX")) {
            String v = System.getenv(env);
            if (v != null) roots.add(Path.of(v, "lib"));
        }
        roots.add(Path.of("/usr/lib"));
        roots.add(Path.of("/usr/local/lib"));
        roots.add(Path.of("/opt/conda/lib"));
        roots.add(Path.of(System.getProperty("user.home"), ".local/lib"));
        for (Path root : roots) {
            for (Path py : children(root, "python3")) {
                for (String pkgs : List.of("site-packages", "dist-packages")) {
                    for (String sub : List.of("nvidia/cublas/lib", "nvidia/cu13/lib", "nvidia/cu12/lib")) {
                        out.add(py.resolve(pkgs).resolve(sub));
                    }
                }
            }
        }
        return out;
    }

    private static List<Path> children(Path root, String prefix) {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix) && Files.isDirectory(p)).sorted().toList();
        } catch (java.io.IOException e) {
            return List.of();
        }
    }
}
