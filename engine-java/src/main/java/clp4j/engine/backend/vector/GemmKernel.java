package clp4j.engine.backend.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The GEMM micro-kernel: an {@link #MR} x {@link #NR} block of C from packed panels of A and B,
 * held in 2 x MR vector accumulators (register tiling) over the whole K block.
 *
 * <p>Packed layouts (see {@link GemmPacking}): the A micro-panel holds, for each p &lt; kc, MR
 * consecutive values of column p of op(A); the B micro-panel holds, for each p, NR consecutive
 * values of row p of op(B). alpha is folded into the packed A, so the kernel only merges with C.
 */
final class GemmKernel {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = Simd.L;
    /** Rows of C per micro-tile: 8 rows x 2 vectors = 16 accumulators, which leaves registers for
     *  B and the broadcast A value on AVX-512 (32 registers) and AVX-512VL ymm. */
    static final int MR = 8;
    /** Columns of C per micro-tile: two vectors. */
    static final int NR = 2 * L;

    private GemmKernel() { }

    /**
     * C[0..MR, 0..NR] (at {@code c[ci]}, row stride ldc) = acc + beta * C, or = acc when beta == 0
     * (C not read), where acc is the product of an A and a B micro-panel over kc.
     */
    static void tile(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc, float beta) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        FloatVector c60 = FloatVector.zero(F), c61 = FloatVector.zero(F);
        FloatVector c70 = FloatVector.zero(F), c71 = FloatVector.zero(F);
        // unrolled by two (half the loop overhead; the gain was within this machine's noise)
        int p = 0;
        for (; p + 1 < kc; p += 2) {
            int b = bi + p * NR;
            int a = ai + p * MR;
            FloatVector b0 = FloatVector.fromArray(F, bp, b);
            FloatVector b1 = FloatVector.fromArray(F, bp, b + L);
            FloatVector av = FloatVector.broadcast(F, ap[a]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(F, ap[a + 1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(F, ap[a + 2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(F, ap[a + 3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(F, ap[a + 4]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(F, ap[a + 5]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(F, ap[a + 6]);
            c60 = av.fma(b0, c60); c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(F, ap[a + 7]);
            c70 = av.fma(b0, c70); c71 = av.fma(b1, c71);
            b += NR;
            a += MR;
            b0 = FloatVector.fromArray(F, bp, b);
            b1 = FloatVector.fromArray(F, bp, b + L);
            av = FloatVector.broadcast(F, ap[a]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(F, ap[a + 1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(F, ap[a + 2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(F, ap[a + 3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(F, ap[a + 4]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(F, ap[a + 5]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(F, ap[a + 6]);
            c60 = av.fma(b0, c60); c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(F, ap[a + 7]);
            c70 = av.fma(b0, c70); c71 = av.fma(b1, c71);
        }
        for (; p < kc; p++) {
            int b = bi + p * NR;
            int a = ai + p * MR;
            FloatVector b0 = FloatVector.fromArray(F, bp, b);
            FloatVector b1 = FloatVector.fromArray(F, bp, b + L);
            FloatVector av = FloatVector.broadcast(F, ap[a]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(F, ap[a + 1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(F, ap[a + 2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(F, ap[a + 3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(F, ap[a + 4]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(F, ap[a + 5]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(F, ap[a + 6]);
            c60 = av.fma(b0, c60); c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(F, ap[a + 7]);
            c70 = av.fma(b0, c70); c71 = av.fma(b1, c71);
        }
        // written out in full: a helper taking the accumulators as arguments may not be inlined in
        // a method this large (the vectors would then be boxed), and a separate merge pass inlined
        // into the caller ran about a third slower
        if (beta == 0f) {
            c00.intoArray(c, ci); c01.intoArray(c, ci + L);
            c10.intoArray(c, ci + ldc); c11.intoArray(c, ci + ldc + L);
            c20.intoArray(c, ci + 2 * ldc); c21.intoArray(c, ci + 2 * ldc + L);
            c30.intoArray(c, ci + 3 * ldc); c31.intoArray(c, ci + 3 * ldc + L);
            c40.intoArray(c, ci + 4 * ldc); c41.intoArray(c, ci + 4 * ldc + L);
            c50.intoArray(c, ci + 5 * ldc); c51.intoArray(c, ci + 5 * ldc + L);
            c60.intoArray(c, ci + 6 * ldc); c61.intoArray(c, ci + 6 * ldc + L);
            c70.intoArray(c, ci + 7 * ldc); c71.intoArray(c, ci + 7 * ldc + L);
        } else {
            FloatVector bv = FloatVector.broadcast(F, beta);
            FloatVector.fromArray(F, c, ci).fma(bv, c00).intoArray(c, ci);
            FloatVector.fromArray(F, c, ci + L).fma(bv, c01).intoArray(c, ci + L);
            FloatVector.fromArray(F, c, ci + ldc).fma(bv, c10).intoArray(c, ci + ldc);
            FloatVector.fromArray(F, c, ci + ldc + L).fma(bv, c11).intoArray(c, ci + ldc + L);
            FloatVector.fromArray(F, c, ci + 2 * ldc).fma(bv, c20).intoArray(c, ci + 2 * ldc);
            FloatVector.fromArray(F, c, ci + 2 * ldc + L).fma(bv, c21).intoArray(c, ci + 2 * ldc + L);
            FloatVector.fromArray(F, c, ci + 3 * ldc).fma(bv, c30).intoArray(c, ci + 3 * ldc);
            FloatVector.fromArray(F, c, ci + 3 * ldc + L).fma(bv, c31).intoArray(c, ci + 3 * ldc + L);
            FloatVector.fromArray(F, c, ci + 4 * ldc).fma(bv, c40).intoArray(c, ci + 4 * ldc);
            FloatVector.fromArray(F, c, ci + 4 * ldc + L).fma(bv, c41).intoArray(c, ci + 4 * ldc + L);
            FloatVector.fromArray(F, c, ci + 5 * ldc).fma(bv, c50).intoArray(c, ci + 5 * ldc);
            FloatVector.fromArray(F, c, ci + 5 * ldc + L).fma(bv, c51).intoArray(c, ci + 5 * ldc + L);
            FloatVector.fromArray(F, c, ci + 6 * ldc).fma(bv, c60).intoArray(c, ci + 6 * ldc);
            FloatVector.fromArray(F, c, ci + 6 * ldc + L).fma(bv, c61).intoArray(c, ci + 6 * ldc + L);
            FloatVector.fromArray(F, c, ci + 7 * ldc).fma(bv, c70).intoArray(c, ci + 7 * ldc);
            FloatVector.fromArray(F, c, ci + 7 * ldc + L).fma(bv, c71).intoArray(c, ci + 7 * ldc + L);
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
