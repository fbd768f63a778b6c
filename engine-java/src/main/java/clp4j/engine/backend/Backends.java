package clp4j.engine.backend;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chooses the backend. {@code -Dclp4j.backend=NAME} selects one by name; without it the default is
 * "vector" when that backend is registered and available, else "reference". Backends are registered
 * by {@link BackendProvider} services (or {@link #register}); "reference" is always present.
 */
public final class Backends {
    /** The system property that selects the backend. */
    public static final String PROPERTY = "clp4j.backend";

    private static final Map<String, BackendProvider> PROVIDERS = new TreeMap<>();
    private static final Map<String, Backend> SHARED = new ConcurrentHashMap<>();
    private static final List<String> BROKEN = new ArrayList<>();

    static {
        register(new BackendProvider() {
            @Override public String name() { return ReferenceBackend.NAME; }
            @Override public Backend create() { return new ReferenceBackend(); }
        });
        Iterator<BackendProvider> it = ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).iterator();
        // a provider that cannot load (a missing native library) must not take the others down; the
        // iterator moves on after an error, and the bound stops a loader that keeps failing
        for (int failures = 0; failures < 16; ) {
            try {
                if (!it.hasNext()) break;
                register(it.next());
            } catch (ServiceConfigurationError | LinkageError e) {
                BROKEN.add(e.toString());
                failures++;
            }
        }
    }

    private Backends() { }

    /** Adds (or replaces) a provider under its {@link BackendProvider#name()}. */
    public static synchronized void register(BackendProvider provider) {
        PROVIDERS.put(provider.name(), provider);
    }

    /** Names of the registered backends, available on this machine or not. */
    public static synchronized java.util.Set<String> names() {
        return new java.util.TreeSet<>(PROVIDERS.keySet());
    }

    /** Whether {@code name} is registered and can run here. */
    public static synchronized boolean isAvailable(String name) {
        BackendProvider p = PROVIDERS.get(name);
        return p != null && p.isAvailable();
    }

    /** The name {@link #get()} uses: the property if set, else "vector" if available, else "reference". */
    public static String defaultName() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) return configured.trim();
        return isAvailable("vector") ? "vector" : ReferenceBackend.NAME;
    }

    /** The shared instance of the default backend (see {@link #defaultName()}). */
    public static Backend get() {
        return get(defaultName());
    }

    /** The shared instance of backend {@code name}, created on first use. */
    public static Backend get(String name) {
        Backend b = SHARED.get(name);
        if (b != null) return b;
        synchronized (Backends.class) {
            return SHARED.computeIfAbsent(name, Backends::create);
        }
    }

    /** A new, unshared instance of backend {@code name}; the caller closes it. */
    public static synchronized Backend create(String name) {
        BackendProvider p = PROVIDERS.get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown backend '" + name + "' (selected with -D" + PROPERTY
                    + "); registered backends: " + PROVIDERS.keySet() + ". Pick one of these, or put the module that "
                    + "provides '" + name + "' on the class path" + (BROKEN.isEmpty() ? "" : "; providers that failed to load: " + BROKEN));
        }
        if (!p.isAvailable()) {
            throw new IllegalStateException("backend '" + name + "' cannot run on this machine: " + p.unavailableReason()
                    + ". Choose another with -D" + PROPERTY + " (registered: " + PROVIDERS.keySet() + ")");
        }
        return p.create();
    }
}
