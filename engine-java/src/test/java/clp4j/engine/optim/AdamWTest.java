package clp4j.engine.optim;

import clp4j.engine.backend.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** AdamW against torch.optim.AdamW (float64) on every available backend. */
class AdamWTest {

    static List<String> backends() { return OptimizerBackends.available(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void matchesTorchAdamW(String backend) {
        OptimizerReferenceChecks.checkAdamW(Backends.get(backend));
    }

    @Test
    void torchDefaults() {
        AdamWConfig c = AdamWConfig.torch();
        assertEquals(0.9f, c.beta1());
        assertEquals(0.999f, c.beta2());
        assertEquals(1e-8f, c.epsilon());
        assertEquals(0.01f, c.weightDecay());
    }
}
