package clp4j.engine.backend;

/** Registers {@link VectorBackend} with {@link Backends} under the name "vector" (a ServiceLoader service). */
public final class VectorBackendProvider implements BackendProvider {

    @Override
    public String name() {
        return "vector";
    }

    /** The backend needs the incubating Vector API module in the boot layer. */
    @Override
    public boolean isAvailable() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    @Override
    public String unavailableReason() {
        return "the JDK Vector API is not enabled; start the JVM with --add-modules jdk.incubator.vector";
    }

    @Override
    public Backend create() {
        return new VectorBackend();
    }
}
