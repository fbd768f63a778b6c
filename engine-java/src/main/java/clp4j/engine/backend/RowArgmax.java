package clp4j.engine.backend;

import clp4j.engine.tensor.Tensor;

/** {@link Backend#argmaxLast} on the host: the scalar rule every backend follows, and the default's read-back. */
public final class RowArgmax {
    /** Per thread: the host copy of the default's input, grown to the largest seen (no allocation per call). */
    private static final ThreadLocal<float[]> HOST = ThreadLocal.withInitial(() -> new float[0]);

    private RowArgmax() { }

    /** The first index of the largest of x[off .. off + n), or of the first NaN (as torch.argmax). */
    public static int first(float[] x, int off, int n) {
        int best = 0;
        float bv = x[off];
        if (bv != bv) return 0;
        for (int j = 1; j < n; j++) {
            float v = x[off + j];
            if (v != v) return j;
            if (v > bv) {
                bv = v;
                best = j;
            }
        }
        return best;
    }

    /** out[r] = {@link #first} of row r of the n-wide rows stored from x[off]. */
    public static void rows(float[] x, int off, int n, int[] out) {
        for (int r = 0; r < out.length; r++) out[r] = first(x, off + r * n, n);
    }

    /** out must hold one index per row of x, and x's rows must not be empty. */
    public static void check(Tensor x, int[] out) {
        Checks.require(x.rank() >= 1 && x.dim(-1) > 0, "argmaxLast: x " + java.util.Arrays.toString(x.shape())
                + " has no elements along its last axis");
        Checks.require(out.length == x.rows(), "argmaxLast: " + out.length + " indices for the " + x.rows() + " rows of "
                + java.util.Arrays.toString(x.shape()));
    }

    /** The default: x copied to the host, then {@link #first} per row. */
    static void viaHost(Backend backend, Tensor x, int[] out) {
        check(x, out);
        float[] host = HOST.get();
        if (host.length < x.size()) {
            host = new float[x.size()];
            HOST.set(host);
        }
        backend.copyToHost(x, host);
        rows(host, 0, x.dim(-1), out);
    }
}
