package clp4j.engine.backend;

import clp4j.engine.backend.FaultyBackend.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import clp4j.engine.tensor.Tensor;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shows that {@link BackendConformanceSuite} can fail: each plausible bug of {@link FaultyBackend} is
 * caught by the check for its op, and the same backend without a fault passes every check.
 */
class ConformanceSuiteSelfTest {

    private static BackendConformanceSuite suiteOn(Backend backend) {
        BackendConformanceSuite suite = new BackendConformanceSuite() {
            @Override
            protected Backend backendUnderTest() { return backend; }
        };
        suite.openBackend();
        return suite;
    }

    /** The suite's check for the faulty op, and a phrase its failure message must contain. */
    private record Check(Consumer<BackendConformanceSuite> run, String phrase) { }

    private static final Map<Fault, Check> CHECK_FOR = Map.ofEntries(
            Map.entry(Fault.GEMM_IGNORES_BETA, new Check(BackendConformanceSuite::gemmAllTransposesStridesAndScalars, "gemm")),
            Map.entry(Fault.BROADCAST_WRONG_AXIS, new Check(BackendConformanceSuite::binaryWithBroadcasting, "b[5]")),
            Map.entry(Fault.SOFTMAX_IGNORES_MASK, new Check(BackendConformanceSuite::softmaxAndLogSoftmaxWithMasks, "softmax mask")),
            Map.entry(Fault.DROPOUT_OTHER_MASK, new Check(BackendConformanceSuite::dropoutDrawsTheSameMask, "dropout")),
            Map.entry(Fault.ADAFACTOR_NO_CLIP, new Check(BackendConformanceSuite::adafactorStepsFactoredAndUnfactored, "adafactor")),
            Map.entry(Fault.ADAMW_NO_BIAS_CORRECTION, new Check(BackendConformanceSuite::adamwSteps, "adamw p")),
            Map.entry(Fault.WRITES_PAST_OUTPUT, new Check(BackendConformanceSuite::scaleAxpyAndUnary, "outside the view")),
            Map.entry(Fault.MAX_BACKWARD_LAST_TIE, new Check(BackendConformanceSuite::lastAxisReductions, "MAX backward with ties")),
            Map.entry(Fault.RMSNORM_GW_OVERWRITES, new Check(BackendConformanceSuite::rmsNormForwardAndBackward, "rmsNormBackward gw")),
            Map.entry(Fault.EMBEDDING_SCATTER_LAST_WINS, new Check(BackendConformanceSuite::embeddingGatherAndScatterAdd, "embeddingScatterAdd")),
            Map.entry(Fault.MIX_BACKWARD_OVERWRITES, new Check(BackendConformanceSuite::mixAndMixBackward, "mixBackward")));

    @ParameterizedTest
    @EnumSource(value = Fault.class, mode = EnumSource.Mode.EXCLUDE, names = "NONE")
    void everyFaultIsCaught(Fault fault) {
        Check check = CHECK_FOR.get(fault);
        AssertionError e = assertThrows(AssertionError.class, () -> check.run().accept(suiteOn(new FaultyBackend(fault))), fault.name());
        assertTrue(e.getMessage().contains(check.phrase()), fault + " was caught for another reason: " + e.getMessage());
    }

    /** The reference behind a proxy that records which Backend methods the suite calls. */
    private static Backend recording(Set<String> called) {
        ReferenceBackend inner = new ReferenceBackend();
        Backend[] self = new Backend[1];
        self[0] = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[]{Backend.class},
                (proxy, method, args) -> {
                    called.add(method.getName());
                    switch (method.getName()) {
                        case "zeros" -> { // tensors must belong to the proxy so that toArray and close go through it
                            int[] shape = (int[]) args[0];
                            return new Tensor(self[0], new CpuStorage((int) Tensor.numel(shape)), 0, shape, false);
                        }
                        case "fromArray" -> {
                            int[] shape = (int[]) args[1];
                            Tensor t = new Tensor(self[0], new CpuStorage((int) Tensor.numel(shape)), 0, shape, false);
                            inner.copyFromHost((float[]) args[0], 0, t);
                            return t;
                        }
                        default -> {
                            try {
                                return method.invoke(inner, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        }
                    }
                });
        return self[0];
    }

    @Test
    void theFaultFreeBackendPassesEveryCheckAndEveryBackendMethodIsExercised() throws Exception {
        Set<String> called = new TreeSet<>();
        BackendConformanceSuite s = suiteOn(recording(called));
        int checks = 0;
        for (Method m : BackendConformanceSuite.class.getMethods()) {
            if (!m.isAnnotationPresent(Test.class)) continue;
            try {
                m.invoke(s);
            } catch (InvocationTargetException e) {
                throw new AssertionError("check " + m.getName() + " fails on the reference itself", e.getCause());
            }
            checks++;
        }
        assertTrue(checks >= 16, "found only " + checks + " checks");
        Set<String> missing = new TreeSet<>();
        for (Method m : Backend.class.getMethods()) {
            if (!Modifier.isStatic(m.getModifiers()) && !m.getName().equals("close")) missing.add(m.getName());
        }
        missing.removeAll(called);
        assertTrue(missing.isEmpty(), "Backend methods the conformance suite never calls: " + missing);
    }
}
