package clp4j.nativ.cuda;

import clp4j.engine.backend.ReferenceBackend;
import clp4j.engine.tensor.Tensor;
import clp4j.kernels.KernelPtx;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link KernelQueue} without a GPU: device memory is host float arrays at fake addresses, every
 * launch is checked against the kernel's PTX parameters and launch limits and recorded (kernels are
 * not run), and cuBLAS is emulated by a column-major loop so the row-major mapping can be tested.
 */
final class RecordingQueue implements KernelQueue {
    final Map<String, int[]> params = new HashMap<>();
    final Set<String> launched = new LinkedHashSet<>();
    private final LaunchArgs args = new LaunchArgs();
    private final TreeMap<Long, float[]> memory = new TreeMap<>();
    private final DeviceAllocator allocator;
    private final ReferenceBackend nominal = new ReferenceBackend();
    int gemmCalls;

    RecordingQueue() {
        for (String m : KernelPtx.modules()) {
            byte[] ptx = KernelPtx.ptx(m);
            params.putAll(KernelParams.parse(new String(ptx, 0, ptx.length - 1, StandardCharsets.US_ASCII)));
        }
        allocator = new DeviceAllocator(new DeviceAllocatorTest.FakeRaw(Long.MAX_VALUE / 4) {
            @Override public long alloc(long bytes) {
                long p = super.alloc(bytes);
                memory.put(p, new float[(int) (bytes / 4)]);
                return p;
            }
        });
    }

    /** A tensor in fake device memory holding {@code data}. */
    Tensor tensor(float[] data, int... shape) {
        long n = Tensor.numel(shape);
        DeviceAllocator.Block b = allocator.allocate(Math.max(n, 1) * 4);
        System.arraycopy(data, 0, memory.get(b.ptr()), 0, data.length);
        return new Tensor(nominal, new CudaStorage(null, b, n), 0, shape, false);
    }

    Tensor zeros(int... shape) { return tensor(new float[(int) Tensor.numel(shape)], shape); }

    float[] read(Tensor t) {
        float[] out = new float[t.size()];
        long p = CudaStorage.ptr(t);
        Map.Entry<Long, float[]> e = memory.floorEntry(p);
        System.arraycopy(e.getValue(), (int) ((p - e.getKey()) / 4), out, 0, out.length);
        return out;
    }

    private float[] block(long ptr) { return memory.floorEntry(ptr).getValue(); }

    private int index(long ptr) { return (int) ((ptr - memory.floorKey(ptr)) / 4); }

    @Override public LaunchArgs args() { return args; }

    @Override public void launchElements(String kernel, long n) {
        if (n > 0) launch(kernel, (int) Math.min((n + 255) / 256, 132 * 32), 1, 256, 1);
    }

    @Override public void launchChunks(String kernel, long n, int chunks) {
        if (n > 0) launch(kernel, (int) Math.min((n + 255) / 256, 132 * 32), chunks, 256, 1);
    }

    @Override public void launchRows(String kernel, long rows, int len) {
        if (rows > 0) launch(kernel, (int) rows, 1, CudaDevice.rowThreads(len), 1);
    }

    @Override public void launch(String kernel, int gridX, int gridY, int blockX, int blockY) {
        int[] expected = params.get(kernel);
        if (expected == null) throw new IllegalStateException("no kernel " + kernel + " in the PTX");
        KernelParams.check(kernel, expected, args);
        if (gridX < 1 || gridY < 1 || gridY > 65535 || blockX < 1 || blockX * blockY > 1024 || blockX % 32 != 0) {
            throw new IllegalStateException(kernel + ": bad launch geometry grid " + gridX + "x" + gridY + " block " + blockX + "x" + blockY);
        }
        launched.add(kernel);
    }

    @Override public void memset32(long dst, int bits, long count) {
        float[] b = block(dst);
        int i = index(dst);
        for (long j = 0; j < count; j++) b[i + (int) j] = Float.intBitsToFloat(bits);
    }

    @Override public long uploadInts(int[] values) { return allocator.allocate(Math.max(4, values.length * 4L)).ptr(); }

    @Override public DeviceAllocator allocator() { return allocator; }

    @Override public int smCount() { return 132; }

    /** Column-major GEMM as cuBLAS defines it: X(r, c) = x[r + c * ld], op T reads the transpose. */
    @Override
    public void gemm(int opA, int opB, int m, int n, int k, float alpha, long a, int lda, long strideA,
                     long b, int ldb, long strideB, float beta, long c, int ldc, long strideC, int batch) {
        gemmCalls++;
        float[] ad = block(a), bd = block(b), cd = block(c);
        for (int bi = 0; bi < batch; bi++) {
            int a0 = index(a) + (int) (bi * strideA), b0 = index(b) + (int) (bi * strideB), c0 = index(c) + (int) (bi * strideC);
            for (int col = 0; col < n; col++) {
                for (int row = 0; row < m; row++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        float av = opA == Cublas.OP_N ? ad[a0 + row + p * lda] : ad[a0 + p + row * lda];
                        float bv = opB == Cublas.OP_N ? bd[b0 + p + col * ldb] : bd[b0 + col + p * ldb];
                        s += (double) av * bv;
                    }
                    int ci = c0 + row + col * ldc;
                    cd[ci] = (float) (alpha * s + (beta == 0 ? 0 : beta * cd[ci]));
                }
            }
        }
    }
}
