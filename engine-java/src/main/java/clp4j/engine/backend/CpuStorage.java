package clp4j.engine.backend;

import clp4j.engine.tensor.Storage;
import clp4j.engine.tensor.Tensor;

/**
 * Storage on the Java heap: a float[] shared by the CPU backends (reference and Vector API).
 * Once {@link #release released} it refuses access, so a view that outlived its tensor fails
 * loudly instead of reading an array that an {@link ArrayPool} may have handed to another tensor.
 */
public final class CpuStorage implements Storage {
    private final float[] data;
    /** Whether the array was allocated for this storage (only such arrays may be pooled). */
    private final boolean owned;
    private volatile boolean released;

    public CpuStorage(int elements) {
        this(new float[elements], true);
    }

    /** Wraps an existing array without copying; the array is never pooled. */
    public CpuStorage(float[] data) {
        this(data, false);
    }

    /** @param owned whether {@code data} belongs to this storage alone (then {@link #release} may hand it back) */
    CpuStorage(float[] data, boolean owned) {
        this.data = data;
        this.owned = owned;
    }

    public float[] data() {
        if (released) {
            throw new IllegalStateException("this tensor's memory was released (its owning tensor was closed, or the "
                    + "TensorScope it was made in ended); keep the tensor with TensorScope.keep or copy it out first");
        }
        return data;
    }

    /**
     * Marks the storage released and returns its array if it may be reused (allocated for this
     * storage, and not released before), else null.
     */
    synchronized float[] release() {
        if (released) return null;
        released = true;
        return owned ? data : null;
    }

    @Override
    public long capacity() { return data.length; }

    /** The array behind a CPU tensor (index it from {@link Tensor#offset()}). */
    public static float[] of(Tensor t) {
        if (!(t.storage() instanceof CpuStorage s)) {
            throw new IllegalArgumentException("tensor " + t + " does not live in CPU memory (storage "
                    + t.storage().getClass().getSimpleName() + "); copy it to a CPU backend first");
        }
        return s.data();
    }

    /** The offset of a CPU tensor as an int index into {@link #of}. */
    public static int offset(Tensor t) {
        return Math.toIntExact(t.offset());
    }
}
