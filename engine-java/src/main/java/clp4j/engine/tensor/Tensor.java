package clp4j.engine.tensor;

import clp4j.engine.backend.Backend;

import java.util.Arrays;

/**
 * A contiguous, row-major F32 tensor living on one {@link Backend}.
 *
 * <p>{@code offset} is the element offset into the storage, so that reshapes and slices
 * of leading dimensions are free views. Anything else (transposes, permutes) is an
 * explicit copy op.
 *
 * <p>The autodiff fields ({@code requiresGrad}, {@code grad}, {@code gradFn}) are owned by
 * {@code clp4j.engine.autodiff}; plain backend code ignores them.
 */
public final class Tensor implements AutoCloseable {
    private final int[] shape;
    private final long numel;
    private final Backend backend;
    private final long offset;
    private Storage storage;
    /** A view does not own its storage and never frees it. */
    private final boolean view;

    private boolean requiresGrad;
    private Tensor grad;
    private GradFn gradFn;

    public Tensor(Backend backend, Storage storage, long offset, int[] shape, boolean view) {
        this.backend = backend;
        this.storage = storage;
        this.offset = offset;
        this.shape = shape.clone();
        this.numel = numel(this.shape);
        this.view = view;
        if (offset < 0 || offset + numel > storage.capacity()) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " at offset " + offset
                    + " does not fit a storage of " + storage.capacity() + " elements");
        }
    }

    public static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public int[] shape() { return shape.clone(); }
    public int rank() { return shape.length; }
    public long numel() { return numel; }
    public int size() { return Math.toIntExact(numel); }
    public long offset() { return offset; }
    public Backend backend() { return backend; }
    public DType dtype() { return DType.F32; }
    public boolean isView() { return view; }

    /** Dimension i; negative i counts from the end. */
    public int dim(int i) { return shape[i < 0 ? shape.length + i : i]; }

    /** Product of all dimensions but the last ("rows" for last-axis ops). */
    public int rows() { return shape.length == 0 ? 1 : Math.toIntExact(numel / shape[shape.length - 1]); }

    public Storage storage() {
        if (storage == null) throw new IllegalStateException("tensor " + Arrays.toString(shape) + " was released");
        return storage;
    }

    public boolean isReleased() { return storage == null; }

    /** A free view with another shape of the same number of elements. */
    public Tensor reshape(int... newShape) {
        int infer = -1;
        long known = 1;
        int[] s = newShape.clone();
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("only one -1 allowed in " + Arrays.toString(newShape));
                infer = i;
            } else known *= s[i];
        }
        if (infer >= 0) s[infer] = Math.toIntExact(numel / Math.max(known, 1));
        if (numel(s) != numel) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(newShape));
        }
        return new Tensor(backend, storage(), offset, s, true);
    }

    /** A free view of rows [from, to) of the first dimension. */
    public Tensor slice0(int from, int to) {
        if (shape.length == 0 || from < 0 || to > shape[0] || from > to) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of " + Arrays.toString(shape));
        }
        long inner = shape[0] == 0 ? 0 : numel / shape[0];
        int[] s = shape.clone();
        s[0] = to - from;
        return new Tensor(backend, storage(), offset + from * inner, s, true);
    }

    /** Copies the values to a new host array. */
    public float[] toArray() {
        float[] out = new float[size()];
        backend.copyToHost(this, out);
        return out;
    }

    /** Single value of a one-element tensor. */
    public float item() {
        if (numel != 1) throw new IllegalStateException("item() on a tensor of shape " + Arrays.toString(shape));
        return toArray()[0];
    }

    // ---- autodiff state (see clp4j.engine.autodiff) ----
    public boolean requiresGrad() { return requiresGrad; }
    public Tensor requiresGrad(boolean r) { this.requiresGrad = r; return this; }
    public Tensor grad() { return grad; }
    public void setGrad(Tensor g) { this.grad = g; }
    public GradFn gradFn() { return gradFn; }
    public void setGradFn(GradFn fn) { this.gradFn = fn; }

    /** Frees the storage (returned to the backend's pool). Views only drop their reference. */
    @Override
    public void close() {
        if (storage == null) return;
        if (!view) backend.release(storage);
        storage = null;
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape) + "@" + backend.name() + (view ? "(view)" : "");
    }
}
