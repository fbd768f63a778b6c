package clp4j.engine.backend.vector;

import java.lang.foreign.MemorySegment;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The GEMM micro-kernel: an {@link #MR} x {@link #NR} block of C from packed panels of A and B,
 * held in MR x NR / L vector accumulators (register tiling) over the whole K block.
 *
 * <p>Packed layouts (see {@link GemmPacking}): the A micro-panel holds MR rows of op(A), row r at
 * {@code r * }{@link #KC_STRIDE}; the B micro-panel holds, for each p, NR consecutive values of
 * row p of op(B). alpha is folded into the packed A, so the kernel only merges with C. Each step
 * loads NR / L B vectors and broadcasts MR values of A straight from the packed panel (a
 * broadcast from memory is a load, not a shuffle), then issues MR x NR / L independent FMAs.
 * The constant row stride turns the MR broadcast addresses into one register plus constant
 * displacements, and lets A be packed by contiguous row copies.
 */
final class GemmKernel {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = Simd.L;
    /** Rows of C per micro-tile: 12 rows x 2 vectors = 24 accumulators, plus 2 B vectors and
     *  the broadcast A value, within the 32 vector registers of AVX-512 (zmm, or ymm with VL). */
    static final int MR = 12;
    /** Columns of C per micro-tile: 2 vectors. */
    static final int NR = 2 * L;
    /** Row stride of a packed A micro-panel: the K block size, a constant so the kernel's addresses fold. */
    static final int KC_STRIDE = 256;

    private GemmKernel() { }

    /**
     * C[0..MR, 0..NR] (at {@code c[ci]}, row stride ldc) = acc + beta * C, or = acc when beta == 0
     * (C not read), where acc is the product of an A and a B micro-panel over kc &lt;= KC_STRIDE;
     * the B micro-panel starts at float {@code bi} of {@code bp} (an {@link AlignedFloats} segment).
     */
    static void tile(int kc, float[] ap, int ai, MemorySegment bp, long bi, float[] c, int ci, int ldc, float beta) {
        FloatVector r0a = FloatVector.zero(F), r0b = FloatVector.zero(F);
        FloatVector r1a = FloatVector.zero(F), r1b = FloatVector.zero(F);
        FloatVector r2a = FloatVector.zero(F), r2b = FloatVector.zero(F);
        FloatVector r3a = FloatVector.zero(F), r3b = FloatVector.zero(F);
        FloatVector r4a = FloatVector.zero(F), r4b = FloatVector.zero(F);
        FloatVector r5a = FloatVector.zero(F), r5b = FloatVector.zero(F);
        FloatVector r6a = FloatVector.zero(F), r6b = FloatVector.zero(F);
        FloatVector r7a = FloatVector.zero(F), r7b = FloatVector.zero(F);
        FloatVector r8a = FloatVector.zero(F), r8b = FloatVector.zero(F);
        FloatVector r9a = FloatVector.zero(F), r9b = FloatVector.zero(F);
        FloatVector r10a = FloatVector.zero(F), r10b = FloatVector.zero(F);
        FloatVector r11a = FloatVector.zero(F), r11b = FloatVector.zero(F);
        FloatVector b0, b1, av;
        // not unrolled: unrolled by two, C2 spilled B vectors to the stack (seen in the compiled
        // code); rolled it keeps all 27 vectors in registers with 9 scalar instructions per 24 FMAs
        for (int p = 0; p < kc; p++) {
            long b = (bi + p * NR) * Float.BYTES;
            int a = ai + p;
            b0 = FloatVector.fromMemorySegment(F, bp, b, AlignedFloats.ORDER);
            b1 = FloatVector.fromMemorySegment(F, bp, b + L * Float.BYTES, AlignedFloats.ORDER);
            av = FloatVector.broadcast(F, ap[a]);
            r0a = av.fma(b0, r0a); r0b = av.fma(b1, r0b);
            av = FloatVector.broadcast(F, ap[a + 1 * KC_STRIDE]);
            r1a = av.fma(b0, r1a); r1b = av.fma(b1, r1b);
            av = FloatVector.broadcast(F, ap[a + 2 * KC_STRIDE]);
            r2a = av.fma(b0, r2a); r2b = av.fma(b1, r2b);
            av = FloatVector.broadcast(F, ap[a + 3 * KC_STRIDE]);
            r3a = av.fma(b0, r3a); r3b = av.fma(b1, r3b);
            av = FloatVector.broadcast(F, ap[a + 4 * KC_STRIDE]);
            r4a = av.fma(b0, r4a); r4b = av.fma(b1, r4b);
            av = FloatVector.broadcast(F, ap[a + 5 * KC_STRIDE]);
            r5a = av.fma(b0, r5a); r5b = av.fma(b1, r5b);
            av = FloatVector.broadcast(F, ap[a + 6 * KC_STRIDE]);
            r6a = av.fma(b0, r6a); r6b = av.fma(b1, r6b);
            av = FloatVector.broadcast(F, ap[a + 7 * KC_STRIDE]);
            r7a = av.fma(b0, r7a); r7b = av.fma(b1, r7b);
            av = FloatVector.broadcast(F, ap[a + 8 * KC_STRIDE]);
            r8a = av.fma(b0, r8a); r8b = av.fma(b1, r8b);
            av = FloatVector.broadcast(F, ap[a + 9 * KC_STRIDE]);
            r9a = av.fma(b0, r9a); r9b = av.fma(b1, r9b);
            av = FloatVector.broadcast(F, ap[a + 10 * KC_STRIDE]);
            r10a = av.fma(b0, r10a); r10b = av.fma(b1, r10b);
            av = FloatVector.broadcast(F, ap[a + 11 * KC_STRIDE]);
            r11a = av.fma(b0, r11a); r11b = av.fma(b1, r11b);
        }
        if (beta == 0f) {
            r0a.intoArray(c, ci); r0b.intoArray(c, ci + L);
            r1a.intoArray(c, ci + ldc); r1b.intoArray(c, ci + ldc + L);
            r2a.intoArray(c, ci + 2 * ldc); r2b.intoArray(c, ci + 2 * ldc + L);
            r3a.intoArray(c, ci + 3 * ldc); r3b.intoArray(c, ci + 3 * ldc + L);
            r4a.intoArray(c, ci + 4 * ldc); r4b.intoArray(c, ci + 4 * ldc + L);
            r5a.intoArray(c, ci + 5 * ldc); r5b.intoArray(c, ci + 5 * ldc + L);
            r6a.intoArray(c, ci + 6 * ldc); r6b.intoArray(c, ci + 6 * ldc + L);
            r7a.intoArray(c, ci + 7 * ldc); r7b.intoArray(c, ci + 7 * ldc + L);
            r8a.intoArray(c, ci + 8 * ldc); r8b.intoArray(c, ci + 8 * ldc + L);
            r9a.intoArray(c, ci + 9 * ldc); r9b.intoArray(c, ci + 9 * ldc + L);
            r10a.intoArray(c, ci + 10 * ldc); r10b.intoArray(c, ci + 10 * ldc + L);
            r11a.intoArray(c, ci + 11 * ldc); r11b.intoArray(c, ci + 11 * ldc + L);
        } else {
            FloatVector bv = FloatVector.broadcast(F, beta);
            FloatVector.fromArray(F, c, ci).fma(bv, r0a).intoArray(c, ci);
            FloatVector.fromArray(F, c, ci + L).fma(bv, r0b).intoArray(c, ci + L);
            FloatVector.fromArray(F, c, ci + ldc).fma(bv, r1a).intoArray(c, ci + ldc);
            FloatVector.fromArray(F, c, ci + ldc + L).fma(bv, r1b).intoArray(c, ci + ldc + L);
            FloatVector.fromArray(F, c, ci + 2 * ldc).fma(bv, r2a).intoArray(c, ci + 2 * ldc);
            FloatVector.fromArray(F, c, ci + 2 * ldc + L).fma(bv, r2b).intoArray(c, ci + 2 * ldc + L);
            FloatVector.fromArray(F, c, ci + 3 * ldc).fma(bv, r3a).intoArray(c, ci + 3 * ldc);
            FloatVector.fromArray(F, c, ci + 3 * ldc + L).fma(bv, r3b).intoArray(c, ci + 3 * ldc + L);
            FloatVector.fromArray(F, c, ci + 4 * ldc).fma(bv, r4a).intoArray(c, ci + 4 * ldc);
            FloatVector.fromArray(F, c, ci + 4 * ldc + L).fma(bv, r4b).intoArray(c, ci + 4 * ldc + L);
            FloatVector.fromArray(F, c, ci + 5 * ldc).fma(bv, r5a).intoArray(c, ci + 5 * ldc);
            FloatVector.fromArray(F, c, ci + 5 * ldc + L).fma(bv, r5b).intoArray(c, ci + 5 * ldc + L);
            FloatVector.fromArray(F, c, ci + 6 * ldc).fma(bv, r6a).intoArray(c, ci + 6 * ldc);
            FloatVector.fromArray(F, c, ci + 6 * ldc + L).fma(bv, r6b).intoArray(c, ci + 6 * ldc + L);
            FloatVector.fromArray(F, c, ci + 7 * ldc).fma(bv, r7a).intoArray(c, ci + 7 * ldc);
            FloatVector.fromArray(F, c, ci + 7 * ldc + L).fma(bv, r7b).intoArray(c, ci + 7 * ldc + L);
            FloatVector.fromArray(F, c, ci + 8 * ldc).fma(bv, r8a).intoArray(c, ci + 8 * ldc);
            FloatVector.fromArray(F, c, ci + 8 * ldc + L).fma(bv, r8b).intoArray(c, ci + 8 * ldc + L);
            FloatVector.fromArray(F, c, ci + 9 * ldc).fma(bv, r9a).intoArray(c, ci + 9 * ldc);
            FloatVector.fromArray(F, c, ci + 9 * ldc + L).fma(bv, r9b).intoArray(c, ci + 9 * ldc + L);
            FloatVector.fromArray(F, c, ci + 10 * ldc).fma(bv, r10a).intoArray(c, ci + 10 * ldc);
            FloatVector.fromArray(F, c, ci + 10 * ldc + L).fma(bv, r10b).intoArray(c, ci + 10 * ldc + L);
            FloatVector.fromArray(F, c, ci + 11 * ldc).fma(bv, r11a).intoArray(c, ci + 11 * ldc);
            FloatVector.fromArray(F, c, ci + 11 * ldc + L).fma(bv, r11b).intoArray(c, ci + 11 * ldc + L);
        }
    }

    /** C[0..mr, 0..nr] = T + beta * C (C not read when beta == 0), T an MR x NR tile written by {@link #tile}. */
    static void merge(float[] t, float[] c, int ci, int ldc, int mr, int nr, float beta) {
        for (int r = 0; r < mr; r++) {
            int row = ci + r * ldc;
            for (int j = 0; j < nr; j++) {
                float v = t[r * NR + j];
                c[row + j] = beta == 0f ? v : v + beta * c[row + j];
            }
        }
    }
}
