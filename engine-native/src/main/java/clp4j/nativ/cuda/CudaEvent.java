package clp4j.nativ.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

/** A CUDA event for timing work on a stream (the kernel lab's clock). */
public final class CudaEvent implements AutoCloseable {
    private final CudaDriver cu;
    private final MemorySegment handle;

    public CudaEvent(CudaDriver cu) {
        this.cu = cu;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            cu.check((int) cu.eventCreate.invokeExact(out, 0), "cuEventCreate");
            handle = out.get(ADDRESS, 0);
        } catch (Throwable t) { throw CudaDriver.rethrow("cuEventCreate", t); }
    }

    public void record(CudaStream stream) {
        try { cu.check((int) cu.eventRecord.invokeExact(handle, stream.handle()), "cuEventRecord"); }
        catch (Throwable t) { throw CudaDriver.rethrow("cuEventRecord", t); }
    }

    public void synchronize() {
        try { cu.check((int) cu.eventSynchronize.invokeExact(handle), "cuEventSynchronize"); }
        catch (Throwable t) { throw CudaDriver.rethrow("cuEventSynchronize", t); }
    }

    /** Milliseconds from {@code start} to this event (both recorded and complete). */
    public float elapsedSince(CudaEvent start) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_FLOAT);
            cu.check((int) cu.eventElapsedTime.invokeExact(out, start.handle, handle), "cuEventElapsedTime");
            return out.get(JAVA_FLOAT, 0);
        } catch (Throwable t) { throw CudaDriver.rethrow("cuEventElapsedTime", t); }
    }

    @Override
    public void close() {
        try { cu.check((int) cu.eventDestroy.invokeExact(handle), "cuEventDestroy"); }
        catch (Throwable t) { throw CudaDriver.rethrow("cuEventDestroy", t); }
    }
}
