package clp4j.engine.backend;

import clp4j.engine.backend.FaultyBackend.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;
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

    @Test
    void theFaultFreeBackendPassesEveryCheck() {
        BackendConformanceSuite s = suiteOn(new FaultyBackend(Fault.NONE));
        s.memoryRoundTrips();
        s.gemmAllTransposesStridesAndScalars();
        s.matmulBatchedAndShared();
        s.binaryWithBroadcasting();
        s.scaleAxpyAndUnary();
        s.sumToShapeOverBroadcastAxes();
        s.dropoutDrawsTheSameMask();
        s.mixAndMixBackward();
        s.lastAxisReductions();
        s.softmaxAndLogSoftmaxWithMasks();
        s.crossEntropyWithIgnoreIndex();
        s.rmsNormForwardAndBackward();
        s.embeddingGatherAndScatterAdd();
        s.permuteCopies();
        s.adamwSteps();
        s.adafactorStepsFactoredAndUnfactored();
    }
}
