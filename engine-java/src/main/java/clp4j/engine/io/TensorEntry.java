package clp4j.engine.io;

import clp4j.engine.tensor.DType;

import java.util.Arrays;

/**
 * One tensor of a safetensors header: its dtype, shape and byte range {@code [begin, end)}
 * relative to the start of the data section.
 */
public record TensorEntry(String name, DType dtype, int[] shape, long begin, long end) {
    public TensorEntry {
        shape = shape.clone();
    }

    @Override
    public int[] shape() { return shape.clone(); }

    /** Element count (validated to fit an int when the header was read). */
    public int numel() {
        long n = 1;
        for (int d : shape) n *= d;
        return (int) n;
    }

    public long byteSize() { return end - begin; }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorEntry t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() { return name.hashCode() * 31 + Arrays.hashCode(shape); }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " [" + begin + ", " + end + ")";
    }
}
