package clp4j.engine.backend;

import clp4j.engine.tensor.Storage;
import clp4j.engine.tensor.Tensor;

/** Storage on the Java heap: a float[] shared by the CPU backends (reference and Vector API). */
public final class CpuStorage implements Storage {
    private final float[] data;

    public CpuStorage(int elements) {
        this.data = new float[elements];
    }

    /** Wraps an existing array without copying. */
    public CpuStorage(float[] data) {
        this.data = data;
    }

    public float[] data() { return data; }

    @Override
    public long capacity() { return data.length; }

    /** The array behind a CPU tensor (index it from {@link Tensor#offset()}). */
    public static float[] of(Tensor t) {
        if (!(t.storage() instanceof CpuStorage s)) {
            throw new IllegalArgumentException("tensor " + t + " does not live in CPU memory (storage "
                    + t.storage().getClass().getSimpleName() + "); copy it to a CPU backend first");
        }
        return s.data;
    }

    /** The offset of a CPU tensor as an int index into {@link #of}. */
    public static int offset(Tensor t) {
        return Math.toIntExact(t.offset());
    }
}
