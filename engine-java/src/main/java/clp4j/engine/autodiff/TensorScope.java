package clp4j.engine.autodiff;

import clp4j.engine.tensor.Storage;
import clp4j.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Releases the tensors of one step together, so that training does not lean on the garbage collector.
 *
 * <pre>{@code
 * try (TensorScope scope = TensorScope.open()) {
 *     Tensor loss = model.loss(batch);
 *     Autodiff.backward(loss);
 *     optimizer.step();
 *     lossValue = loss.item();
 * }   // every tensor allocated on this thread since open() is released here, except kept ones
 * }</pre>
 *
 * Scopes are per thread and nest. {@link #keep} moves a tensor (and every view of its storage) to the
 * enclosing scope, or out of scope management when there is none. Gradients of leaves (parameters) are
 * allocated outside every scope by {@link Autodiff}, so a step scope never releases them.
 */
public final class TensorScope implements AutoCloseable {
    private static final ThreadLocal<TensorScope> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<int[]> SUSPENDED = ThreadLocal.withInitial(() -> new int[1]);

    private final TensorScope parent;
    private final Thread owner = Thread.currentThread();
    private final List<Tensor> tracked = new ArrayList<>();
    /** Kept by storage identity, so that keeping a view (a reshape) keeps the tensor that owns the memory. */
    private final Set<Storage> kept = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    private TensorScope(TensorScope parent) {
        this.parent = parent;
    }

    /** Opens a scope on this thread, nested in the current one if any. */
    public static TensorScope open() {
        TensorScope s = new TensorScope(CURRENT.get());
        CURRENT.set(s);
        return s;
    }

    /** Marks {@code t} to survive this scope; returns it. */
    public <T extends Tensor> T keep(T t) {
        if (closed) throw new IllegalStateException("keep(" + t + ") on a TensorScope that is already closed");
        kept.add(t.storage());
        return t;
    }

    /** Releases every tensor allocated on this thread since {@link #open()}, except kept ones. */
    @Override
    public void close() {
        if (closed) return;
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a TensorScope must be closed on the thread that opened it (" + owner.getName() + ")");
        }
        if (CURRENT.get() != this) {
            throw new IllegalStateException("TensorScopes closed out of order: close the innermost scope first "
                    + "(use try-with-resources)");
        }
        closed = true;
        if (parent == null) CURRENT.remove(); else CURRENT.set(parent);
        for (Tensor t : tracked) {
            if (t.isReleased()) continue;
            if (kept.contains(t.storage())) {
                if (parent != null) parent.tracked.add(t);
            } else {
                t.close();
            }
        }
        tracked.clear();
        kept.clear();
    }

    /** Called by every backend on each tensor it allocates: the innermost open scope of this thread takes it. */
    public static void track(Tensor t) {
        if (SUSPENDED.get()[0] > 0) return;
        TensorScope s = CURRENT.get();
        if (s != null) s.tracked.add(t);
    }

    /** The number of live tensors this scope would release now (for tests and leak diagnostics). */
    public int trackedCount() {
        int n = 0;
        for (Tensor t : tracked) if (!t.isReleased()) n++;
        return n;
    }

    /**
     * Runs {@code allocation} with tracking off on this thread: what it allocates belongs to no scope and
     * lives until closed or collected. For long-lived state created lazily inside a step, such as leaf
     * gradients (Autodiff does this) and optimizer moments.
     */
    public static <T> T untracked(Supplier<T> allocation) {
        int[] depth = SUSPENDED.get();
        depth[0]++;
        try {
            return allocation.get();
        } finally {
            depth[0]--;
        }
    }
}
