package clp4j.nativ.cuda;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Checks every FFM binding against the installed CUDA headers (no GPU needed): the symbol is
 * declared (directly or through a _v2 macro) and the descriptor's argument count and ABI classes
 * match the prototype. Header folders: {@code CLP4J_CUDA_INCLUDE} (colon-separated), CUDA_HOME,
 * /usr/local/cuda/include and the nvidia Python wheels.
 */
class CudaHeaderSignaturesTest {

    @Test
    void driverBindingsMatchCudaH() throws Exception {
        Path cudaH = findHeader("cuda.h");
        assumeTrue(cudaH != null, "cuda.h not found in " + includeFolders() + "; driver signature check skipped");
        CHeader h = new CHeader(List.of(cudaH));
        checkAll(h, CudaDriver.SIGNATURES, cudaH);
        Map<String, Integer> constants = Map.of("CUDA_ERROR_OUT_OF_MEMORY", CudaDriver.CUDA_ERROR_OUT_OF_MEMORY,
                "CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT", CudaDriver.ATTR_MULTIPROCESSOR_COUNT,
                "CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE", CudaDriver.ATTR_MEMORY_CLOCK_RATE,
                "CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH", CudaDriver.ATTR_GLOBAL_MEMORY_BUS_WIDTH,
                "CU_DEVICE_ATTRIBUTE_CLOCK_RATE", CudaDriver.ATTR_CLOCK_RATE,
                "CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE", CudaDriver.ATTR_L2_CACHE_SIZE,
                "CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK", CudaDriver.ATTR_MAX_THREADS_PER_BLOCK,
                "CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR", CudaDriver.ATTR_COMPUTE_CAPABILITY_MAJOR,
                "CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR", CudaDriver.ATTR_COMPUTE_CAPABILITY_MINOR);
        constants.forEach((name, v) -> assertEquals(String.valueOf(v), h.enumValue(name), name + " in " + cudaH));
    }

    @Test
    void cublasBindingsMatchCublasApiH() throws Exception {
        Path api = findHeader("cublas_api.h");
        assumeTrue(api != null, "cublas_api.h not found in " + includeFolders()
                + " (set CLP4J_CUDA_INCLUDE to its folder); cuBLAS signature check skipped");
        List<Path> files = new ArrayList<>(List.of(api));
        for (String dep : List.of("library_types.h", "driver_types.h")) {
            Path p = api.resolveSibling(dep);
            if (!Files.isRegularFile(p)) p = findHeader(dep);
            assertNotNull(p, dep + " (included by cublas_api.h) not found beside " + api + " or in " + includeFolders());
            files.add(p);
        }
        CHeader h = new CHeader(files);
        checkAll(h, Cublas.SIGNATURES, api);
        Map<String, Integer> constants = Map.of("CUBLAS_OP_N", Cublas.OP_N, "CUBLAS_OP_T", Cublas.OP_T,
                "CUDA_R_32F", Cublas.CUDA_R_32F, "CUBLAS_COMPUTE_32F", Cublas.COMPUTE_32F,
                "CUBLAS_COMPUTE_32F_FAST_TF32", Cublas.COMPUTE_32F_FAST_TF32, "CUBLAS_GEMM_DEFAULT", Cublas.GEMM_DEFAULT,
                "CUBLAS_DEFAULT_MATH", Cublas.DEFAULT_MATH, "CUBLAS_TF32_TENSOR_OP_MATH", Cublas.TF32_TENSOR_OP_MATH);
        constants.forEach((name, v) -> assertEquals(String.valueOf(v), h.enumValue(name), name + " in " + api));
    }

    private static void checkAll(CHeader h, List<NativeSignature> sigs, Path where) {
        for (NativeSignature s : sigs) {
            CHeader.Prototype p = h.find(s.symbol());
            assertNotNull(p, s.symbol() + " is not declared in " + where + " (neither directly nor through a #define)");
            List<MemoryLayout> args = s.descriptor().argumentLayouts();
            assertEquals(p.params().size(), args.size(), s.symbol() + ": argument count vs " + p);
            for (int i = 0; i < args.size(); i++) {
                assertEquals(h.kindOf(p.params().get(i), true), kindOf(args.get(i)),
                        s.symbol() + " argument " + i + " ('" + p.params().get(i) + "')");
            }
            String ret = p.returnType();
            CHeader.Kind retKind = ret.contains("*") ? CHeader.Kind.POINTER
                    : h.kindOf(ret.substring(ret.lastIndexOf(' ') + 1), false);
            assertEquals(retKind, kindOf(s.descriptor().returnLayout().orElseThrow()), s.symbol() + " return type " + p.returnType());
        }
    }

    private static CHeader.Kind kindOf(MemoryLayout l) {
        if (l instanceof java.lang.foreign.AddressLayout) return CHeader.Kind.POINTER;
        if (l.equals(ValueLayout.JAVA_INT)) return CHeader.Kind.INT32;
        if (l.equals(ValueLayout.JAVA_LONG)) return CHeader.Kind.INT64;
        if (l.equals(ValueLayout.JAVA_FLOAT)) return CHeader.Kind.FLOAT;
        throw new IllegalStateException("unexpected layout " + l);
    }

    static List<Path> includeFolders() {
        List<Path> out = new ArrayList<>();
        String extra = System.getenv("CLP4J_CUDA_INCLUDE");
        if (extra != null) for (String s : extra.split(":")) if (!s.isBlank()) out.add(Path.of(s));
        String home = System.getenv("CUDA_HOME");
        if (home != null) out.add(Path.of(home, "include"));
        out.add(Path.of("/usr/local/cuda/include"));
        for (Path lib : CublasLocator.defaultFolders()) {
            if (lib.getFileName().toString().equals("lib")) out.add(lib.resolveSibling("include"));
        }
        return out;
    }

    static Path findHeader(String name) {
        for (Path dir : includeFolders()) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }
}
