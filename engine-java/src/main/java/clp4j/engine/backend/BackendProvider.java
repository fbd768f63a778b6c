package clp4j.engine.backend;

/**
 * Plugs a backend into {@link Backends}. Implementations are found with {@link java.util.ServiceLoader}:
 * list the class in {@code META-INF/services/clp4j.engine.backend.BackendProvider} of the module that
 * holds it (the Vector API backend in engine-java, the CUDA backend in engine-native).
 */
public interface BackendProvider {

    /** The name users select with {@code -Dclp4j.backend}, e.g. "vector" or "cuda". */
    String name();

    /** Whether this machine can run the backend (a CUDA backend says no where there is no GPU). */
    default boolean isAvailable() { return true; }

    /** Why {@link #isAvailable()} is false, for the error message; what to install or configure. */
    default String unavailableReason() { return ""; }

    /** A new backend instance. Called once per name by {@link Backends#get(String)}. */
    Backend create();
}
