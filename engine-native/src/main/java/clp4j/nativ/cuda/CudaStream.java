package clp4j.nativ.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.ADDRESS;

/**
 * One CUDA stream and the stream-ordered work clp4j issues on it: copies, memsets and kernel
 * launches. A blocking stream (flags 0), so legacy-default-stream work such as cuMemFree is
 * ordered with it.
 */
public final class CudaStream implements AutoCloseable {
    private final CudaDriver cu;
    private final MemorySegment handle;
    private boolean closed;

    public CudaStream(CudaDriver cu) {
        this.cu = cu;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            cu.check((int) cu.streamCreate.invokeExact(out, 0), "cuStreamCreate");
            this.handle = out.get(ADDRESS, 0);
        } catch (Throwable t) { throw CudaDriver.rethrow("cuStreamCreate", t); }
    }

    public MemorySegment handle() { return handle; }

    public void copyHtoD(long dst, MemorySegment src, long bytes) {
        try { cu.check((int) cu.memcpyHtoDAsync.invokeExact(dst, src, bytes, handle), "cuMemcpyHtoDAsync"); }
        catch (Throwable t) { throw CudaDriver.rethrow("cuMemcpyHtoDAsync", t); }
    }

    public void copyDtoH(MemorySegment dst, long src, long bytes) {
        try { cu.check((int) cu.memcpyDtoHAsync.invokeExact(dst, src, bytes, handle), "cuMemcpyDtoHAsync"); }
        catch (Throwable t) { throw CudaDriver.rethrow("cuMemcpyDtoHAsync", t); }
    }

    public void copyDtoD(long dst, long src, long bytes) {
        if (bytes == 0) return;
        try { cu.check((int) cu.memcpyDtoDAsync.invokeExact(dst, src, bytes, handle), "cuMemcpyDtoDAsync"); }
        catch (Throwable t) { throw CudaDriver.rethrow("cuMemcpyDtoDAsync", t); }
    }

    /** Sets {@code count} 32-bit words at dst to {@code bits} (a float's raw bits for fills). */
    public void memset32(long dst, int bits, long count) {
        if (count == 0) return;
        try { cu.check((int) cu.memsetD32Async.invokeExact(dst, bits, count, handle), "cuMemsetD32Async"); }
        catch (Throwable t) { throw CudaDriver.rethrow("cuMemsetD32Async", t); }
    }

    /** cuLaunchKernel; {@code params} is the void*[] of argument addresses (see {@link LaunchArgs}). */
    public void launch(CudaFunction f, int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ,
                       int sharedBytes, MemorySegment params) {
        try {
            int rc = (int) cu.launchKernel.invokeExact(f.handle(), gridX, gridY, gridZ, blockX, blockY, blockZ,
                    sharedBytes, handle, params, MemorySegment.NULL);
            if (rc != 0) cu.check(rc, "cuLaunchKernel(" + f.name() + ", grid " + gridX + "x" + gridY + "x" + gridZ
                    + ", block " + blockX + "x" + blockY + "x" + blockZ + ")");
        } catch (Throwable t) { throw CudaDriver.rethrow("cuLaunchKernel(" + f.name() + ")", t); }
    }

    /** Waits for all work queued on this stream; an asynchronous kernel fault surfaces here. */
    public void synchronize() {
        try { cu.check((int) cu.streamSynchronize.invokeExact(handle), "cuStreamSynchronize"); }
        catch (Throwable t) { throw CudaDriver.rethrow("cuStreamSynchronize", t); }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try { cu.check((int) cu.streamDestroy.invokeExact(handle), "cuStreamDestroy"); }
        catch (Throwable t) { throw CudaDriver.rethrow("cuStreamDestroy", t); }
    }
}
