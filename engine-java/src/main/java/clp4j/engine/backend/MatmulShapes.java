package clp4j.engine.backend;

import clp4j.engine.tensor.Tensor;

import java.util.Arrays;

/** Checks the operand shapes of {@link Backend#matmul} and derives the GEMM sizes. */
public record MatmulShapes(int batch, int m, int n, int k, boolean bShared) {

    public static MatmulShapes of(Tensor a, boolean transA, Tensor b, boolean transB, Tensor c) {
        if (a.rank() < 2 || b.rank() < 2 || c.rank() < 2) throw mismatch(a, transA, b, transB, c);
        int m = transA ? a.dim(-1) : a.dim(-2);
        int k = transA ? a.dim(-2) : a.dim(-1);
        int kb = transB ? b.dim(-1) : b.dim(-2);
        int n = transB ? b.dim(-2) : b.dim(-1);
        if (k != kb || c.dim(-2) != m || c.dim(-1) != n) throw mismatch(a, transA, b, transB, c);
        long batchA = a.numel() / ((long) m * k);
        long batchC = c.numel() / ((long) m * n == 0 ? 1 : (long) m * n);
        boolean shared = b.rank() == 2;
        if (!shared && b.numel() / ((long) k * n == 0 ? 1 : (long) k * n) != batchA) throw mismatch(a, transA, b, transB, c);
        if ((long) m * n != 0 && batchC != batchA) throw mismatch(a, transA, b, transB, c);
        return new MatmulShapes(Math.toIntExact(batchA), m, n, k, shared);
    }

    private static IllegalArgumentException mismatch(Tensor a, boolean ta, Tensor b, boolean tb, Tensor c) {
        return new IllegalArgumentException("matmul shapes do not agree: a" + Arrays.toString(a.shape())
                + (ta ? "^T" : "") + " x b" + Arrays.toString(b.shape()) + (tb ? "^T" : "")
                + " -> c" + Arrays.toString(c.shape()));
    }
}
