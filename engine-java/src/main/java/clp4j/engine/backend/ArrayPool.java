package clp4j.engine.backend;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Float arrays of released CPU tensors, kept for the next tensor of the same size. A model step
 * allocates the same activation shapes every time (a greedy call on T5-small 418 MB of them, a
 * training step 1.27 GB), and fresh arrays cost the allocating thread the JVM's zeroing plus
 * garbage-collection pauses: 61-149 ms per greedy call measured in a scratch harness. A reused
 * array is zeroed with {@link Arrays#fill}, which ran 3-4x faster than allocation there, or not at
 * all when the op overwrites it ({@link #reuse}, behind {@code Backend.empty}).
 *
 * <p>Only arrays the backend allocated itself come here ({@link CpuStorage#release}), never one
 * wrapped from the caller, and a storage's array is handed out again only after that storage is
 * marked released, so a stale view of it fails instead of reading another tensor's data.
 * The pool holds at most {@code -Dclp4j.arrayPoolBytes} (default a quarter of the maximum heap);
 * when an array would not fit, the pool is emptied first (the working set has changed) and the
 * garbage collector takes the rest.
 */
public final class ArrayPool {
    public static final String PROPERTY = "clp4j.arrayPoolBytes";
    /**
     * {@code -Dclp4j.poisonUnwritten=true} fills every array from {@link #reuse} with NaN, so an op
     * that leaves part of an {@code empty} output unwritten shows up as NaN (the test suite runs so).
     */
    public static final String POISON_PROPERTY = "clp4j.poisonUnwritten";
    private static final boolean POISON = Boolean.getBoolean(POISON_PROPERTY);

    private final long capacityBytes;
    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    private long heldBytes;

    /** A pool of at most {@code capacityBytes} bytes (0 disables pooling). */
    public ArrayPool(long capacityBytes) {
        if (capacityBytes < 0) throw new IllegalArgumentException("array pool capacity " + capacityBytes + " bytes is negative");
        this.capacityBytes = capacityBytes;
    }

    /** A pool sized from {@code -Dclp4j.arrayPoolBytes} (default: a quarter of the maximum heap). */
    public static ArrayPool fromSettings() {
        String s = System.getProperty(PROPERTY);
        long bytes = Runtime.getRuntime().maxMemory() / 4;
        if (s != null && !s.isBlank()) {
            try {
                bytes = Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-D" + PROPERTY + "=" + s + " is not a byte count; give a number >= 0 (0 turns pooling off)", e);
            }
            if (bytes < 0) throw new IllegalArgumentException("-D" + PROPERTY + "=" + s + " is negative; give a number >= 0 (0 turns pooling off)");
        }
        return new ArrayPool(bytes);
    }

    /** A zero-filled array of {@code length} floats: a pooled one if there is one, else a new one. */
    public float[] take(int length) {
        float[] a = pooled(length);
        if (a == null) return new float[length];
        Arrays.fill(a, 0f);
        return a;
    }

    /** An array of {@code length} floats with unspecified contents, for an output that will be overwritten. */
    public float[] reuse(int length) {
        float[] a = pooled(length);
        if (a == null) a = new float[length];
        if (POISON) Arrays.fill(a, Float.NaN);
        return a;
    }

    private synchronized float[] pooled(int length) {
        ArrayDeque<float[]> q = free.get(length);
        float[] a = q == null ? null : q.pollLast();
        if (a != null) heldBytes -= bytes(a);
        return a;
    }

    /** Takes back an array nothing references any more. */
    public synchronized void give(float[] a) {
        long b = bytes(a);
        if (b > capacityBytes || a.length == 0) return;
        if (heldBytes + b > capacityBytes) {
            free.clear();
            heldBytes = 0;
        }
        free.computeIfAbsent(a.length, n -> new ArrayDeque<>()).addLast(a);
        heldBytes += b;
    }

    /** Bytes of arrays waiting in the pool (for tests and diagnostics). */
    public synchronized long heldBytes() {
        return heldBytes;
    }

    private static long bytes(float[] a) {
        return (long) a.length * Float.BYTES;
    }
}
