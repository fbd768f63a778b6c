package clp4j.engine.backend.vector;

import java.lang.foreign.MemorySegment;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies blocks of op(A) and op(B) into the contiguous micro-panel layouts the
 * {@link GemmKernel} streams through, so that the kernel reads memory in order whatever the
 * transposes and leading dimensions are. Rows or columns past the matrix edge are zero-padded.
 */
final class GemmPacking {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = Simd.L;
    private static final int MR = GemmKernel.MR;
    private static final int NR = GemmKernel.NR;
    private static final int KS = GemmKernel.KC_STRIDE;

    private static final ThreadLocal<int[]> STRIDED = ThreadLocal.withInitial(() -> new int[L + 1]);

    private GemmPacking() { }

    /** Lane offsets 0, ld, 2 ld, ... for gathers down a column (cached per thread; the last slot keeps ld). */
    private static int[] strided(int ld) {
        int[] idx = STRIDED.get();
        if (idx[L] != ld || idx[1] != ld) {
            for (int i = 0; i < L; i++) idx[i] = i * ld;
            idx[L] = ld;
        }
        return idx;
    }

    /**
     * Packs alpha * op(A)[i0 .. i0+rows, p0 .. p0+kc] into {@code dst[dstOff ..]} as rows of
     * stride {@link GemmKernel#KC_STRIDE} (row r at {@code dstOff + r * KC_STRIDE}), zero rows
     * appended up to a multiple of MR; micro-panel ir starts at {@code dstOff + ir * KC_STRIDE}.
     * op(A)(i, p) is {@code a[base + i*lda + p]}, or {@code a[base + p*lda + i]} when transposed.
     */
    static void packA(boolean trans, float[] a, int base, int lda, int i0, int rows, int p0, int kc,
                      float alpha, float[] dst, int dstOff) {
        int padded = (rows + MR - 1) / MR * MR;
        // one method per layout, for the reason given in packB
        if (trans) packColumnsA(a, base + p0 * lda + i0, lda, rows, kc, alpha, dst, dstOff);
        else packRowsA(a, base + i0 * lda + p0, lda, rows, kc, alpha, dst, dstOff);
        for (int r = rows; r < padded; r++) java.util.Arrays.fill(dst, dstOff + r * KS, dstOff + r * KS + kc, 0f);
    }

    /**
     * Rows of op(A) that are columns of the stored matrix (src: element (p, r) at src + p*lda + r):
     * L values of p per gather (stride lda), L values of p at a time for every row, so the L cache
     * lines gathered from serve all rows.
     */
    private static void packColumnsA(float[] a, int src, int lda, int rows, int kc, float alpha, float[] dst, int d) {
        int[] down = strided(lda);
        int bound = F.loopBound(kc);
        for (int p = 0; p < bound; p += L) {
            int s = src + p * lda;
            for (int r = 0; r < rows; r++) {
                FloatVector.fromArray(F, a, s + r, down, 0).mul(alpha).intoArray(dst, d + r * KS + p);
            }
        }
        for (int p = bound; p < kc; p++) {
            int s = src + p * lda;
            for (int r = 0; r < rows; r++) dst[d + r * KS + p] = alpha * a[s + r];
        }
    }

    /** Rows of op(A) that are rows of the stored matrix (src: element (r, p) at src + r*lda + p): contiguous copies. */
    private static void packRowsA(float[] a, int src, int lda, int rows, int kc, float alpha, float[] dst, int d) {
        int bound = F.loopBound(kc);
        for (int r = 0; r < rows; r++) {
            int s = src + r * lda;
            int o = d + r * KS;
            int p = 0;
            for (; p < bound; p += L) FloatVector.fromArray(F, a, s + p).mul(alpha).intoArray(dst, o + p);
            for (; p < kc; p++) dst[o + p] = alpha * a[s + p];
        }
    }

    /**
     * Packs op(B)[p0 .. p0+kc, j0 .. j0+cols] into floats {@code dstOff ..} of {@code dst} (an
     * {@link AlignedFloats} segment) as ceil(cols/NR) micro-panels of kc x NR (each: kc groups of
     * NR values). op(B)(p, j) is {@code b[base + p*ldb + j]}, or {@code b[base + j*ldb + p]} when transposed.
     */
    static void packB(boolean trans, float[] b, int base, int ldb, int p0, int kc, int j0, int cols,
                      MemorySegment dst, long dstOff) {
        // one method per layout: with all of them in one method, inlined into a caller where both
        // layouts had run, C2 compiled the transposed (gather) case to 4 ns per float instead of
        // 0.7 (scratch timing; within the engine the split measured neutral, it keeps each small)
        for (int jr = 0; jr < cols; jr += NR) {
            int nr = Math.min(NR, cols - jr);
            long d = dstOff + (long) jr * kc;
            if (trans && nr == NR) packColumnsPanel(b, base + (j0 + jr) * ldb + p0, ldb, kc, dst, d);
            else if (nr == NR) packRowsPanel(b, base + p0 * ldb + j0 + jr, ldb, kc, dst, d);
            else packEdgePanel(trans, b, base, ldb, p0, kc, j0 + jr, nr, dst, d);
        }
    }

    /** A full B micro-panel from NR stored rows (op(B) transposed): row p of the panel is column p of those rows, NR / L gathers. */
    private static void packColumnsPanel(float[] b, int src, int ldb, int kc, MemorySegment dst, long d) {
        int[] rowsAt = strided(ldb);
        for (int v = 0; v < NR; v += L) {
            int sv = src + v * ldb;
            for (int p = 0; p < kc; p++) {
                FloatVector.fromArray(F, b, sv + p, rowsAt, 0)
                        .intoMemorySegment(dst, (d + p * NR + v) * Float.BYTES, AlignedFloats.ORDER);
            }
        }
    }

    /** A full B micro-panel from kc stored rows of op(B): NR / L vector copies per row. */
    private static void packRowsPanel(float[] b, int src, int ldb, int kc, MemorySegment dst, long d) {
        for (int p = 0; p < kc; p++) {
            int s = src + p * ldb;
            long o = (d + p * NR) * Float.BYTES;
            for (int v = 0; v < NR; v += L) {
                FloatVector.fromArray(F, b, s + v).intoMemorySegment(dst, o + v * Float.BYTES, AlignedFloats.ORDER);
            }
        }
    }

    /** The last, partial B micro-panel (nr &lt; NR columns), zero-padded to NR. */
    private static void packEdgePanel(boolean trans, float[] b, int base, int ldb, int p0, int kc, int j, int nr,
                                      MemorySegment dst, long d) {
        for (int p = 0; p < kc; p++) {
            long o = d + (long) p * NR;
            for (int q = 0; q < nr; q++) {
                AlignedFloats.set(dst, o + q, trans ? b[base + (j + q) * ldb + p0 + p] : b[base + (p0 + p) * ldb + j + q]);
            }
            for (int q = nr; q < NR; q++) AlignedFloats.set(dst, o + q, 0f);
        }
    }
}
