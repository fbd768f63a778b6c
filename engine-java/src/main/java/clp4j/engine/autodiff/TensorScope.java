package clp4j.engine.autodiff;

import clp4j.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** Per-step release of temporaries: tensors allocated on this thread while a scope is open are closed with it. */
public final class TensorScope implements AutoCloseable {
    private static final ThreadLocal<TensorScope> CURRENT = new ThreadLocal<>();

    private final TensorScope parent;
    private final List<Tensor> owned = new ArrayList<>();

    private TensorScope(TensorScope parent) {
        this.parent = parent;
    }

    public static TensorScope open() {
        TensorScope s = new TensorScope(CURRENT.get());
        CURRENT.set(s);
        return s;
    }

    /** Called by every backend on each tensor it allocates. */
    public static void track(Tensor t) {
        TensorScope s = CURRENT.get();
        if (s != null) s.owned.add(t);
    }

    public <T extends Tensor> T keep(T t) {
        owned.remove(t);
        if (parent != null) parent.owned.add(t);
        return t;
    }

    @Override
    public void close() {
        for (Tensor t : owned) t.close();
        owned.clear();
        CURRENT.set(parent);
    }
}
