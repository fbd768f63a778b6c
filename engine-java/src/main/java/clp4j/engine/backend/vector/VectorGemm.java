package clp4j.engine.backend.vector;

import java.lang.foreign.MemorySegment;

/**
 * Strided batched SGEMM (BLAS row-major semantics, see {@code Backend.gemm}) on the Vector API.
 *
 * <p>Goto/BLIS structure: op(B) is packed into KC x NR micro-panels and op(A) into MR x KC
 * micro-panels (alpha folded in), and {@link GemmKernel} computes MR x NR tiles of C from them:
 * an A micro-panel (12 KiB) stays in L1 while the B micro-panels of a K block stream past it
 * from L2 (the opposite order keeps a 32 KiB B micro-panel in the 48 KiB L1; on the square
 * benchmark both orders measure the same within noise, see BENCHMARKS.md).
 * Skinny products (few rows or few columns) go to {@link GemmSkinny}, which does not pack.
 *
 * <p>Threads: many batch items are shared out whole; one large product packs op(B) once, over
 * all of K, into a buffer every thread reads, then hands out row blocks of C dynamically in
 * shrinking sizes ({@link GuidedBlocks}), each finished over the whole K while it sits in L2; a
 * product with few rows is split by columns.
 * Products below {@link #SERIAL_WORK} multiply-adds stay on the calling thread.
 */
public final class VectorGemm {
    static final int MR = GemmKernel.MR;
    static final int NR = GemmKernel.NR;
    /** K block: a KC x MR micro-panel of A (12 KiB) sits in L1; KC x NC of packed B (1 MiB) in L2. */
    static final int KC = GemmKernel.KC_STRIDE;
    /** M block: MC x KC of packed A (192 KiB) stays in L2 while it meets each B micro-panel. */
    static final int MC = 16 * MR;
    /** Columns of packed B that the A micro-panels stream over together: KC x NC_L2 (1 MiB) stays in L2. */
    static final int NC_L2 = 1024;
    /** Column block of B packed at once (KC x NC, 4 MiB at most). */
    static final int NC = 4096;
    /** Fewest rows of C per thread for threads to share a packed B (below this C is split by
     *  columns instead): packing all of op(B) up front pays only when many rows reuse it. */
    static final int MIN_SHARED_ROWS = 8 * MR;
    /** Default for the most floats of op(B) packed at once by the parallel path (16 MiB). */
    public static final int SHARED_B_FLOATS = 1 << 22;
    /** Below this many multiply-adds a product runs on the calling thread. */
    static final long SERIAL_WORK = 1L << 18;
    /** The same for a batch of at least two items per thread. */
    static final long SERIAL_WORK_BATCHED = 1L << 15;

    /** Per thread: packed A and one edge tile of C. */
    private static final ThreadLocal<float[][]> WORKSPACE =
            ThreadLocal.withInitial(() -> new float[][]{new float[MC * KC], new float[MR * NR]});
    /** Per thread: packed B, cache-line aligned (see {@link AlignedFloats}). */
    private static final ThreadLocal<AlignedFloats> PACKED_B = ThreadLocal.withInitial(AlignedFloats::new);

    private final CpuThreadPool pool;
    private final int sharedBFloats;

    public VectorGemm(CpuThreadPool pool) {
        this(pool, SHARED_B_FLOATS);
    }

    /** @param sharedBFloats most floats of op(B) packed at once when threads share it (bounds its column block) */
    public VectorGemm(CpuThreadPool pool, int sharedBFloats) {
        this.pool = pool;
        this.sharedBFloats = sharedBFloats;
    }

    /** See {@code Backend.gemm}; offsets are absolute element indices into the arrays. */
    public void gemm(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, long strideA,
                     float[] b, int bOff, int ldb, long strideB,
                     float beta, float[] c, int cOff, int ldc, long strideC) {
        if (batch <= 0 || m <= 0 || n <= 0) return;
        if (k <= 0 || alpha == 0f) {
            for (int t = 0; t < batch; t++) scaleC(m, n, beta, c, cOff + Math.toIntExact(t * strideC), ldc);
            return;
        }
        long work = (long) batch * m * n * k;
        int threads = pool.threads();
        // many small items (a decoding step's attention over 64 (batch, head) pairs) cost more in
        // per-item overhead than in arithmetic, so they are shared out at a lower threshold
        boolean manyItems = batch >= 2 * threads;
        if (work < (manyItems ? SERIAL_WORK_BATCHED : SERIAL_WORK) || threads == 1) {
            for (int t = 0; t < batch; t++) {
                item(transA, transB, m, n, 0, n, k, alpha, a, aOff + Math.toIntExact(t * strideA), lda,
                        b, bOff + Math.toIntExact(t * strideB), ldb, beta, c, cOff + Math.toIntExact(t * strideC), ldc);
            }
        } else if (batch >= 2 * threads || (batch >= threads && batch % threads == 0)) {
            pool.parallelFor(batch, t -> item(transA, transB, m, n, 0, n, k, alpha,
                    a, aOff + Math.toIntExact(t * strideA), lda, b, bOff + Math.toIntExact(t * strideB), ldb,
                    beta, c, cOff + Math.toIntExact(t * strideC), ldc));
        } else {
            for (int t = 0; t < batch; t++) {
                int ao = aOff + Math.toIntExact(t * strideA);
                int bo = bOff + Math.toIntExact(t * strideB);
                int co = cOff + Math.toIntExact(t * strideC);
                parallelItem(transA, transB, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc, threads);
            }
        }
    }

    /**
     * One product spread over the pool: with at least {@link #MIN_SHARED_ROWS} rows per thread,
     * {@link #sharedB}; otherwise C is split by columns (or by rows when it has few columns).
     */
    private void parallelItem(boolean transA, boolean transB, int m, int n, int k, float alpha,
                              float[] a, int ao, int lda, float[] b, int bo, int ldb,
                              float beta, float[] c, int co, int ldc, int threads) {
        boolean skinny = GemmSkinny.useFor(m, n);
        if (!skinny && m >= 2 * threads * MIN_SHARED_ROWS) {
            sharedB(transA, transB, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc, threads);
        } else if (m <= GemmSkinny.MAX_SIDE || !skinny) {
            // split by columns: a skinny product reads A in place, so it takes guided blocks of
            // at least 4 x 16 columns; a packed one packs all of A again for each block, so it
            // takes one block per thread
            int unit = skinny ? 16 : NR;
            int min = skinny ? 4 : ceilDiv(ceilDiv(n, NR), threads);
            int max = skinny ? Integer.MAX_VALUE : min;
            pool.parallelFor(GuidedBlocks.count(n, unit, min, max, threads), t -> item(transA, transB, m, n,
                    GuidedBlocks.start(t, n, unit, min, max, threads), GuidedBlocks.start(t + 1, n, unit, min, max, threads),
                    k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc));
        } else {
            pool.parallelFor(GuidedBlocks.count(m, 16, 4, Integer.MAX_VALUE, threads), t -> {
                int i0 = GuidedBlocks.start(t, m, 16, 4, Integer.MAX_VALUE, threads);
                int i1 = GuidedBlocks.start(t + 1, m, 16, 4, Integer.MAX_VALUE, threads);
                int aRow = transA ? ao + i0 : ao + i0 * lda;
                item(transA, transB, i1 - i0, n, 0, n, k, alpha, a, aRow, lda, b, bo, ldb, beta, c, co + i0 * ldc, ldc);
            });
        }
    }

    private void sharedB(boolean transA, boolean transB, int m, int n, int k, float alpha,
                         float[] a, int ao, int lda, float[] b, int bo, int ldb,
                         float beta, float[] c, int co, int ldc, int threads) {
        // all K blocks of a column block of op(B) are packed up front, so each row block of C is
        // finished over the whole K while it sits in L2 (C is loaded and stored once, not once per K block)
        int ncBlock = Math.min(roundUp(n, NR), Math.max(NR, (sharedBFloats / k) / NR * NR));
        int kBlocks = ceilDiv(k, KC);
        MemorySegment packB = PACKED_B.get().atLeast((long) ncBlock * k);
        int mBlocks = GuidedBlocks.count(m, MR, 1, MC / MR, threads);
        for (int jc = 0; jc < n; jc += ncBlock) {
            int nc = Math.min(ncBlock, n - jc);
            int ncPad = roundUp(nc, NR);
            int panels = ncPad / NR;
            int panelsPerTask = ceilDiv(panels, Math.max(1, 2 * threads / kBlocks));
            int groups = ceilDiv(panels, panelsPerTask);
            int jcf = jc;
            pool.parallelFor(kBlocks * groups, t -> {
                int pc = (t / groups) * KC;
                int kc = Math.min(KC, k - pc);
                int j0 = (t % groups) * panelsPerTask * NR;
                int cols = Math.min(nc, j0 + panelsPerTask * NR) - j0;
                GemmPacking.packB(transB, b, bo, ldb, pc, kc, jcf + j0, cols, packB, (long) pc * ncPad + (long) j0 * kc);
            });
            pool.parallelFor(mBlocks, t -> {
                float[][] ws = WORKSPACE.get();
                int ic = GuidedBlocks.start(t, m, MR, 1, MC / MR, threads);
                int rows = GuidedBlocks.start(t + 1, m, MR, 1, MC / MR, threads) - ic;
                for (int pc = 0; pc < k; pc += KC) {
                    int kc = Math.min(KC, k - pc);
                    GemmPacking.packA(transA, a, ao, lda, ic, rows, pc, kc, alpha, ws[0], 0);
                    macro(rows, nc, kc, ws[0], packB, (long) pc * ncPad, pc == 0 ? beta : 1f, c, co + ic * ldc + jcf, ldc, ws[1]);
                }
            });
        }
    }

    /** Columns [j0, j1) of one product, on the calling thread. */
    private static void item(boolean transA, boolean transB, int m, int n, int j0, int j1, int k, float alpha,
                             float[] a, int ao, int lda, float[] b, int bo, int ldb,
                             float beta, float[] c, int co, int ldc) {
        if (GemmSkinny.useFor(m, n)) {
            GemmSkinny.compute(transA, transB, m, j0, j1, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
            return;
        }
        float[][] ws = WORKSPACE.get();
        float[] packA = ws[0];
        float[] tmp = ws[1];
        int ncMax = Math.min(NC, roundUp(j1 - j0, NR));
        MemorySegment packB = PACKED_B.get().atLeast((long) ncMax * KC);
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            float b0 = pc == 0 ? beta : 1f;
            for (int jc = j0; jc < j1; jc += NC) {
                int nc = Math.min(NC, j1 - jc);
                GemmPacking.packB(transB, b, bo, ldb, pc, kc, jc, nc, packB, 0);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    GemmPacking.packA(transA, a, ao, lda, ic, mc, pc, kc, alpha, packA, 0);
                    macro(mc, nc, kc, packA, packB, 0, b0, c, co + ic * ldc + jc, ldc, tmp);
                }
            }
        }
    }

    /**
     * All MR x NR tiles of an mc x nc block of C from packed blocks: per {@link #NC_L2} columns,
     * each A micro-panel meets every B micro-panel (see the class note).
     */
    private static void macro(int mc, int nc, int kc, float[] packA, MemorySegment packB, long bBase, float beta,
                              float[] c, int cBase, int ldc, float[] tmp) {
        for (int j0 = 0; j0 < nc; j0 += NC_L2) {
            int j1 = Math.min(nc, j0 + NC_L2);
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int ai = ir * KC;
                for (int jr = j0; jr < j1; jr += NR) {
                    int nr = Math.min(NR, nc - jr);
                    long bi = bBase + (long) jr * kc;
                    int ci = cBase + ir * ldc + jr;
                    if (mr == MR && nr == NR) {
                        GemmKernel.tile(kc, packA, ai, packB, bi, c, ci, ldc, beta);
                    } else {
                        GemmKernel.tile(kc, packA, ai, packB, bi, tmp, 0, NR, 0f);
                        GemmKernel.merge(tmp, c, ci, ldc, mr, nr, beta);
                    }
                }
            }
        }
    }

    /** C = beta * C (C not read when beta == 0). */
    private static void scaleC(int m, int n, float beta, float[] c, int co, int ldc) {
        for (int i = 0; i < m; i++) {
            int row = co + i * ldc;
            if (beta == 0f) java.util.Arrays.fill(c, row, row + n, 0f);
            else if (beta != 1f) for (int j = 0; j < n; j++) c[row + j] *= beta;
        }
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    static int roundUp(int a, int b) {
        return ceilDiv(a, b) * b;
    }
}
