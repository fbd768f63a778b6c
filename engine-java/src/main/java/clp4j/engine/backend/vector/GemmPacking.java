package clp4j.engine.backend.vector;

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
        if (trans) {
            // row r of op(A) is column r of the stored matrix: L of its values per gather (stride lda),
            // L values of p at a time for every row, so the L cache lines gathered from serve all rows
            int[] down = strided(lda);
            int bound = F.loopBound(kc);
            for (int p = 0; p < bound; p += L) {
                int src = base + (p0 + p) * lda + i0;
                for (int r = 0; r < rows; r++) {
                    FloatVector.fromArray(F, a, src + r, down, 0).mul(alpha).intoArray(dst, dstOff + r * KS + p);
                }
            }
            for (int p = bound; p < kc; p++) {
                int src = base + (p0 + p) * lda + i0;
                for (int r = 0; r < rows; r++) dst[dstOff + r * KS + p] = alpha * a[src + r];
            }
        } else {
            int bound = F.loopBound(kc);
            for (int r = 0; r < rows; r++) {
                int src = base + (i0 + r) * lda + p0;
                int d = dstOff + r * KS;
                int p = 0;
                for (; p < bound; p += L) FloatVector.fromArray(F, a, src + p).mul(alpha).intoArray(dst, d + p);
                for (; p < kc; p++) dst[d + p] = alpha * a[src + p];
            }
        }
        for (int r = rows; r < padded; r++) java.util.Arrays.fill(dst, dstOff + r * KS, dstOff + r * KS + kc, 0f);
    }

    /**
     * Packs op(B)[p0 .. p0+kc, j0 .. j0+cols] into {@code dst[dstOff ..]} as ceil(cols/NR)
     * micro-panels of kc x NR (each: kc groups of NR values). op(B)(p, j) is
     * {@code b[base + p*ldb + j]}, or {@code b[base + j*ldb + p]} when transposed.
     */
    static void packB(boolean trans, float[] b, int base, int ldb, int p0, int kc, int j0, int cols,
                      float[] dst, int dstOff) {
        for (int jr = 0; jr < cols; jr += NR) {
            int nr = Math.min(NR, cols - jr);
            int d = dstOff + jr * kc;
            if (trans && nr == NR) {
                // op(B) row p of the panel is column p of NR stored rows: NR / L gathers with stride ldb
                int[] rowsAt = strided(ldb);
                int src = base + (j0 + jr) * ldb + p0;
                for (int v = 0; v < NR; v += L) {
                    int sv = src + v * ldb;
                    for (int p = 0; p < kc; p++) {
                        FloatVector.fromArray(F, b, sv + p, rowsAt, 0).intoArray(dst, d + p * NR + v);
                    }
                }
            } else if (trans) {
                for (int p = 0; p < kc; p++) {
                    int o = d + p * NR;
                    for (int j = 0; j < nr; j++) dst[o + j] = b[base + (j0 + jr + j) * ldb + p0 + p];
                    for (int j = nr; j < NR; j++) dst[o + j] = 0f;
                }
            } else if (nr == NR) {
                for (int p = 0; p < kc; p++) {
                    int src = base + (p0 + p) * ldb + j0 + jr;
                    int o = d + p * NR;
                    for (int v = 0; v < NR; v += L) FloatVector.fromArray(F, b, src + v).intoArray(dst, o + v);
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = base + (p0 + p) * ldb + j0 + jr;
                    int o = d + p * NR;
                    for (int j = 0; j < nr; j++) dst[o + j] = b[src + j];
                    for (int j = nr; j < NR; j++) dst[o + j] = 0f;
                }
            }
        }
    }
}
