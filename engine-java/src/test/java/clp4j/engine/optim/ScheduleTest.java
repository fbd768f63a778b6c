package clp4j.engine.optim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Learning-rate schedules against their T5X formulas, and spec round trips. */
class ScheduleTest {

    @Test
    void constant() {
        var s = new ConstantSchedule(0.001f);
        assertEquals(0.001f, s.at(0));
        assertEquals(0.001f, s.at(123456));
    }

    @Test
    void linearWarmupStartsAtZeroAndHoldsThePeak() {
        var s = new LinearWarmupSchedule(0.01f, 100);
        assertEquals(0f, s.at(0));
        assertEquals((float) (0.01f * 0.25), s.at(25));
        assertEquals((float) (0.01f * 0.99), s.at(99));
        assertEquals(0.01f, s.at(100));
        assertEquals(0.01f, s.at(5000));
    }

    @Test
    void rsqrtDecayIsBaseOverSqrtOfMaxStepWarmup() {
        var s = new RsqrtDecaySchedule(1.0f, 10000, false);
        assertEquals(0.01f, s.at(0), "T5: 1/sqrt(10^4) during warmup");
        assertEquals(0.01f, s.at(9999));
        assertEquals((float) (1 / Math.sqrt(40000)), s.at(40000));
        assertEquals(0.005f, s.at(40000));
        var w = new RsqrtDecaySchedule(2.0f, 100, true);
        assertEquals(0f, w.at(0));
        assertEquals((float) (2.0 / 10 * 0.5), w.at(50));
        assertEquals((float) (2.0 / 20), w.at(400));
    }

    @Test
    void specRoundTripsExactly() {
        LearningRateSchedule[] all = {new ConstantSchedule(3.0e-4f), new LinearWarmupSchedule(0.1f / 3, 7),
                new RsqrtDecaySchedule(0.7f, 10000, true), new RsqrtDecaySchedule(1f, 3, false)};
        for (LearningRateSchedule s : all) {
            LearningRateSchedule back = LearningRateSchedule.parse(s.spec());
            assertEquals(s, back, s.spec());
        }
    }

    @Test
    void badSpecsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.parse("cosine(0.1)"));
        assertTrue(e.getMessage().contains("cosine"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.parse("constant(abc)"));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.parse("linear_warmup(0.1)"));
        assertThrows(IllegalArgumentException.class, () -> new LinearWarmupSchedule(0.1f, 0));
        assertThrows(IllegalArgumentException.class, () -> new ConstantSchedule(-1f));
    }
}
