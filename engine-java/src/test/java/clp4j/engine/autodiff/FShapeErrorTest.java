package clp4j.engine.autodiff;

import clp4j.engine.backend.Backend;
import clp4j.engine.backend.ReferenceBackend;
import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** F's shape errors name the shapes, and grad mode and scopes are per thread. */
class FShapeErrorTest {
    private final Backend be = new ReferenceBackend();

    private static void assertNames(IllegalArgumentException e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
    }

    @Test
    void mismatchedShapesAreIllegalArgumentsNamingTheShapes() {
        Tensor a = be.zeros(2, 3), b = be.zeros(4, 5);
        assertNames(assertThrows(IllegalArgumentException.class, () -> F.linear(a, b)), "[2, 3]", "[4, 5]");
        assertNames(assertThrows(IllegalArgumentException.class, () -> F.matmul(a, false, b, false)), "[2, 3]", "[4, 5]");
        assertNames(assertThrows(IllegalArgumentException.class, () -> F.matmul(be.zeros(3), false, b, false)), "[3]");
        assertNames(assertThrows(IllegalArgumentException.class, () -> F.add(a, be.zeros(2))), "[2]", "[2, 3]");
        assertNames(assertThrows(IllegalArgumentException.class, () -> F.crossEntropy(a, new int[]{0}, -100)), "[2, 3]", "1 targets");
        assertNames(assertThrows(IllegalArgumentException.class, () -> F.tokenNll(a, new int[]{0, 7}, -100)), "target 7", "row 1");
        assertNames(assertThrows(IllegalArgumentException.class, () -> F.rmsNorm(a, be.zeros(2), 1e-6f)), "[2]", "[2, 3]");
        assertNames(assertThrows(IllegalArgumentException.class, () -> F.embedding(b, new int[]{4})), "id 4");
        assertNames(assertThrows(IllegalArgumentException.class, () -> F.permute(a, 0, 0)), "[0, 0]");
        assertNames(assertThrows(IllegalArgumentException.class, () -> F.reshape(a, 4, 2)), "[2, 3]", "[4, 2]");
        assertNames(assertThrows(IllegalArgumentException.class,
                () -> F.mix(new Tensor[]{a, a}, new float[]{1f}, 0f, null)), "2 replicas", "1 weights");
    }

    @Test
    void aMaskThatRequiresGradIsRejectedRatherThanSilentlyIgnored() {
        Tensor bias = be.zeros(1, 3).requiresGrad(true);
        assertNames(assertThrows(IllegalArgumentException.class, () -> F.softmax(be.zeros(2, 3), bias)), "F.add");
        assertNames(assertThrows(IllegalArgumentException.class, () -> F.logSoftmax(be.zeros(2, 3), bias)), "F.add");
        try (NoGrad _ = Autodiff.noGrad()) {
            assertArrayEquals(new float[]{0.5f, 0.5f}, F.softmax(be.zeros(1, 2), be.zeros(1, 2).requiresGrad(true)).toArray());
        }
    }

    @Test
    void gradModeAndScopesArePerThread() throws Exception {
        Tensor w = be.fromArray(new float[]{1f}, 1).requiresGrad(true);
        AtomicReference<Tensor> fromOtherThread = new AtomicReference<>();
        AtomicReference<Boolean> otherGradEnabled = new AtomicReference<>();
        try (TensorScope scope = TensorScope.open(); NoGrad _ = Autodiff.noGrad()) {
            Thread t = new Thread(() -> {
                otherGradEnabled.set(Autodiff.isGradEnabled());
                fromOtherThread.set(F.exp(w));
            });
            t.start();
            t.join();
            assertTrue(otherGradEnabled.get(), "noGrad on this thread does not switch off the other thread's recording");
            assertTrue(fromOtherThread.get().requiresGrad());
            assertFalse(F.exp(w).requiresGrad());
            assertTrue(scope.trackedCount() == 1, "only this thread's allocation is tracked");
        }
        assertFalse(fromOtherThread.get().isReleased());
        assertArrayEquals(new float[]{(float) Math.E}, fromOtherThread.get().toArray(), 1e-6f);
    }
}
