package clp4j.nativ.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A caching device allocator: blocks are rounded up to size classes (512 B, then four classes per
 * power of two, so at most 25% waste) and returned blocks wait on per-class free lists for the next
 * request of that class, so a training step reuses memory instead of calling cuMemAlloc per op.
 * Reuse is safe without events because every op runs on one stream: work queued after a release
 * runs after the work that used the block. When the device is out of memory the cache is freed
 * and the allocation retried once. Not thread-safe; the backend serialises calls.
 */
public final class DeviceAllocator implements AutoCloseable {

    /** The raw device memory calls (the CUDA driver, or a fake in tests). */
    public interface Raw {
        long alloc(long bytes);
        void free(long ptr);
        /** Waits for queued work before memory is really freed. */
        void synchronize();
        /** Whether an exception from {@link #alloc} means "out of memory" (worth freeing the cache and retrying). */
        boolean isOutOfMemory(RuntimeException e);
    }

    static final long MIN_BLOCK = 512;

    private final Raw raw;
    private final Map<Long, ArrayDeque<Long>> free = new HashMap<>();
    private long bytesInUse, bytesCached, rawAllocations;

    public DeviceAllocator(Raw raw) { this.raw = raw; }

    /** The size class of a request: 512 B, or the smallest of 1, 1.25, 1.5, 1.75 times a power of two that fits. */
    static long sizeClass(long bytes) {
        if (bytes <= MIN_BLOCK) return MIN_BLOCK;
        long pow = Long.highestOneBit(bytes - 1);   // pow < bytes <= 2 * pow
        long quarter = pow / 4;
        return pow + ((bytes - pow + quarter - 1) / quarter) * quarter;
    }

    /** A block of at least {@code bytes}; {@link Block#bytes()} is its size class. */
    public Block allocate(long bytes) {
        long size = sizeClass(bytes);
        ArrayDeque<Long> list = free.get(size);
        long ptr;
        if (list != null && !list.isEmpty()) {
            ptr = list.pop();
            bytesCached -= size;
        } else {
            ptr = rawAlloc(size);
        }
        bytesInUse += size;
        return new Block(ptr, size);
    }

    private long rawAlloc(long size) {
        try {
            rawAllocations++;
            return raw.alloc(size);
        } catch (RuntimeException e) {
            if (!raw.isOutOfMemory(e) || bytesCached == 0) throw e;
            emptyCache();
            return raw.alloc(size);
        }
    }

    /** Returns a block to its free list (the memory stays allocated on the device). */
    public void release(Block b) {
        free.computeIfAbsent(b.bytes(), k -> new ArrayDeque<>()).push(b.ptr());
        bytesInUse -= b.bytes();
        bytesCached += b.bytes();
    }

    /** Frees every cached block with cuMemFree (after the queued work). */
    public void emptyCache() {
        if (bytesCached == 0) return;
        raw.synchronize();
        for (ArrayDeque<Long> list : free.values()) {
            while (!list.isEmpty()) raw.free(list.pop());
        }
        bytesCached = 0;
    }

    public long bytesInUse() { return bytesInUse; }
    public long bytesCached() { return bytesCached; }
    /** How many times the raw allocator was called (a steady training loop stops raising it). */
    public long rawAllocations() { return rawAllocations; }

    /** Frees the cache; blocks still in use are the owners' business (the context teardown frees them). */
    @Override
    public void close() { emptyCache(); }

    /** A device block: its CUdeviceptr and its size class in bytes. */
    public record Block(long ptr, long bytes) { }
}
