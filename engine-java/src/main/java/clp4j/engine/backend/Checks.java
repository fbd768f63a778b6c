package clp4j.engine.backend;

import clp4j.engine.tensor.Tensor;

import java.util.Arrays;

/** Shape checks shared by the backends; each failure names the op and the shapes involved. */
public final class Checks {
    private Checks() { }

    public static void sameShape(String op, Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": shapes differ: " + Arrays.toString(a.shape())
                    + " vs " + Arrays.toString(b.shape()));
        }
    }

    public static void sameNumel(String op, Tensor a, Tensor b) {
        if (a.numel() != b.numel()) {
            throw new IllegalArgumentException(op + ": element counts differ: " + Arrays.toString(a.shape())
                    + " (" + a.numel() + ") vs " + Arrays.toString(b.shape()) + " (" + b.numel() + ")");
        }
    }

    /** {@code out} must have x's shape with the last dimension 1. */
    public static void keepdimLast(String op, Tensor x, Tensor out) {
        int[] want = x.shape();
        if (want.length == 0) throw new IllegalArgumentException(op + ": needs a tensor of rank >= 1, got a scalar");
        want[want.length - 1] = 1;
        if (!Arrays.equals(want, out.shape())) {
            throw new IllegalArgumentException(op + ": expected shape " + Arrays.toString(want) + " for the reduction of "
                    + Arrays.toString(x.shape()) + ", got " + Arrays.toString(out.shape()));
        }
    }

    /** A tensor used as a per-row vector of {@code rows} values (any shape with that many elements). */
    public static void rowsVector(String op, String name, Tensor t, int rows) {
        if (t.numel() != rows) {
            throw new IllegalArgumentException(op + ": " + name + " must hold one value per row (" + rows + "), got shape "
                    + Arrays.toString(t.shape()));
        }
    }

    public static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
