package clp4j.engine.backend;

/** The whole conformance suite (every op, forward and backward, against ReferenceBackend) on VectorBackend. */
class VectorBackendTest extends BackendConformanceSuite {
    @Override
    protected Backend backendUnderTest() {
        return Backends.get("vector");
    }
}
