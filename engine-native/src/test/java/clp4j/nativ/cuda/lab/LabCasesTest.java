package clp4j.nativ.cuda.lab;

import clp4j.engine.backend.ReferenceBackend;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Without a GPU: every lab case builds valid inputs at its check size and is deterministic. */
class LabCasesTest {

    @Test
    void checkCasesRunOnTheReferenceAndRepeatExactly() {
        ReferenceBackend a = new ReferenceBackend(), b = new ReferenceBackend();
        List<LabCase> cases = LabCases.all(false);
        Set<String> names = new HashSet<>();
        for (LabCase c : cases) {
            assertTrue(names.add(c.name()), "duplicate case name " + c.name());
            assertEquals(0.0, LabCheck.maxError(c, a, b, 5), c.name());
        }
        assertTrue(names.contains("mix m=2 (attention)") && names.contains("mix m=3 (attention)"));
    }

    @Test
    void benchListHasTheWholeModelMixAndMeasuresSomething() {
        List<LabCase> bench = LabCases.all(true);
        assertTrue(bench.stream().anyMatch(c -> c.name().equals("mix m=3 (whole model)")));
        for (LabCase c : bench) assertTrue(c.bytes() > 0 || c.flops() > 0, c.name() + " has neither bytes nor flops");
    }
}
