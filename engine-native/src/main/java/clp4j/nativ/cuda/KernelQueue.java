package clp4j.nativ.cuda;

/**
 * What the op classes need from the GPU: an argument buffer, kernel launches (checked against the
 * kernel's PTX parameter list), memsets, int uploads, the allocator and cuBLAS. {@link CudaDevice}
 * queues the work on its stream; tests substitute a recorder that checks every launch without a GPU.
 */
interface KernelQueue {
    LaunchArgs args();

    /** A grid-stride kernel over n elements. */
    void launchElements(String kernel, long n);

    /** A grid-stride kernel over n elements, repeated over {@code chunks} grid rows (blockIdx.y). */
    void launchChunks(String kernel, long n, int chunks);

    /** A one-block-per-row kernel over rows of length len. */
    void launchRows(String kernel, long rows, int len);

    /** A launch with explicit geometry. */
    void launch(String kernel, int gridX, int gridY, int blockX, int blockY);

    void memset32(long dst, int bits, long count);

    /** Uploads ids or targets to a reusable device buffer (stream-ordered) and returns its address. */
    long uploadInts(int[] values);

    DeviceAllocator allocator();

    int smCount();

    /** Column-major cuBLAS GEMM (see {@link Cublas#gemm}). */
    void gemm(int opA, int opB, int m, int n, int k, float alpha, long a, int lda, long strideA,
              long b, int ldb, long strideB, float beta, long c, int ldc, long strideC, int batch);
}
