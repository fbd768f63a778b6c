package clp4j.engine.autodiff;

/**
 * A no-grad region: while open, ops record nothing. Obtain with {@link Autodiff#noGrad()} and close with
 * try-with-resources; regions nest and are per thread.
 */
public final class NoGrad implements AutoCloseable {
    private final Thread owner = Thread.currentThread();
    private boolean closed;

    NoGrad() {
        Autodiff.enterNoGrad();
    }

    @Override
    public void close() {
        if (closed) return;
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a NoGrad region must be closed on the thread that opened it (" + owner.getName() + ")");
        }
        closed = true;
        Autodiff.exitNoGrad();
    }
}
