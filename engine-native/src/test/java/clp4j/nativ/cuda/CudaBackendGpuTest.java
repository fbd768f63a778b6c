package clp4j.nativ.cuda;

import clp4j.engine.autodiff.TensorScope;
import clp4j.engine.backend.Backend;
import clp4j.engine.backend.Backends;
import clp4j.engine.backend.ReferenceBackend;
import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What only the CUDA backend has: device memory, the allocator cache, staging, the shared dropout mask, error names. */
@Tag("gpu")
class CudaBackendGpuTest {
    private CudaBackend b;

    @BeforeEach
    void open() { b = GpuSupport.backend(false); }

    @AfterEach
    void close() { if (b != null) b.close(); }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = r.nextFloat() * 2 - 1;
        return a;
    }

    @Test
    void registryCreatesIt() {
        assertTrue(Backends.isAvailable("cuda"));
        try (Backend c = Backends.create("cuda")) {
            assertEquals("cuda", c.name());
        }
    }

    @Test
    void roundTripsLargerThanTheStagingChunkAndThroughViews() {
        int n = HostTransfer.CHUNK_FLOATS * 2 + 3;
        float[] data = random(n, 1);
        Tensor t = b.fromArray(data, n);
        assertArrayEquals(data, t.toArray());
        Tensor view = t.slice0(5, 105);
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 5, 105), view.toArray());
        b.fill(view, 2.5f);
        float[] back = t.toArray();
        assertEquals(data[4], back[4]);
        assertEquals(2.5f, back[5]);
        assertEquals(2.5f, back[104]);
        assertEquals(data[105], back[105]);
        Tensor z = b.zeros(7);
        b.copyFromHost(data, 3, z);
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 3, 10), z.toArray());
        Tensor c = b.zeros(100);
        b.copy(view, c);
        assertEquals(2.5f, c.toArray()[99]);
    }

    @Test
    void aSteadyStepLoopStopsCallingCuMemAlloc() {
        long before = 0;
        for (int step = 0; step < 5; step++) {
            try (TensorScope scope = TensorScope.open()) {
                for (int i = 1; i <= 30; i++) b.scale(b.zeros(i * 1000), 2f, b.zeros(i * 1000));
            }
            if (step == 0) before = b.allocator().rawAllocations();
        }
        assertEquals(before, b.allocator().rawAllocations(), "steps after the first must reuse cached blocks");
    }

    @Test
    void dropoutMaskIsBitForBitTheSharedOne() {
        int n = 100_003;
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 1f);
        Tensor x = b.fromArray(ones, n), y = b.zeros(n);
        long seed = 0x9E3779B97F4A7C15L ^ 12345;
        b.dropout(x, 0.3f, seed, y);
        float[] got = y.toArray();
        for (int j = 0; j < n; j++) {
            assertEquals(Backend.dropoutKeep(seed, j, 0.3f), got[j] != 0f, "element " + j);
        }
    }

    @Test
    void softmaxOfAFullyMaskedRowIsUniformNotNaN() {
        Tensor x = b.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor mask = b.fromArray(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY,
                0, -Float.MAX_VALUE, 0}, 2, 3);
        Tensor y = b.zeros(2, 3);
        b.softmax(x, mask, y);
        ReferenceBackend ref = new ReferenceBackend();
        Tensor ry = ref.zeros(2, 3);
        ref.softmax(ref.fromArray(x.toArray(), 2, 3), ref.fromArray(mask.toArray(), 2, 3), ry);
        assertArrayEquals(ry.toArray(), y.toArray(), 1e-6f);
    }

    @Test
    void errorsNameTheProblem() {
        Tensor cpu = new ReferenceBackend().zeros(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.scale(cpu, 1f, b.zeros(3)));
        assertTrue(e.getMessage().contains("does not live on the GPU"), e.getMessage());
        CudaException oom = assertThrows(CudaException.class, () -> b.driver().memAlloc(1L << 50));
        assertEquals("CUDA_ERROR_OUT_OF_MEMORY", oom.errorName());
        assertTrue(oom.getMessage().contains("cuMemAlloc"), oom.getMessage());
    }

    @Test
    void tf32IsASetting() {
        try (CudaBackend t = new CudaBackend(0, true)) {
            assertTrue(t.tf32());
            assertTrue(t.toString().contains("tf32"), t.toString());
        }
    }
}
