package clp4j.nativ.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The {@code void** kernelParams} of cuLaunchKernel, built in one reusable native buffer (no
 * allocation per launch): a table of argument addresses followed by the argument values, each
 * value 8-byte aligned. Struct arguments are written in the layout of kernels/src/main/cuda/common.cuh
 * ({@code Dims}) and mix.cu ({@code MixPtrs}). Not thread-safe; the backend serialises launches.
 */
public final class LaunchArgs implements AutoCloseable {
    static final int MAX_ARGS = 32, MAX_RANK = 8, MIX_MAX_M = 8;
    static final long DIMS_BYTES = 8 + 16L * MAX_RANK, MIX_BYTES = 12L * MIX_MAX_M;
    private static final long TABLE = MAX_ARGS * 8L, BYTES = 4096;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment buf = arena.allocate(BYTES, 16);
    private final int[] codes = new int[MAX_ARGS];
    private int count;
    private long next;

    /** Starts a new argument list. */
    public LaunchArgs begin() {
        count = 0;
        next = TABLE;
        return this;
    }

    private long slot(long bytes, int code) {
        if (count == MAX_ARGS || next + bytes > BYTES) {
            throw new IllegalStateException("kernel argument list too long (" + count + " arguments, " + next + " bytes)");
        }
        long at = next;
        buf.set(JAVA_LONG, count * 8L, buf.address() + at);
        codes[count] = code;
        count++;
        next = (at + bytes + 7) & ~7L;
        return at;
    }

    /** A device pointer (CUdeviceptr or 0 for NULL). */
    public LaunchArgs ptr(long devicePtr) { buf.set(JAVA_LONG, slot(8, 'l'), devicePtr); return this; }

    public LaunchArgs i32(int v) { buf.set(JAVA_INT, slot(4, 'i'), v); return this; }

    public LaunchArgs i64(long v) { buf.set(JAVA_LONG, slot(8, 'l'), v); return this; }

    public LaunchArgs f32(float v) { buf.set(JAVA_FLOAT, slot(4, 'f'), v); return this; }

    /** A {@code Dims} struct: rank, pad, dims[8], strides[8] (rank at most 8, see {@link DimsCollapse}). */
    public LaunchArgs dims(long[] dims, long[] strides) {
        if (dims.length > MAX_RANK || strides.length != dims.length) {
            throw new IllegalArgumentException("kernel Dims take at most " + MAX_RANK + " axes with one stride each, got "
                    + dims.length + " dims and " + strides.length + " strides");
        }
        long at = slot(DIMS_BYTES, KernelParams.STRUCT + (int) DIMS_BYTES);
        buf.asSlice(at, DIMS_BYTES).fill((byte) 0);
        buf.set(JAVA_INT, at, dims.length);
        for (int i = 0; i < dims.length; i++) {
            buf.set(JAVA_LONG, at + 8 + 8L * i, dims[i]);
            buf.set(JAVA_LONG, at + 8 + 8L * MAX_RANK + 8L * i, strides[i]);
        }
        return this;
    }

    /** A {@code MixPtrs} struct: up to 8 device pointers, then as many coefficients (unused entries zero). */
    public LaunchArgs mix(long[] ptrs, float[] coefficients, int from, int m) {
        if (m > MIX_MAX_M) throw new IllegalArgumentException("MixPtrs hold at most " + MIX_MAX_M + " tensors, got " + m);
        long at = slot(MIX_BYTES, KernelParams.STRUCT + (int) MIX_BYTES);
        buf.asSlice(at, MIX_BYTES).fill((byte) 0);
        for (int j = 0; j < m; j++) {
            buf.set(JAVA_LONG, at + 8L * j, ptrs[from + j]);
            buf.set(JAVA_FLOAT, at + 8L * MIX_MAX_M + 4L * j, coefficients[from + j]);
        }
        return this;
    }

    /** The void** table to pass to cuLaunchKernel. */
    public MemorySegment params() { return buf; }

    /** Raw view of the buffer (tests read the layout back). */
    MemorySegment buffer() { return buf; }

    int count() { return count; }

    /** The parameter codes of the current list (see {@link KernelParams}). */
    int[] codes() { return codes; }

    boolean matches(int[] expected) {
        if (expected.length != count) return false;
        for (int i = 0; i < count; i++) if (codes[i] != expected[i]) return false;
        return true;
    }

    @Override
    public void close() { arena.close(); }
}
