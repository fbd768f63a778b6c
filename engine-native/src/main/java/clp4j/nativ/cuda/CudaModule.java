package clp4j.nativ.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.ADDRESS;

/** A PTX module loaded with cuModuleLoadData (the driver JIT-compiles it for the current GPU). */
public final class CudaModule implements AutoCloseable {
    private final CudaDriver cu;
    private final String name;
    private final MemorySegment handle;

    /** {@code ptx} is the NUL-terminated PTX text. */
    public CudaModule(CudaDriver cu, String name, byte[] ptx) {
        this.cu = cu;
        this.name = name;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment image = a.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, ptx);
            MemorySegment out = a.allocate(ADDRESS);
            cu.check((int) cu.moduleLoadData.invokeExact(out, image), "cuModuleLoadData(" + name + ".ptx)");
            handle = out.get(ADDRESS, 0);
        } catch (Throwable t) { throw CudaDriver.rethrow("cuModuleLoadData(" + name + ")", t); }
    }

    public CudaFunction function(String kernel) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            cu.check((int) cu.moduleGetFunction.invokeExact(out, handle, a.allocateFrom(kernel)),
                    "cuModuleGetFunction(" + name + ", " + kernel + ")");
            return new CudaFunction(kernel, out.get(ADDRESS, 0));
        } catch (Throwable t) { throw CudaDriver.rethrow("cuModuleGetFunction(" + kernel + ")", t); }
    }

    @Override
    public void close() {
        try { cu.check((int) cu.moduleUnload.invokeExact(handle), "cuModuleUnload(" + name + ")"); }
        catch (Throwable t) { throw CudaDriver.rethrow("cuModuleUnload", t); }
    }
}
