package clp4j.nativ.cuda;

import clp4j.engine.backend.AdafactorParams;
import clp4j.engine.backend.AdamWParams;
import clp4j.engine.backend.BinaryOp;
import clp4j.engine.backend.ReduceOp;
import clp4j.engine.backend.ReferenceBackend;
import clp4j.engine.backend.UnaryOp;
import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Without a GPU: every op of the CUDA backend builds kernel arguments that match the kernel's PTX
 * parameter list and launches with legal geometry, every kernel is reached, shape errors are the
 * reference's, and the row-major to column-major GEMM mapping gives the reference's results.
 */
class KernelLaunchContractTest {
    private final Random rnd = new Random(42);

    private float[] random(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = rnd.nextFloat() * 2 - 1;
        return a;
    }

    @Test
    void everyOpLaunchesItsKernelsWithMatchingArguments() {
        RecordingQueue q = new RecordingQueue();
        CudaPointwise pw = new CudaPointwise(q);
        CudaMix mix = new CudaMix(q);
        CudaRowOps rows = new CudaRowOps(q);
        CudaLayoutOps layout = new CudaLayoutOps(q);
        CudaOptim optim = new CudaOptim(q);
        Tensor x = q.tensor(random(2 * 3 * 5), 2, 3, 5), out = q.zeros(2, 3, 5), g = q.tensor(random(30), 2, 3, 5);
        for (BinaryOp op : BinaryOp.values()) {
            pw.binary(op, x, q.tensor(random(30), 2, 3, 5), out);
            pw.binary(op, x, q.tensor(random(1), 1), out);
            pw.binary(op, x, q.tensor(random(5), 5), out);
            pw.binary(op, x, q.tensor(random(3), 3, 1), out);
        }
        pw.scale(x, 2f, out);
        pw.axpy(0.5f, x, out);
        for (UnaryOp op : UnaryOp.values()) {
            pw.unary(op, x, out);
            pw.unaryBackward(op, x, out, g, q.zeros(2, 3, 5));
        }
        pw.sumToShape(g, q.zeros(5));
        pw.sumToShape(g, q.zeros(2, 1, 1));
        pw.sumToShape(q.tensor(random(3 * 1000), 3, 1000), q.zeros(1));   // few outputs, long sums: one block each
        pw.dropout(x, 0.1f, 7L, out);
        Tensor[] reps = new Tensor[10];
        for (int i = 0; i < reps.length; i++) reps[i] = q.tensor(random(30), 2, 3, 5);
        float[] w = new float[10];
        java.util.Arrays.fill(w, 0.1f);
        mix.mix(reps, w, 0.3f, x, out);                                  // 10 replicas: two chained launches
        mix.mix(new Tensor[] {reps[0].reshape(30).slice0(1, 30)}, new float[] {1f}, 0f, null, q.zeros(29)); // unaligned
        mix.mixBackward(g, w, 0.3f, reps);
        mix.mixBackward(g.reshape(30).slice0(1, 30), new float[] {0.5f, 0.5f}, 0f,
                new Tensor[] {q.zeros(29), null});
        for (ReduceOp op : ReduceOp.values()) {
            rows.reduceLast(op, x, q.zeros(2, 3, 1));
            rows.reduceLastBackward(op, x, q.zeros(2, 3, 1), q.zeros(2, 3, 1), q.zeros(2, 3, 5));
        }
        rows.softmax(x, null, out, false);
        rows.softmax(x, q.zeros(2, 1, 5), out, true);
        rows.softmax(x, q.zeros(3, 1), out, false);
        rows.softmaxBackward(x, g, out, false);
        rows.softmaxBackward(x, g, out, true);
        Tensor logits = q.tensor(random(4 * 7), 4, 7);
        rows.crossEntropy(logits, new int[] {1, -100, 6, 0}, -100, q.zeros(4));
        rows.crossEntropyBackward(logits, new int[] {1, -100, 6, 0}, -100, q.zeros(4), q.zeros(4, 7));
        Tensor wNorm = q.tensor(random(5), 5);
        rows.rmsNorm(x, wNorm, 1e-6f, out, q.zeros(6));
        rows.rmsNormBackward(x, wNorm, q.zeros(6), g, q.zeros(2, 3, 5), q.zeros(5));
        Tensor table = q.tensor(random(10 * 4), 10, 4);
        layout.embeddingGather(table, new int[] {3, 3, 9}, q.zeros(3, 4));
        layout.embeddingScatterAdd(q.zeros(3, 4), new int[] {3, 3, 9}, q.zeros(10, 4));
        layout.permute(x, new int[] {2, 0, 1}, q.zeros(5, 2, 3));
        optim.adamw(x, g, q.zeros(2, 3, 5), q.zeros(2, 3, 5), new AdamWParams(1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, 3));
        AdafactorParams ap = new AdafactorParams(1e-2f, 0.8f, 1e-30f, 1e-3f, 1f, true, 0.01f);
        optim.adafactor(x, g, q.zeros(2, 3), q.zeros(2, 5), null, ap);
        optim.adafactor(q.zeros(7), q.zeros(7), null, null, q.zeros(7), ap);
        CudaGemm.gemm(q, false, true, 2, 3, 4, 5, 1f, q.zeros(2, 3, 5), 0, 5, 15, q.zeros(2, 4, 5), 0, 5, 20,
                0f, q.zeros(2, 3, 4), 0, 4, 12);
        Set<String> missing = new TreeSet<>(q.params.keySet());
        missing.removeAll(q.launched);
        assertEquals(Set.of(), missing, "kernels no backend op reaches");
    }

    @Test
    void argumentMismatchIsAClearError() {
        RecordingQueue q = new RecordingQueue();
        q.args().begin().ptr(0).i32(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> q.launchElements("clp_scale", 10));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("clp_scale takes [l, f, l, l]"), e.getMessage());
    }

    @Test
    void shapeErrorsAreTheReferences() {
        RecordingQueue q = new RecordingQueue();
        CudaRowOps rows = new CudaRowOps(q);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> rows.crossEntropy(q.zeros(2, 5), new int[] {1, 5}, -100, q.zeros(2)));
        assertEquals("crossEntropy: target 5 at row 1 is outside the vocabulary [0, 5) and is not the ignore index -100", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CudaPointwise(q).binary(BinaryOp.ADD, q.zeros(2, 3), q.zeros(2), q.zeros(2, 3)));
        assertThrows(IllegalArgumentException.class, () -> new CudaLayoutOps(q).embeddingGather(q.zeros(4, 2), new int[] {4}, q.zeros(1, 2)));
        assertThrows(IllegalArgumentException.class, () -> CudaGemm.gemm(q, false, false, 1, 3, 3, 3, 1f, q.zeros(2, 3), 0, 3, 0,
                q.zeros(3, 3), 0, 3, 0, 0f, q.zeros(3, 3), 0, 3, 0));
    }

    /** The cuBLAS call CudaGemm makes (operands swapped, m and n swapped) computes the reference's row-major GEMM. */
    @Test
    void rowMajorGemmMapsOntoColumnMajorCublas() {
        RecordingQueue q = new RecordingQueue();
        ReferenceBackend ref = new ReferenceBackend();
        for (int trial = 0; trial < 40; trial++) {
            boolean ta = rnd.nextBoolean(), tb = rnd.nextBoolean();
            int batch = 1 + rnd.nextInt(3), m = 1 + rnd.nextInt(5), n = 1 + rnd.nextInt(5), k = rnd.nextInt(5);
            int lda = (ta ? m : k) + rnd.nextInt(2), ldb = (tb ? k : n) + rnd.nextInt(2), ldc = n + rnd.nextInt(2);
            int aRows = ta ? k : m, bRows = tb ? n : k;
            long strideA = rnd.nextBoolean() && batch > 1 ? 0 : (long) aRows * lda + 1;
            long strideB = (long) bRows * ldb + 2, strideC = (long) m * ldc + 1;
            long aOff = rnd.nextInt(3), bOff = rnd.nextInt(3), cOff = rnd.nextInt(3);
            int aLen = (int) (aOff + (batch - 1) * strideA + (long) Math.max(aRows, 1) * lda + 1);
            int bLen = (int) (bOff + (batch - 1) * strideB + (long) Math.max(bRows, 1) * ldb + 1);
            int cLen = (int) (cOff + (batch - 1) * strideC + (long) m * ldc);
            float[] a = random(aLen), b = random(bLen), c = random(cLen);
            float alpha = 1.5f, beta = rnd.nextBoolean() ? 0f : 0.5f;
            Tensor ga = q.tensor(a, aLen), gb = q.tensor(b, bLen), gc = q.tensor(c, cLen);
            CudaGemm.gemm(q, ta, tb, batch, m, n, k, alpha, ga, aOff, lda, strideA, gb, bOff, ldb, strideB, beta, gc, cOff, ldc, strideC);
            Tensor ra = ref.fromArray(a, aLen), rb = ref.fromArray(b, bLen), rc = ref.fromArray(c, cLen);
            ref.gemm(ta, tb, batch, m, n, k, alpha, ra, aOff, lda, strideA, rb, bOff, ldb, strideB, beta, rc, cOff, ldc, strideC);
            float[] want = rc.toArray(), got = q.read(gc);
            for (int i = 0; i < want.length; i++) {
                org.junit.jupiter.api.Assertions.assertEquals(want[i], got[i], 1e-5f,
                        "trial " + trial + " (ta=" + ta + ", tb=" + tb + ", batch " + batch + ", m " + m + ", n " + n + ", k " + k + ") element " + i);
            }
        }
    }
}
