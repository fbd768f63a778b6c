package clp4j.engine.backend;

import clp4j.engine.tensor.Tensor;

import java.util.Arrays;
import java.util.Random;

/** Test helpers: random data, tensors at a non-zero storage offset, and tolerant comparisons. */
public final class TestTensors {
    private TestTensors() { }

    /** Uniform values in [-1, 1). */
    public static float[] uniform(Random rnd, int n) {
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = 2 * rnd.nextFloat() - 1;
        return d;
    }

    /** Uniform values in [lo, hi). */
    public static float[] uniform(Random rnd, int n, float lo, float hi) {
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = lo + (hi - lo) * rnd.nextFloat();
        return d;
    }

    /**
     * A tensor holding {@code data} as a slice0 view in the middle of a larger storage, so that its
     * offset is not zero; the rows around it hold NaN, which would show up if an op read them.
     */
    public static Tensor atOffset(Backend be, float[] data, int... shape) {
        int[] big = shape.length == 0 ? new int[]{3} : shape.clone();
        if (shape.length == 0) {
            Tensor base = be.fromArray(new float[]{Float.NaN, data[0], Float.NaN}, 3);
            return base.slice0(1, 2).reshape();
        }
        big[0] += 3;
        float[] filler = new float[(int) Tensor.numel(big)];
        Arrays.fill(filler, Float.NaN);
        Tensor base = be.fromArray(filler, big);
        Tensor view = base.slice0(2, 2 + shape[0]);
        be.copyFromHost(data, 0, view);
        return view;
    }

    /** The storage elements outside a view made by {@link #atOffset}: still NaN if no op wrote there. */
    public static void assertUntouchedAround(Tensor view) {
        float[] all = new float[(int) view.storage().capacity()];
        Tensor whole = new Tensor(view.backend(), view.storage(), 0, new int[]{all.length}, true);
        view.backend().copyToHost(whole, all);
        for (int i = 0; i < all.length; i++) {
            boolean inside = i >= view.offset() && i < view.offset() + view.numel();
            if (!inside && !Float.isNaN(all[i])) {
                throw new AssertionError("element " + i + " outside the view " + view + " at offset " + view.offset()
                        + " was overwritten with " + all[i]);
            }
        }
    }

    /** |actual - expected| <= tol * max(1, |expected|) for every element; equal infinities and NaNs match. */
    public static void assertClose(String what, float[] expected, float[] actual, double tol) {
        if (expected.length > actual.length) {
            throw new AssertionError(what + ": expected " + expected.length + " values, got " + actual.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            if (Double.isNaN(e) && Double.isNaN(a)) continue;
            if (e == a) continue;
            if (!(Math.abs(a - e) <= tol * Math.max(1.0, Math.abs(e)))) {
                throw new AssertionError(what + ": element " + i + " expected " + e + " but got " + a + " (tolerance " + tol + ")");
            }
        }
    }

    public static void assertClose(String what, double[] expected, float[] actual, double tol) {
        float[] e = new float[expected.length];
        for (int i = 0; i < e.length; i++) e[i] = (float) expected[i];
        assertClose(what, e, actual, tol);
    }
}
