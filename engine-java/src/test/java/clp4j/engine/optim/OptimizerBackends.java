package clp4j.engine.optim;

import clp4j.engine.backend.Backends;

import java.util.List;

/** The backends registered and available here (reference always; vector and others when present). */
final class OptimizerBackends {
    private OptimizerBackends() { }

    static List<String> available() {
        return Backends.names().stream().filter(Backends::isAvailable).sorted().toList();
    }
}
