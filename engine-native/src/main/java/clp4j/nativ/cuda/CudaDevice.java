package clp4j.nativ.cuda;

import java.lang.foreign.MemorySegment;

/**
 * One GPU as the CUDA backend uses it: the primary context, one stream for all work, cuBLAS bound
 * to that stream, the loaded kernels, the caching allocator, the launch-argument buffer and the
 * host staging buffers. Launch geometry for the two kernel shapes (grid-stride loops and one block
 * per row) lives here too.
 */
final class CudaDevice implements KernelQueue, AutoCloseable {
    static final int THREADS = 256;

    final CudaDriver cu;
    final int device;
    final MemorySegment context;
    final CudaStream stream;
    final Cublas cublas;
    final CudaKernels kernels;
    final DeviceAllocator allocator;
    final LaunchArgs args = new LaunchArgs();
    final HostTransfer transfer;
    final String name;
    final int smCount;
    private final ThreadLocal<Boolean> current = ThreadLocal.withInitial(() -> false);

    CudaDevice(int ordinal, boolean tf32) {
        cu = CudaDriver.get();
        int count = cu.deviceCount();
        if (ordinal < 0 || ordinal >= count) {
            throw new CudaUnavailableException("CUDA device " + ordinal + " requested (-Dclp4j.cuda.device) but this machine has "
                    + count + " device(s)");
        }
        device = cu.device(ordinal);
        context = cu.retainPrimaryContext(device);
        current.set(true);
        name = cu.deviceName(device);
        smCount = cu.attribute(CudaDriver.ATTR_MULTIPROCESSOR_COUNT, device);
        stream = new CudaStream(cu);
        cublas = new Cublas(stream, tf32);
        kernels = new CudaKernels(cu);
        allocator = new DeviceAllocator(new DeviceAllocator.Raw() {
            @Override public long alloc(long bytes) { return cu.memAlloc(bytes); }
            @Override public void free(long ptr) { cu.memFree(ptr); }
            @Override public void synchronize() { stream.synchronize(); }
            @Override public boolean isOutOfMemory(RuntimeException e) {
                return e instanceof CudaException c && c.code() == CudaDriver.CUDA_ERROR_OUT_OF_MEMORY;
            }
        });
        transfer = new HostTransfer(stream);
    }

    /** Makes the context current on the calling thread (once per thread). */
    void ensureCurrent() {
        if (!current.get()) {
            cu.setCurrent(context);
            current.set(true);
        }
    }

    @Override
    public LaunchArgs args() { return args; }

    /** A grid-stride kernel over n elements: 256 threads, at most 32 blocks per SM. */
    @Override
    public void launchElements(String kernel, long n) {
        if (n <= 0) return;
        long blocks = Math.min((n + THREADS - 1) / THREADS, (long) smCount * 32);
        launch(kernel, (int) blocks, 1, THREADS, 1);
    }

    @Override
    public void launchChunks(String kernel, long n, int chunks) {
        if (n <= 0 || chunks <= 0) return;
        long blocks = Math.min((n + THREADS - 1) / THREADS, Math.max(1, (long) smCount * 32 / chunks));
        launch(kernel, (int) blocks, chunks, THREADS, 1);
    }

    /** A one-block-per-row kernel over rows of length len. */
    @Override
    public void launchRows(String kernel, long rows, int len) {
        if (rows <= 0) return;
        if (rows > Integer.MAX_VALUE) throw new IllegalArgumentException(kernel + ": " + rows + " rows exceed the grid limit");
        launch(kernel, (int) rows, 1, rowThreads(len), 1);
    }

    @Override
    public void launch(String kernel, int gridX, int gridY, int blockX, int blockY) {
        KernelParams.check(kernel, kernels.params(kernel), args);
        stream.launch(kernels.get(kernel), gridX, gridY, 1, blockX, blockY, 1, 0, args.params());
    }

    @Override
    public void memset32(long dst, int bits, long count) { stream.memset32(dst, bits, count); }

    @Override
    public long uploadInts(int[] values) { return transfer.uploadInts(values, allocator); }

    @Override
    public DeviceAllocator allocator() { return allocator; }

    @Override
    public int smCount() { return smCount; }

    @Override
    public void gemm(int opA, int opB, int m, int n, int k, float alpha, long a, int lda, long strideA,
                     long b, int ldb, long strideB, float beta, long c, int ldc, long strideC, int batch) {
        cublas.gemm(opA, opB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC, batch);
    }

    /** Threads for a row of len: a multiple of 32 between 32 and 1024, about one element per thread up to 1024. */
    static int rowThreads(int len) {
        int t = ((Math.max(len, 1) + 31) / 32) * 32;
        return Math.min(t, 1024);
    }

    @Override
    public void close() {
        ensureCurrent();
        stream.synchronize();
        allocator.close();
        kernels.close();
        cublas.close();
        transfer.close();
        args.close();
        stream.close();
        cu.releasePrimaryContext(device);
    }
}
