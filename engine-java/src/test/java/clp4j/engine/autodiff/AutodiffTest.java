package clp4j.engine.autodiff;

import clp4j.engine.backend.Backend;
import clp4j.engine.backend.ReferenceBackend;
import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutodiffTest {
    private final Backend be = new ReferenceBackend();

    private Tensor param(float... v) {
        return be.fromArray(v, v.length).requiresGrad(true);
    }

    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilZeroGrad() {
        Tensor w = param(1f, 2f, 3f);
        Tensor x = be.fromArray(new float[]{4f, 5f, 6f}, 3);
        Autodiff.backward(F.sum(F.mul(w, x)));       // d/dw = x
        assertArrayEquals(new float[]{4f, 5f, 6f}, w.grad().toArray());
        Autodiff.backward(F.sum(F.mul(w, w)));       // d/dw = 2w, added
        assertArrayEquals(new float[]{6f, 9f, 12f}, w.grad().toArray());
        Tensor gradBuffer = w.grad();
        Autodiff.zeroGrad(List.of(w));
        assertArrayEquals(new float[]{0f, 0f, 0f}, w.grad().toArray());
        assertTrue(gradBuffer == w.grad(), "zeroGrad keeps the buffer");
    }

    @Test
    void theSameGraphCanBeDifferentiatedTwice() {
        Tensor w = param(0.5f, -1f);
        Tensor loss = F.sum(F.tanh(F.scale(w, 3f)));
        Autodiff.backward(loss);
        float[] once = w.grad().toArray();
        Autodiff.backward(loss);
        float[] twice = w.grad().toArray();
        for (int i = 0; i < once.length; i++) assertEquals(2 * once[i], twice[i], 1e-6f);
    }

    @Test
    void opOutputsRequireGradButKeepNoGradientAfterBackward() {
        Tensor w = param(1f, 2f);
        Tensor hidden = F.exp(w);
        assertTrue(hidden.requiresGrad());
        Autodiff.backward(F.sum(hidden));
        assertNull(hidden.grad(), "op outputs' gradients are freed during the pass");
        assertEquals((float) Math.exp(2), w.grad().toArray()[1], 1e-5f);
    }

    @Test
    void noGradRecordsNothingAndNests() {
        Tensor w = param(1f, 2f);
        assertTrue(Autodiff.isGradEnabled());
        try (NoGrad _ = Autodiff.noGrad()) {
            try (NoGrad _ = Autodiff.noGrad()) {
                assertFalse(Autodiff.isGradEnabled());
            }
            assertFalse(Autodiff.isGradEnabled(), "still inside the outer region");
            Tensor y = F.sum(F.exp(w));
            assertFalse(y.requiresGrad());
            assertNull(y.gradFn());
            assertThrows(IllegalArgumentException.class, () -> Autodiff.backward(y));
        }
        assertTrue(Autodiff.isGradEnabled());
        assertTrue(F.exp(w).requiresGrad());
    }

    @Test
    void inputsWithoutRequiresGradRecordNothing() {
        Tensor x = be.fromArray(new float[]{1f, 2f}, 2);
        Tensor y = F.exp(x);
        assertFalse(y.requiresGrad());
        assertNull(y.gradFn());
    }

    @Test
    void backwardRejectsNonScalarLoss() {
        Tensor w = param(1f, 2f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Autodiff.backward(F.exp(w)));
        assertTrue(e.getMessage().contains("one element"), e.getMessage());
    }

    @Test
    void deepChainsNeedNoDeepStack() {
        Tensor w = param(0.001f);
        Tensor y = w;
        for (int i = 0; i < 20_000; i++) y = F.scale(y, 1f);
        Autodiff.backward(F.sum(y));
        assertEquals(1f, w.grad().item());
    }

    @Test
    void scopeReleasesTemporariesButNotKeptTensorsParametersOrTheirGradients() {
        Tensor w = param(1f, 2f, 3f);          // created outside any scope
        Tensor kept, keptView, temp;
        try (TensorScope scope = TensorScope.open()) {
            temp = F.exp(w);
            Tensor loss = F.sum(F.mul(temp, temp));
            kept = scope.keep(F.scale(w, 2f));
            keptView = scope.keep(F.reshape(F.scale(w, 3f), 3, 1));
            Autodiff.backward(loss);
            assertTrue(scope.trackedCount() > 0);
        }
        assertTrue(temp.isReleased());
        assertFalse(kept.isReleased());
        assertFalse(keptView.isReleased(), "keeping a view keeps the storage it shares");
        assertArrayEquals(new float[]{3f, 6f, 9f}, keptView.toArray());
        assertFalse(w.isReleased());
        assertFalse(w.grad().isReleased());
        assertEquals((float) (2 * Math.exp(2)), w.grad().toArray()[0], 1e-5f);
    }

    @Test
    void leafGradientsAllocatedInsideAStepSurviveIt() {
        Tensor w;
        try (TensorScope outer = TensorScope.open()) {
            w = outer.keep(param(1f, 2f));
            try (TensorScope _ = TensorScope.open()) {
                Autodiff.backward(F.sum(F.exp(w)));
            }
            assertFalse(w.grad().isReleased());
        }
        assertFalse(w.isReleased(), "kept in the outermost scope: released by none");
        assertFalse(w.grad().isReleased());
    }

    @Test
    void untrackedAllocationsBelongToNoScope() {
        Tensor state, temp;
        try (TensorScope _ = TensorScope.open()) {
            state = TensorScope.untracked(() -> be.zeros(3));
            temp = be.zeros(3);
        }
        assertFalse(state.isReleased());
        assertTrue(temp.isReleased());
    }

    @Test
    void keepMovesATensorToTheEnclosingScope() {
        Tensor survivor;
        try (TensorScope outer = TensorScope.open()) {
            try (TensorScope inner = TensorScope.open()) {
                survivor = inner.keep(be.zeros(4));
            }
            assertFalse(survivor.isReleased());
            assertEquals(1, outer.trackedCount());
        }
        assertTrue(survivor.isReleased(), "the outer scope did not keep it");
    }

    @Test
    void closingScopesOutOfOrderIsAnError() {
        TensorScope outer = TensorScope.open();
        TensorScope inner = TensorScope.open();
        assertThrows(IllegalStateException.class, outer::close);
        inner.close();
        outer.close();
    }

    @Test
    void sameSeedGivesIdenticalResults() {
        float[] a = trainTinyModel(11L);
        float[] b = trainTinyModel(11L);
        float[] c = trainTinyModel(12L);
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c), "another dropout seed changes the result");
    }

    /** A few SGD steps of a tiny two-layer net with dropout, each step in its own scope. */
    private float[] trainTinyModel(long seed) {
        java.util.Random rnd = new java.util.Random(3);
        float[] w1d = new float[6 * 4], w2d = new float[5 * 6], xd = new float[8 * 4];
        for (float[] arr : new float[][]{w1d, w2d, xd}) for (int i = 0; i < arr.length; i++) arr[i] = (float) rnd.nextGaussian();
        Tensor w1 = be.fromArray(w1d, 6, 4).requiresGrad(true);
        Tensor w2 = be.fromArray(w2d, 5, 6).requiresGrad(true);
        Tensor x = be.fromArray(xd, 8, 4);
        int[] targets = {0, 1, 2, 3, 4, 0, 1, -100};
        for (int step = 0; step < 3; step++) {
            try (TensorScope _ = TensorScope.open()) {
                Tensor h = F.dropout(F.geluNew(F.linear(x, w1)), 0.2f, seed + step);
                Tensor loss = F.crossEntropy(F.linear(h, w2), targets, -100);
                Autodiff.zeroGrad(List.of(w1, w2));
                Autodiff.backward(loss);
                be.axpy(-0.1f, w1.grad(), w1);
                be.axpy(-0.1f, w2.grad(), w2);
            }
        }
        float[] out = new float[w1.size() + w2.size()];
        System.arraycopy(w1.toArray(), 0, out, 0, w1.size());
        System.arraycopy(w2.toArray(), 0, out, w1.size(), w2.size());
        return out;
    }
}
