package clp4j.engine.autodiff;

import clp4j.engine.backend.Backend;
import clp4j.engine.backend.ReferenceBackend;
import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A finite-difference gradient check of every differentiable op of {@link F}. Subclasses may swap the backend. */
public class FGradTest {
    protected final GradCheck check = new GradCheck();
    private final Random rnd = new Random(7);

    protected Backend backend() { return new ReferenceBackend(); }

    private Backend be;

    @BeforeEach
    protected void openBackend() { be = backend(); }

    /** Uniform in [lo, hi) with a random sign when {@code signed}. */
    private Tensor rand(float lo, float hi, boolean signed, int... shape) {
        float[] d = new float[(int) Tensor.numel(shape)];
        for (int i = 0; i < d.length; i++) {
            float v = lo + (hi - lo) * rnd.nextFloat();
            d[i] = signed && rnd.nextBoolean() ? -v : v;
        }
        return be.fromArray(d, shape);
    }

    private Tensor randn(int... shape) { return rand(-1f, 1f, false, shape); }

    @Test
    public void matmulAllTransposesBatched() {
        int b = 2, m = 3, k = 4, n = 5;
        for (boolean ta : new boolean[]{false, true}) {
            for (boolean tb : new boolean[]{false, true}) {
                Tensor a = ta ? randn(b, k, m) : randn(b, m, k);
                Tensor bb = tb ? randn(b, n, k) : randn(b, k, n);
                check.check("matmul tA=" + ta + " tB=" + tb, in -> F.matmul(in[0], ta, in[1], tb), a, bb);
            }
        }
    }

    @Test
    public void matmulAllTransposesSharedB() {
        int m = 3, k = 4, n = 2;
        for (boolean ta : new boolean[]{false, true}) {
            for (boolean tb : new boolean[]{false, true}) {
                Tensor a = ta ? randn(2, 3, k, m) : randn(2, 3, m, k);
                Tensor bb = tb ? randn(n, k) : randn(k, n);
                check.check("matmul shared tA=" + ta + " tB=" + tb, in -> F.matmul(in[0], ta, in[1], tb), a, bb);
            }
        }
    }

    @Test
    void matmulPlain2d() {
        check.check("matmul 2d", in -> F.matmul(in[0], false, in[1], true), randn(1, 7), randn(3, 7));
    }

    @Test
    public void linear() {
        check.check("linear 3d", in -> F.linear(in[0], in[1]), randn(2, 3, 4), randn(5, 4));
        check.check("linear 1d", in -> F.linear(in[0], in[1]), randn(4), randn(3, 4));
    }

    @Test
    public void addSubMulDivWithBroadcast() {
        int[][] bShapes = {{2, 3, 4}, {3, 1}, {4}, {1}, {2, 1, 4}};
        for (int[] bs : bShapes) {
            String s = java.util.Arrays.toString(bs);
            check.check("add " + s, in -> F.add(in[0], in[1]), randn(2, 3, 4), randn(bs));
            check.check("sub " + s, in -> F.sub(in[0], in[1]), randn(2, 3, 4), randn(bs));
            check.check("mul " + s, in -> F.mul(in[0], in[1]), randn(2, 3, 4), randn(bs));
            check.check("div " + s, in -> F.div(in[0], in[1]), randn(2, 3, 4), rand(0.5f, 2f, true, bs));
        }
    }

    @Test
    public void sameTensorOnBothSides() {
        check.check("x*x + tanh(x)", in -> F.add(F.mul(in[0], in[0]), F.tanh(in[0])), randn(3, 5));
    }

    @Test
    public void scale() {
        check.check("scale", in -> F.scale(in[0], -2.5f), randn(3, 17));
    }

    @Test
    public void unaryFunctions() {
        check.check("exp", in -> F.exp(in[0]), randn(4, 5));
        check.check("log", in -> F.log(in[0]), rand(0.5f, 2f, false, 4, 5));
        check.check("tanh", in -> F.tanh(in[0]), rand(-2f, 2f, false, 4, 5));
        check.check("relu", in -> F.relu(in[0]), rand(0.1f, 1f, true, 4, 5)); // away from the kink
        check.check("geluNew", in -> F.geluNew(in[0]), rand(-3f, 3f, false, 4, 5));
    }

    @Test
    public void lastAxisReductions() {
        check.check("sumLast", in -> F.sumLast(in[0]), randn(3, 17));
        check.check("meanLast", in -> F.meanLast(in[0]), randn(2, 3, 5));
        check.check("sum", in -> F.sum(in[0]), randn(2, 3, 5));
        // maxLast: distinct values 0.1 apart, so h = 1e-2 never changes the argmax
        float[] d = new float[3 * 7];
        for (int i = 0; i < d.length; i++) d[i] = ((i * 11) % d.length) * 0.1f - 1f;
        check.check("maxLast", in -> F.maxLast(in[0]), be.fromArray(d, 3, 7));
    }

    @Test
    public void softmaxAndLogSoftmaxWithMasks() {
        float ninf = Float.NEGATIVE_INFINITY, most = -Float.MAX_VALUE;
        // mask [2, 1, 5] broadcast onto [2, 3, 5]: some entries -inf, some the most negative float, none a full row
        Tensor mask = be.fromArray(new float[]{0, ninf, 0.5f, most, 0, -1f, 0, 0, 2f, ninf}, 2, 1, 5);
        check.check("softmax", in -> F.softmax(in[0], null), randn(2, 3, 5));
        check.check("softmax masked", in -> F.softmax(in[0], mask), randn(2, 3, 5));
        check.check("logSoftmax", in -> F.logSoftmax(in[0], null), randn(4, 17));
        // log-softmax of a -inf entry is -inf, which no projection can difference: finite additive masks here
        Tensor finiteMask = be.fromArray(new float[]{0, -3f, 0.5f, -8f, 0, -1f, 0, 0, 2f, -20f}, 2, 1, 5);
        check.check("logSoftmax masked", in -> F.logSoftmax(in[0], finiteMask), randn(2, 3, 5));
    }

    @Test
    public void tokenNllAndCrossEntropyWithIgnoreIndex() {
        int[] targets = {3, -100, 0, 6, 6};
        check.check("tokenNll", in -> F.tokenNll(in[0], targets, -100), rand(-2f, 2f, false, 5, 7));
        check.check("crossEntropy", in -> F.crossEntropy(in[0], targets, -100), rand(-2f, 2f, false, 5, 7));
    }

    @Test
    public void crossEntropyWithEveryRowIgnoredIsZeroWithoutGradient() {
        Tensor logits = randn(2, 3).requiresGrad(true);
        Tensor loss = F.crossEntropy(logits, new int[]{-1, -1}, -1);
        assertEquals(0f, loss.item());
        Autodiff.backward(loss);
        assertNull(logits.grad());
    }

    @Test
    public void rmsNormInputAndWeight() {
        check.check("rmsNorm", in -> F.rmsNorm(in[0], in[1], 1e-6f), randn(2, 3, 8), rand(0.5f, 1.5f, false, 8));
    }

    @Test
    public void embeddingWithRepeatedIds() {
        int[] ids = {1, 3, 1, 0, 1};
        check.check("embedding", in -> F.embedding(in[0], ids), randn(5, 3));
    }

    @Test
    public void dropout() {
        check.check("dropout", in -> F.dropout(in[0], 0.3f, 42L), randn(4, 9));
        Tensor x = randn(2, 2);
        assertSame(x, F.dropout(x, 0f, 1L));
    }

    @Test
    public void permuteAndReshape() {
        check.check("permute 3d", in -> F.permute(in[0], 2, 0, 1), randn(2, 3, 4));
        check.check("permute 4d", in -> F.permute(in[0], 0, 2, 1, 3), randn(2, 3, 4, 2));
        check.check("reshape", in -> F.tanh(F.reshape(in[0], 3, -1)), randn(2, 6));
    }

    @Test
    public void mixIntoEveryReplica() {
        Tensor ref = randn(3, 4);
        for (int m = 1; m <= 3; m++) {
            Tensor[] xs = new Tensor[m];
            float[] w = new float[m];
            for (int i = 0; i < m; i++) {
                xs[i] = randn(3, 4);
                w[i] = (i + 1f) / (m * (m + 1) / 2f);
            }
            int mm = m;
            check.check("mix m=" + m, in -> F.tanh(F.mix(in, w, 0.25f, ref)), xs);
            check.check("mix m=" + m + " without ref", in -> F.mix(in, w, 0f, null), xs);
            assertEquals(mm, xs.length);
        }
    }

    @Test
    public void gradCheckDetectsAWrongBackward() {
        // x * 2 whose recorded backward is 3% too large: the check must fail
        java.util.function.Function<Tensor[], Tensor> wrong = in -> {
            Tensor x = in[0];
            Tensor out = x.backend().zeros(x.shape());
            x.backend().scale(x, 2f, out);
            return Graph.record(out, "wrongScale", new Tensor[]{x}, g -> {
                Tensor gx = x.backend().zeros(x.shape());
                x.backend().scale(g, 2.06f, gx);
                Graph.accumulateFresh(x, gx);
            });
        };
        assertThrows(AssertionError.class, () -> check.check("wrong", wrong, randn(3, 3)));
        // and a transposed matmul gradient (a wrong but plausible bug) fails too
        java.util.function.Function<Tensor[], Tensor> transposed = in -> {
            Tensor a = in[0];
            Tensor out = a.backend().zeros(a.shape());
            a.backend().copy(a, out);
            return Graph.record(out, "wrongCopy", new Tensor[]{a}, g -> Graph.accumulate(a, F.permute(g, 1, 0)));
        };
        assertThrows(AssertionError.class, () -> check.check("transposed", transposed, randn(3, 3)));
    }
}
