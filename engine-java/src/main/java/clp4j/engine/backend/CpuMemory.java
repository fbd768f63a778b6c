package clp4j.engine.backend;

import clp4j.engine.autodiff.TensorScope;
import clp4j.engine.tensor.Storage;
import clp4j.engine.tensor.Tensor;

import java.util.Arrays;

/** The memory operations of the float[]-backed CPU backends (reference and Vector API), written once. */
public final class CpuMemory {
    private CpuMemory() { }

    /** A zero-filled heap tensor owned by {@code owner}, tracked by the current {@link TensorScope}. */
    public static Tensor zeros(Backend owner, int... shape) {
        return zeros(owner, null, shape);
    }

    /** As {@link #zeros(Backend, int...)}, the array taken from {@code pool} when it is not null. */
    public static Tensor zeros(Backend owner, ArrayPool pool, int... shape) {
        int n = elements(shape);
        return track(owner, pool == null ? new CpuStorage(n) : new CpuStorage(pool.take(n), true), shape);
    }

    /** A heap tensor with unspecified contents from {@code pool} (see {@code Backend.empty}). */
    public static Tensor empty(Backend owner, ArrayPool pool, int... shape) {
        return track(owner, new CpuStorage(pool.reuse(elements(shape)), true), shape);
    }

    private static int elements(int[] shape) {
        long n = Tensor.numel(shape);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " has " + n
                    + " elements, more than a Java array holds; use a smaller batch or the CUDA backend");
        }
        return (int) n;
    }

    private static Tensor track(Backend owner, CpuStorage storage, int[] shape) {
        Tensor t = new Tensor(owner, storage, 0, shape, false);
        TensorScope.track(t);
        return t;
    }

    /** Marks a CPU storage released and gives its array to {@code pool} (if not null) when it may be reused. */
    public static void release(Storage storage, ArrayPool pool) {
        if (storage instanceof CpuStorage s) {
            float[] a = s.release();
            if (a != null && pool != null) pool.give(a);
        }
    }

    public static Tensor fromArray(Backend owner, float[] data, int... shape) {
        if (data.length != Tensor.numel(shape)) {
            throw new IllegalArgumentException("fromArray: " + data.length + " values for shape " + Arrays.toString(shape)
                    + " (" + Tensor.numel(shape) + " elements)");
        }
        return track(owner, new CpuStorage(data.clone(), true), shape);
    }

    public static void copyToHost(Tensor src, float[] dst) {
        Checks.require(dst.length >= src.numel(), "copyToHost: destination holds " + dst.length + " floats, "
                + src + " has " + src.numel());
        System.arraycopy(CpuStorage.of(src), CpuStorage.offset(src), dst, 0, src.size());
    }

    public static void copyFromHost(float[] src, int srcPos, Tensor dst) {
        Checks.require(srcPos >= 0 && srcPos + dst.numel() <= src.length, "copyFromHost: need " + dst.numel()
                + " floats from position " + srcPos + " of an array of " + src.length);
        System.arraycopy(src, srcPos, CpuStorage.of(dst), CpuStorage.offset(dst), dst.size());
    }

    public static void copy(Tensor src, Tensor dst) {
        Checks.sameNumel("copy", src, dst);
        System.arraycopy(CpuStorage.of(src), CpuStorage.offset(src), CpuStorage.of(dst), CpuStorage.offset(dst), src.size());
    }

    public static void fill(Tensor t, float v) {
        int o = CpuStorage.offset(t);
        Arrays.fill(CpuStorage.of(t), o, o + t.size(), v);
    }
}
