package clp4j.engine.backend;

import clp4j.engine.autodiff.TensorScope;
import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reuse of released tensors' arrays: always zeroed, never while something can still read them, bounded. */
class ArrayPoolTest {
    @Test
    void aReusedArrayComesBackZeroed() {
        ArrayPool pool = new ArrayPool(1 << 20);
        float[] a = pool.take(100);
        java.util.Arrays.fill(a, 7f);
        pool.give(a);
        assertEquals(400, pool.heldBytes());
        float[] b = pool.take(100);
        assertSame(a, b);
        assertArrayEquals(new float[100], b);
        assertEquals(0, pool.heldBytes());
        assertNotSame(b, pool.take(100), "the pool is empty again: a new array");
        assertEquals(50, pool.take(50).length, "only an array of the exact length is reused");
    }

    @Test
    void staysWithinItsCapacityByStartingOver() {
        ArrayPool pool = new ArrayPool(1000);
        pool.give(new float[200]);
        pool.give(new float[30]);
        assertEquals(920, pool.heldBytes());
        pool.give(new float[100]); // would pass 1000 bytes: the pool is emptied first
        assertEquals(400, pool.heldBytes());
        pool.give(new float[300]); // larger than the whole pool: left to the garbage collector
        assertEquals(400, pool.heldBytes());
        ArrayPool off = new ArrayPool(0);
        off.give(new float[10]);
        assertEquals(0, off.heldBytes());
    }

    @Test
    void aViewThatOutlivesItsScopeFailsInsteadOfReadingAReusedArray() {
        Backend be = Backends.get("vector");
        Tensor view;
        try (TensorScope scope = TensorScope.open()) {
            Tensor t = be.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
            view = t.reshape(3, 2);
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, view.toArray());
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, view::toArray);
        assertTrue(e.getMessage().contains("released"), e.getMessage());
        // the array went back to the pool: the next tensor of that size gets it, zeroed
        try (TensorScope scope = TensorScope.open()) {
            assertArrayEquals(new float[6], be.zeros(6).toArray());
        }
    }

    @Test
    void anArrayTheCallerHandedInIsNeverPooled() {
        float[] mine = {1, 2, 3};
        CpuStorage wrapped = new CpuStorage(mine);
        ArrayPool pool = new ArrayPool(1 << 20);
        CpuMemory.release(wrapped, pool);
        assertEquals(0, pool.heldBytes());
        assertThrows(IllegalStateException.class, wrapped::data);
        CpuStorage own = new CpuStorage(3);
        CpuMemory.release(own, pool);
        CpuMemory.release(own, pool); // a second release does not pool the array twice
        assertEquals(12, pool.heldBytes());
    }

    @Test
    void aBadPoolSizeSettingIsNamed() {
        String old = System.getProperty(ArrayPool.PROPERTY);
        try {
            System.setProperty(ArrayPool.PROPERTY, "lots");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ArrayPool::fromSettings);
            assertTrue(e.getMessage().contains("clp4j.arrayPoolBytes=lots"), e.getMessage());
            System.setProperty(ArrayPool.PROPERTY, "-1");
            assertThrows(IllegalArgumentException.class, ArrayPool::fromSettings);
            System.setProperty(ArrayPool.PROPERTY, "0");
            assertEquals(0, ArrayPool.fromSettings().heldBytes());
        } finally {
            if (old == null) System.clearProperty(ArrayPool.PROPERTY); else System.setProperty(ArrayPool.PROPERTY, old);
        }
    }
}
