package clp4j.engine.autodiff;

import clp4j.engine.backend.Backend;
import clp4j.engine.backend.Backends;

/** The finite-difference gradient checks of every differentiable op, run on the Vector API backend. */
class VectorFGradTest extends FGradTest {
    @Override
    protected Backend backend() {
        return Backends.get("vector");
    }
}
