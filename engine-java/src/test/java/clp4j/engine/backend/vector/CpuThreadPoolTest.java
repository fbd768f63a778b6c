package clp4j.engine.backend.vector;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuThreadPoolTest {

    @Test
    void everyIndexRunsExactlyOnceAcrossThreads() {
        try (CpuThreadPool pool = new CpuThreadPool(3)) {
            for (int round = 0; round < 200; round++) {
                int n = 1 + round % 37;
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                pool.parallelFor(n, hits::incrementAndGet);
                for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "index " + i + " of " + n);
            }
            int[] covered = new int[1000];
            pool.parallelRange(1000, 7, (from, to) -> {
                for (int i = from; i < to; i++) covered[i]++;
            });
            for (int i = 0; i < 1000; i++) assertEquals(1, covered[i], "range index " + i);
        }
    }

    @Test
    void usesTheWorkersAndRunsNestedCallsInline() {
        try (CpuThreadPool pool = new CpuThreadPool(2)) {
            Set<Thread> seen = ConcurrentHashMap.newKeySet();
            AtomicIntegerArray inner = new AtomicIntegerArray(64);
            pool.parallelFor(64, i -> {
                seen.add(Thread.currentThread());
                // hold every task until a worker has taken one (it must, while tasks remain)
                long end = System.nanoTime() + 10_000_000_000L;
                while (seen.stream().noneMatch(t -> t.getName().startsWith("clp4j-vector-")) && System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
                pool.parallelFor(4, j -> inner.incrementAndGet(i));
            });
            for (int i = 0; i < 64; i++) assertEquals(4, inner.get(i));
            assertTrue(seen.stream().anyMatch(t -> t.getName().startsWith("clp4j-vector-")), "a worker ran tasks: " + seen);
        }
    }

    @Test
    void aFailingTaskFailsTheCallAndThePoolKeepsWorking() {
        try (CpuThreadPool pool = new CpuThreadPool(3)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.parallelFor(10, i -> {
                if (i == 5) throw new IllegalStateException("task 5");
            }));
            assertEquals("task 5", e.getMessage());
            AtomicIntegerArray hits = new AtomicIntegerArray(10);
            pool.parallelFor(10, hits::incrementAndGet);
            for (int i = 0; i < 10; i++) assertEquals(1, hits.get(i));
        }
    }

    @Test
    void badThreadCountIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> new CpuThreadPool(0));
    }
}
