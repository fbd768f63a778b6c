package clp4j.nativ.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Host to device copies through reusable native staging buffers (at most 16 MiB, so a whole-model
 * upload goes in chunks without a model-sized host buffer), and the small int uploads of ids and
 * targets into a reusable device buffer. The staging memory is pageable: cuMemcpyHtoDAsync has
 * copied it out by the time it returns, so the next chunk may overwrite it at once.
 */
final class HostTransfer implements AutoCloseable {
    static final int CHUNK_FLOATS = 4 << 20;

    private final CudaStream stream;
    private final Arena arena = Arena.ofShared();
    private MemorySegment floats = MemorySegment.NULL;
    private MemorySegment ints = MemorySegment.NULL;
    private DeviceAllocator.Block intDevice;

    HostTransfer(CudaStream stream) { this.stream = stream; }

    private MemorySegment floatStaging(int n) {
        if (floats.byteSize() < (long) n * Float.BYTES) floats = arena.allocate((long) Math.max(n, 1024) * Float.BYTES, 64);
        return floats;
    }

    /** dst[0..n) = src[srcPos..srcPos+n); queued on the stream. */
    void upload(float[] src, int srcPos, long dst, int n) {
        for (int done = 0; done < n; ) {
            int len = Math.min(CHUNK_FLOATS, n - done);
            MemorySegment s = floatStaging(len);
            MemorySegment.copy(src, srcPos + done, s, JAVA_FLOAT, 0, len);
            stream.copyHtoD(dst + (long) done * Float.BYTES, s, (long) len * Float.BYTES);
            done += len;
        }
    }

    /** dst[0..n) = device src[0..n); waits for the stream. */
    void download(long src, float[] dst, int n) {
        for (int done = 0; done < n; ) {
            int len = Math.min(CHUNK_FLOATS, n - done);
            MemorySegment s = floatStaging(len);
            stream.copyDtoH(s, src + (long) done * Float.BYTES, (long) len * Float.BYTES);
            stream.synchronize();
            MemorySegment.copy(s, JAVA_FLOAT, 0, dst, done, len);
            done += len;
        }
    }

    /**
     * Uploads ids or targets into the reusable device int buffer and returns its address. Kernels
     * queued before the next upload read these values first (stream order), so one buffer suffices.
     */
    long uploadInts(int[] values, DeviceAllocator allocator) {
        long bytes = Math.max((long) values.length * Integer.BYTES, 4);
        if (intDevice == null || intDevice.bytes() < bytes) {
            if (intDevice != null) allocator.release(intDevice);
            intDevice = allocator.allocate(bytes);
        }
        if (ints.byteSize() < bytes) ints = arena.allocate(Math.max(bytes, 4096), 64);
        MemorySegment.copy(values, 0, ints, JAVA_INT, 0, values.length);
        if (values.length > 0) stream.copyHtoD(intDevice.ptr(), ints, (long) values.length * Integer.BYTES);
        return intDevice.ptr();
    }

    @Override
    public void close() { arena.close(); }
}
