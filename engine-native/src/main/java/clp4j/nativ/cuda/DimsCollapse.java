package clp4j.nativ.cuda;

import java.util.Arrays;

/**
 * Shrinks a (dims, strides) description of how a kernel walks an operand to the fewest axes:
 * axes of size 1 are dropped and neighbours merged when the outer stride equals the inner stride
 * times the inner size (true for contiguous runs and for runs of broadcast axes, stride 0). The
 * kernels' {@code Dims} hold at most 8 axes; any tensor collapses to far fewer in practice.
 */
public final class DimsCollapse {
    private DimsCollapse() { }

    /** Returns {dims, strides} after collapsing; the row-major walk over them visits the same offsets. */
    public static long[][] collapse(long[] dims, long[] strides) {
        long[] d = new long[dims.length], s = new long[dims.length];
        int n = 0;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == 1) continue;
            if (n > 0 && s[n - 1] == strides[i] * dims[i]) {
                d[n - 1] *= dims[i];
                s[n - 1] = strides[i];
            } else {
                d[n] = dims[i];
                s[n] = strides[i];
                n++;
            }
        }
        long[][] out = {Arrays.copyOf(d, n), Arrays.copyOf(s, n)};
        if (n > LaunchArgs.MAX_RANK) {
            throw new IllegalArgumentException("a walk over dims " + Arrays.toString(dims) + " with strides "
                    + Arrays.toString(strides) + " needs " + n + " axes after collapsing; the CUDA kernels take at most "
                    + LaunchArgs.MAX_RANK + " (reshape the tensors to fewer axes)");
        }
        return out;
    }

    /** The offset the kernels' dims_offset computes for row-major index i (for tests). */
    public static long offset(long[] dims, long[] strides, long i) {
        long off = 0;
        for (int a = dims.length - 1; a >= 0; a--) {
            off += (i % dims[a]) * strides[a];
            i /= dims[a];
        }
        return off;
    }

    static long[] toLong(int[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i];
        return out;
    }

    /** Row-major element strides of a contiguous shape. */
    static long[] contiguousStrides(int[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
        return s;
    }
}
