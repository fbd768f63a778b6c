package clp4j.engine.backend.vector;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A growable off-heap float buffer that starts on a cache-line (64-byte) boundary, for the packed
 * B panels the GEMM micro-kernel streams through. The data of a Java {@code float[]} starts 16
 * bytes past an 8-byte aligned object, so every 64-byte vector load from it straddles two cache
 * lines; from an aligned buffer the 12 x 32 tile alone ran 1.1-1.2x faster and whole
 * 1024 x 512 x 512 products 1.2-1.3x (scratch timings, see BENCHMARKS.md). The memory is owned by an automatic
 * arena: it is freed when the buffer (usually a thread's workspace) is no longer reachable.
 */
final class AlignedFloats {
    /** Byte order of every vector load and store on these buffers. */
    static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final long ALIGNMENT = 64;

    private MemorySegment segment = MemorySegment.NULL;

    /** A segment of at least {@code floats} floats (contents unspecified), reallocated only to grow. */
    MemorySegment atLeast(long floats) {
        if (segment.byteSize() < floats * Float.BYTES) {
            segment = Arena.ofAuto().allocate(floats * Float.BYTES, ALIGNMENT);
        }
        return segment;
    }

    /** Sets float {@code index} of a segment from {@link #atLeast}. */
    static void set(MemorySegment s, long index, float v) {
        s.setAtIndex(ValueLayout.JAVA_FLOAT, index, v);
    }
}
