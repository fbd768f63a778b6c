package clp4j.engine.backend.vector;

import java.util.Arrays;

/**
 * Where NumPy-style broadcasting of a shape {@code b} onto a larger shape {@code a} puts each of
 * a's rows (a row: one index of all of a's axes but the last). b's axes align with a's from the
 * right and each equals a's or is 1. Kernels then treat each row as a vector op against either a
 * whole row of b ({@link #lastFull()}) or one value of b.
 */
public final class BroadcastIndex {
    private final int[] lead;        // a's leading dims
    private final long[] bStride;    // b's element stride per leading dim of a (0 where broadcast)
    private final boolean lastFull;
    private final boolean identity;

    public BroadcastIndex(int[] a, int[] b, String what) {
        if (b.length > a.length) throw mismatch(a, b, what);
        int ra = a.length, rb = b.length;
        long[] strideOfB = new long[rb];
        long s = 1;
        for (int i = rb - 1; i >= 0; i--) {
            strideOfB[i] = s;
            s *= b[i];
        }
        for (int i = 0; i < rb; i++) {
            int ai = a[ra - rb + i];
            if (b[i] != ai && b[i] != 1) throw mismatch(a, b, what);
        }
        int aLast = ra == 0 ? 1 : a[ra - 1];
        int bLast = rb == 0 ? 1 : b[rb - 1];
        lastFull = bLast == aLast;
        int nLead = Math.max(ra - 1, 0);
        lead = Arrays.copyOf(a, nLead);
        bStride = new long[nLead];
        boolean same = lastFull;
        for (int i = 0; i < nLead; i++) {
            int bi = i - (ra - rb);
            boolean broadcast = bi < 0 || b[bi] == 1;
            bStride[i] = broadcast ? 0 : strideOfB[bi];
            if (broadcast && a[i] != 1) same = false;
        }
        identity = same;
    }

    private static IllegalArgumentException mismatch(int[] a, int[] b, String what) {
        return new IllegalArgumentException(what + ": shape " + Arrays.toString(b) + " does not broadcast onto "
                + Arrays.toString(a) + " (align from the right; each dimension must match or be 1)");
    }

    /** b's last dimension equals a's: each row of a meets a whole row of b, otherwise a single value. */
    public boolean lastFull() {
        return lastFull;
    }

    /** b has a's shape (up to leading 1s), so elements correspond one to one. */
    public boolean identity() {
        return identity;
    }

    /** Element offset in b of the row (or value) that a's row r meets. */
    public int rowOffset(int r) {
        long off = 0;
        for (int i = lead.length - 1; i >= 0 && r > 0; i--) {
            int d = lead[i];
            off += (r % d) * bStride[i];
            r /= d;
        }
        return (int) off;
    }
}
