package clp4j.nativ.cuda;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceAllocatorTest {

    /** Hands out increasing fake addresses; fails with "out of memory" once more than {@code limit} bytes are live. */
    static class FakeRaw implements DeviceAllocator.Raw {
        final long limit;
        long live, next = 1 << 20, syncs;
        final Set<Long> freed = new HashSet<>();
        final java.util.Map<Long, Long> sizes = new java.util.HashMap<>();

        FakeRaw(long limit) { this.limit = limit; }

        @Override public long alloc(long bytes) {
            if (live + bytes > limit) throw new CudaException("cuMemAlloc failed: CUDA_ERROR_OUT_OF_MEMORY", 2, "CUDA_ERROR_OUT_OF_MEMORY");
            live += bytes;
            long p = next;
            next += bytes;
            sizes.put(p, bytes);
            return p;
        }
        @Override public void free(long ptr) { live -= sizes.remove(ptr); freed.add(ptr); }
        @Override public void synchronize() { syncs++; }
        @Override public boolean isOutOfMemory(RuntimeException e) { return e instanceof CudaException c && c.code() == 2; }
    }

    @Test
    void sizeClassesAreAtMostAQuarterAbove() {
        assertEquals(512, DeviceAllocator.sizeClass(1));
        assertEquals(512, DeviceAllocator.sizeClass(512));
        assertEquals(640, DeviceAllocator.sizeClass(513));
        assertEquals(1024, DeviceAllocator.sizeClass(1024));
        assertEquals(1280, DeviceAllocator.sizeClass(1025));
        for (long b = 1; b < 50_000_000; b = b * 3 + 7) {
            long c = DeviceAllocator.sizeClass(b);
            assertTrue(c >= b && (b <= 512 || c <= b * 1.25 + 1), b + " -> " + c);
            assertEquals(c, DeviceAllocator.sizeClass(c), "a class size is its own class");
        }
    }

    @Test
    void releasedBlocksAreReusedWithoutRawAllocation() {
        FakeRaw raw = new FakeRaw(1 << 30);
        DeviceAllocator a = new DeviceAllocator(raw);
        List<DeviceAllocator.Block> step = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            for (int i = 1; i <= 20; i++) step.add(a.allocate(i * 1000L));
            for (DeviceAllocator.Block b : step) a.release(b);
            step.clear();
        }
        assertEquals(20, a.rawAllocations(), "steps 2..5 must reuse the blocks of step 1");
        assertEquals(0, a.bytesInUse());
        assertTrue(a.bytesCached() > 0);
        a.close();
        assertEquals(0, raw.live, "close frees the cache");
    }

    @Test
    void outOfMemoryEmptiesTheCacheAndRetries() {
        FakeRaw raw = new FakeRaw(10_000);
        DeviceAllocator a = new DeviceAllocator(raw);
        DeviceAllocator.Block small = a.allocate(4000);
        a.release(small);
        DeviceAllocator.Block big = a.allocate(8000);   // 4096 cached + 8192 > limit: cache freed, retried
        assertEquals(8192, big.bytes());
        assertEquals(1, raw.syncs, "queued work is awaited before cuMemFree");
        assertTrue(raw.freed.contains(small.ptr()));
        assertThrows(CudaException.class, () -> a.allocate(9000), "still too big: the error reaches the caller");
    }
}
