package clp4j.nativ.cuda;

import clp4j.engine.backend.Checks;
import clp4j.engine.backend.OpChecks;
import clp4j.engine.tensor.Tensor;

import static clp4j.nativ.cuda.CudaStorage.ptr;

/**
 * The CLP mixing op and its backward (paper Algorithm 2 and A.3) as one pass over memory for up to
 * 8 replicas at a time, with 16-byte loads when every operand is 16-byte aligned.
 */
final class CudaMix {
    private final KernelQueue d;

    CudaMix(KernelQueue d) { this.d = d; }

    void mix(Tensor[] xs, float[] w, float beta, Tensor ref, Tensor out) {
        OpChecks.mix("mix", xs, w, out);
        if (ref != null) Checks.sameNumel("mix (ref, out)", ref, out);
        int m = xs.length;
        long[] ptrs = new long[m];
        float[] coef = new float[m];
        for (int i = 0; i < m; i++) {
            ptrs[i] = ptr(xs[i]);
            coef[i] = (float) ((1.0 - beta) * w[i]);
        }
        long n = out.numel();
        long o = ptr(out), r = CudaStorage.ptrOrNull(ref);
        for (int from = 0; from < m; from += LaunchArgs.MIX_MAX_M) {
            int count = Math.min(LaunchArgs.MIX_MAX_M, m - from);
            boolean first = from == 0;
            forward(o, ptrs, coef, from, count, first ? r : 0, beta, n, first ? 0 : 1);
        }
    }

    /** out = (accumulate ? out : 0) + sum c_j x_j (+ cRef ref): the aligned body with float4, the tail scalar. */
    private void forward(long out, long[] ptrs, float[] coef, int from, int m, long ref, float cRef, long n, int accumulate) {
        long body = aligned(out, ptrs, from, m, ref) ? n / 4 * 4 : 0;
        if (body > 0) {
            d.args().begin().ptr(out).mix(ptrs, coef, from, m).i32(m).ptr(ref).f32(cRef).i64(body / 4).i32(accumulate);
            d.launchElements("clp_mix_vec4", body / 4);
        }
        if (n > body) {
            long skip = body * Float.BYTES;
            long[] tail = shifted(ptrs, from, m, skip);
            d.args().begin().ptr(out + skip).mix(tail, coef, from, m).i32(m).ptr(ref == 0 ? 0 : ref + skip).f32(cRef)
                    .i64(n - body).i32(accumulate);
            d.launchElements("clp_mix", n - body);
        }
    }

    /** Null entries of {@code gxs} (replicas that need no gradient) are skipped, as in the reference. */
    void mixBackward(Tensor gOut, float[] w, float beta, Tensor[] gxs) {
        OpChecks.mix("mixBackward", gxs, w, gOut);
        int m = 0;
        long[] ptrs = new long[gxs.length];
        float[] coef = new float[gxs.length];
        for (int i = 0; i < gxs.length; i++) {
            if (gxs[i] == null) continue;
            ptrs[m] = ptr(gxs[i]);
            coef[m++] = (float) ((1.0 - beta) * w[i]);
        }
        long g = ptr(gOut), n = gOut.numel();
        for (int from = 0; from < m; from += LaunchArgs.MIX_MAX_M) {
            int count = Math.min(LaunchArgs.MIX_MAX_M, m - from);
            long body = aligned(g, ptrs, from, count, 0) ? n / 4 * 4 : 0;
            if (body > 0) {
                d.args().begin().mix(ptrs, coef, from, count).i32(count).ptr(g).i64(body / 4);
                d.launchElements("clp_mix_backward_vec4", body / 4);
            }
            if (n > body) {
                long skip = body * Float.BYTES;
                d.args().begin().mix(shifted(ptrs, from, count, skip), coef, from, count).i32(count).ptr(g + skip).i64(n - body);
                d.launchElements("clp_mix_backward", n - body);
            }
        }
    }

    private static boolean aligned(long out, long[] ptrs, int from, int m, long ref) {
        long bits = out | ref;
        for (int j = from; j < from + m; j++) bits |= ptrs[j];
        return (bits & 15) == 0;
    }

    private static long[] shifted(long[] ptrs, int from, int m, long bytes) {
        long[] s = ptrs.clone();
        for (int j = from; j < from + m; j++) s[j] += bytes;
        return s;
    }
}
