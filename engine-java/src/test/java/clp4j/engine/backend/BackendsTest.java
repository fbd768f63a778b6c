package clp4j.engine.backend;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendsTest {
    private final String saved = System.getProperty(Backends.PROPERTY);

    @AfterEach
    void restoreProperty() {
        if (saved == null) System.clearProperty(Backends.PROPERTY); else System.setProperty(Backends.PROPERTY, saved);
    }

    @Test
    void referenceIsAlwaysRegisteredAndShared() {
        assertTrue(Backends.names().contains("reference"));
        Backend a = Backends.get("reference");
        assertInstanceOf(ReferenceBackend.class, a);
        assertSame(a, Backends.get("reference"));
        assertNotSame(a, Backends.create("reference"));
    }

    @Test
    void propertySelectsTheBackend() {
        System.setProperty(Backends.PROPERTY, " reference ");
        assertEquals("reference", Backends.defaultName());
        assertInstanceOf(ReferenceBackend.class, Backends.get());
    }

    @Test
    void withoutThePropertyVectorIsPreferredWhenRegistered() {
        System.clearProperty(Backends.PROPERTY);
        assertEquals(Backends.isAvailable("vector") ? "vector" : "reference", Backends.defaultName());
    }

    @Test
    void unknownNamesAreAClearError() {
        System.setProperty(Backends.PROPERTY, "tpu");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Backends::get);
        assertTrue(e.getMessage().contains("'tpu'") && e.getMessage().contains("reference")
                && e.getMessage().contains("-Dclp4j.backend"), e.getMessage());
    }

    @Test
    void registeredProvidersAreUsedAndUnavailableOnesExplainWhy() {
        Backends.register(new BackendProvider() {
            @Override public String name() { return "test-registered"; }
            @Override public Backend create() { return new ReferenceBackend(); }
        });
        Backends.register(new BackendProvider() {
            @Override public String name() { return "test-unavailable"; }
            @Override public boolean isAvailable() { return false; }
            @Override public String unavailableReason() { return "no device found"; }
            @Override public Backend create() { throw new AssertionError("must not be created"); }
        });
        assertInstanceOf(ReferenceBackend.class, Backends.get("test-registered"));
        assertTrue(Backends.names().contains("test-unavailable"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.get("test-unavailable"));
        assertTrue(e.getMessage().contains("no device found"), e.getMessage());
    }
}
