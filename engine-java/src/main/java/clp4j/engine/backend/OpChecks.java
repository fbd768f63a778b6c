package clp4j.engine.backend;

import clp4j.engine.tensor.Tensor;

import java.util.Arrays;

/**
 * Argument checks of individual {@link Backend} ops, shared by the reference and the CUDA backend so that both
 * refuse the same inputs with the same messages.
 */
public final class OpChecks {
    private OpChecks() { }

    /** One target per row of {@code logits}, each inside the vocabulary (last dimension) or equal to the ignore index. */
    public static void targets(String op, Tensor logits, int[] targets, int ignoreIndex) {
        Checks.require(logits.rank() >= 1, op + ": logits must have rank >= 1");
        Checks.require(targets.length == logits.rows(), op + ": " + targets.length + " targets for logits of shape "
                + Arrays.toString(logits.shape()) + " (" + logits.rows() + " rows)");
        int v = logits.dim(-1);
        for (int r = 0; r < targets.length; r++) {
            int t = targets[r];
            if (t != ignoreIndex && (t < 0 || t >= v)) {
                throw new IllegalArgumentException(op + ": target " + t + " at row " + r + " is outside the vocabulary [0, "
                        + v + ") and is not the ignore index " + ignoreIndex);
            }
        }
    }

    /** RMS norm: the weight spans x's last dimension and rstd holds one value per row. */
    public static void norm(String op, Tensor x, Tensor w, Tensor rstd) {
        Checks.require(w.numel() == x.dim(-1), op + ": weight of shape " + Arrays.toString(w.shape())
                + " does not match the last dimension of x " + Arrays.toString(x.shape()));
        Checks.rowsVector(op, "rstd", rstd, x.rows());
    }

    /** Embedding: table is [V, D], {@code rowsTensor} is [ids, D] and every id is a row of the table. */
    public static void embedding(String op, Tensor table, int[] ids, Tensor rowsTensor) {
        Checks.require(table.rank() == 2, op + ": table must be [V, D], got " + Arrays.toString(table.shape()));
        Checks.require(rowsTensor.rank() == 2 && rowsTensor.dim(0) == ids.length && rowsTensor.dim(1) == table.dim(1),
                op + ": expected [" + ids.length + ", " + table.dim(1) + "] for " + ids.length + " ids, got "
                        + Arrays.toString(rowsTensor.shape()));
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= table.dim(0)) {
                throw new IllegalArgumentException(op + ": id " + ids[i] + " at index " + i + " is outside the table's "
                        + table.dim(0) + " rows");
            }
        }
    }

    /** {@code perm} is a permutation of x's axes and out has x's shape permuted by it. */
    public static void permute(Tensor x, int[] perm, Tensor out) {
        int[] xs = x.shape(), os = out.shape();
        Checks.require(perm.length == xs.length, "permute: perm " + Arrays.toString(perm) + " does not match rank "
                + xs.length + " of " + Arrays.toString(xs));
        boolean[] seen = new boolean[perm.length];
        for (int p : perm) {
            Checks.require(p >= 0 && p < perm.length && !seen[p], "permute: " + Arrays.toString(perm) + " is not a permutation");
            seen[p] = true;
        }
        int[] want = new int[perm.length];
        for (int i = 0; i < perm.length; i++) want[i] = xs[perm[i]];
        Checks.require(Arrays.equals(want, os), "permute: out must be " + Arrays.toString(want) + ", got " + Arrays.toString(os));
    }

    /** {@link Backend#gemm}'s arguments: sizes not negative and every operand inside its tensor. */
    public static void gemm(boolean transA, boolean transB, int batch, int m, int n, int k,
                            Tensor a, long aOff, int lda, long strideA,
                            Tensor b, long bOff, int ldb, long strideB,
                            Tensor c, long cOff, int ldc, long strideC) {
        Checks.require(batch >= 0 && m >= 0 && n >= 0 && k >= 0,
                "gemm: negative size batch=" + batch + " m=" + m + " n=" + n + " k=" + k);
        // stored layouts: A is (transA ? k x m : m x k), B is (transB ? n x k : k x n), C is m x n
        gemmOperand("A", a, aOff, lda, strideA, batch, transA ? k : m, transA ? m : k);
        gemmOperand("B", b, bOff, ldb, strideB, batch, transB ? n : k, transB ? k : n);
        gemmOperand("C", c, cOff, ldc, strideC, batch, m, n);
    }

    /** Every element the GEMM touches must lie inside the tensor's own extent. */
    private static void gemmOperand(String name, Tensor t, long off, int ld, long stride, int batch, int rows, int cols) {
        Checks.require(off >= 0 && stride >= 0, "gemm: " + name + " has a negative offset (" + off + ") or stride (" + stride + ")");
        if (batch == 0 || rows == 0 || cols == 0) return;
        Checks.require(ld >= cols, "gemm: leading dimension of " + name + " is " + ld + " but its rows hold " + cols + " elements");
        long last = off + (batch - 1L) * stride + (rows - 1L) * ld + cols;
        Checks.require(last <= t.numel(), "gemm: " + name + " (" + rows + " x " + cols + ", ld " + ld + ", stride " + stride
                + ", batch " + batch + ", offset " + off + ") reaches element " + last + " of a tensor of "
                + t.numel() + " elements " + t);
    }

    /** mix / mixBackward: m >= 1 replicas, as many weights, each replica out's size; only mixBackward may skip one (null). */
    public static void mix(String op, Tensor[] xs, float[] w, Tensor out) {
        Checks.require(xs.length >= 1 && xs.length == w.length, op + ": needs m >= 1 tensors and as many weights, got "
                + xs.length + " tensors and " + w.length + " weights " + Arrays.toString(w));
        for (int i = 0; i < xs.length; i++) {
            if (xs[i] != null) Checks.sameNumel(op + " (replica " + i + ", out)", xs[i], out);
            else Checks.require(op.equals("mixBackward"), op + ": replica " + i + " is null");
        }
    }

    /** Adafactor's factored second moment: p has rank >= 2, vRow is p's shape less the last axis, vCol less the second last. */
    public static void factoredMoments(Tensor p, Tensor vRow, Tensor vCol) {
        int[] ps = p.shape();
        Checks.require(ps.length >= 2, "adafactorUpdate: a factored second moment needs rank >= 2, p is " + Arrays.toString(ps));
        int[] rowShape = Arrays.copyOf(ps, ps.length - 1);
        int[] colShape = Arrays.copyOf(ps, ps.length - 1);
        colShape[ps.length - 2] = ps[ps.length - 1];
        Checks.require(Arrays.equals(rowShape, vRow.shape()), "adafactorUpdate: vRow must be " + Arrays.toString(rowShape)
                + " for p " + Arrays.toString(ps) + ", got " + Arrays.toString(vRow.shape()));
        Checks.require(Arrays.equals(colShape, vCol.shape()), "adafactorUpdate: vCol must be " + Arrays.toString(colShape)
                + " for p " + Arrays.toString(ps) + ", got " + Arrays.toString(vCol.shape()));
    }
}
