package clp4j.engine.backend;

import java.util.Arrays;

/**
 * NumPy-style broadcasting of a second operand {@code b} onto a shape {@code a} (see
 * {@link Backend#binary}): b's rank is at most a's, and each of b's dimensions, aligned from the
 * right, equals a's or is 1.
 */
public final class Broadcast {
    private Broadcast() { }

    /**
     * For every axis of {@code a}, the element stride of {@code b} along it (0 where b is broadcast).
     *
     * @throws IllegalArgumentException naming both shapes and {@code what} when b does not broadcast onto a
     */
    public static long[] strides(int[] a, int[] b, String what) {
        if (b.length > a.length) throw mismatch(a, b, what);
        long[] strides = new long[a.length];
        long stride = 1;
        for (int i = 1; i <= b.length; i++) {
            int da = a[a.length - i];
            int db = b[b.length - i];
            if (db != da && db != 1) throw mismatch(a, b, what);
            strides[a.length - i] = db == 1 ? 0 : stride;
            stride *= db;
        }
        return strides;
    }

    /** True when b broadcasts onto a. */
    public static boolean broadcasts(int[] a, int[] b) {
        if (b.length > a.length) return false;
        for (int i = 1; i <= b.length; i++) {
            int db = b[b.length - i];
            if (db != a[a.length - i] && db != 1) return false;
        }
        return true;
    }

    /** The index into b of a's element at flat (row-major) index {@code flat}. */
    public static long index(int[] a, long[] strides, long flat) {
        long idx = 0;
        for (int d = a.length - 1; d >= 0; d--) {
            int n = a[d];
            long coord = flat % n;
            flat /= n;
            idx += coord * strides[d];
        }
        return idx;
    }

    private static IllegalArgumentException mismatch(int[] a, int[] b, String what) {
        return new IllegalArgumentException(what + ": shape " + Arrays.toString(b) + " does not broadcast onto "
                + Arrays.toString(a) + " (aligned from the right, each dimension must be equal or 1)");
    }
}
