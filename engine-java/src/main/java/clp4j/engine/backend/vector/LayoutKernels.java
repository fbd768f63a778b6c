package clp4j.engine.backend.vector;

/** Data movement: axis permutation (a copy) over a range of output rows. */
public final class LayoutKernels {

    private LayoutKernels() { }

    /**
     * Writes output rows [from, to) of x permuted by perm (out.shape[i] = shape[perm[i]]); a row is
     * one index of all output axes but the last. When the last axis stays last, rows are copied
     * whole; otherwise the row is gathered with the input stride of that axis.
     */
    public static void permuteRows(float[] x, int xo, int[] shape, int[] perm, float[] out, int oo, int from, int to) {
        int r = shape.length;
        long[] inStride = new long[r];
        long s = 1;
        for (int i = r - 1; i >= 0; i--) {
            inStride[i] = s;
            s *= shape[i];
        }
        int last = shape[perm[r - 1]];
        long lastStride = inStride[perm[r - 1]];
        int[] idx = new int[r - 1];
        // decompose the first row index into output coordinates
        int rem = from;
        for (int i = r - 2; i >= 0; i--) {
            int d = shape[perm[i]];
            idx[i] = rem % d;
            rem /= d;
        }
        for (int row = from; row < to; row++) {
            long src = xo;
            for (int i = 0; i < r - 1; i++) src += idx[i] * inStride[perm[i]];
            int dst = oo + row * last;
            if (lastStride == 1) {
                System.arraycopy(x, (int) src, out, dst, last);
            } else {
                for (int j = 0; j < last; j++) out[dst + j] = x[(int) (src + j * lastStride)];
            }
            for (int i = r - 2; i >= 0; i--) {
                if (++idx[i] < shape[perm[i]]) break;
                idx[i] = 0;
            }
        }
    }
}
