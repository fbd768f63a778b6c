package clp4j.engine.backend;

import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;

import java.util.Arrays;
import java.util.Random;

/**
 * Plumbing of {@link BackendConformanceSuite}: the same inputs on the backend under test and on the
 * reference, inputs and outputs at non-zero storage offsets (every other tensor), outputs pre-filled
 * with NaN so that reading an output that should only be written shows, and tolerant comparisons.
 */
public abstract class ConformanceSupport {

    /** The backend to check against {@link ReferenceBackend}. */
    protected abstract Backend backendUnderTest();

    /** Allowed difference, relative to max(1, |reference|). */
    protected double tolerance() { return 1e-4; }

    protected final Backend ref = new ReferenceBackend();
    protected Backend be;
    protected Random rnd;
    private int made;

    @BeforeEach
    protected void openBackend() {
        be = backendUnderTest();
        rnd = new Random(20240611L);
        made = 0;
    }

    /** One tensor on each backend holding the same values. */
    public record Pair(Tensor r, Tensor t) {
        public int[] shape() { return r.shape(); }
    }

    /** The same data on both backends; the test backend's copy sits at a storage offset every other time. */
    protected Pair pair(float[] data, int... shape) {
        Tensor r = ref.fromArray(data, shape);
        Tensor t = (made++ % 2 == 0) ? TestTensors.atOffset(be, data, shape) : be.fromArray(data, shape);
        return new Pair(r, t);
    }

    protected Pair uniformPair(int... shape) {
        return pair(TestTensors.uniform(rnd, (int) Tensor.numel(shape)), shape);
    }

    protected Pair uniformPair(float lo, float hi, int... shape) {
        return pair(TestTensors.uniform(rnd, (int) Tensor.numel(shape), lo, hi), shape);
    }

    /** An output that the op must overwrite: NaN everywhere beforehand, on both backends. */
    protected Pair outPair(int... shape) {
        float[] nan = new float[(int) Tensor.numel(shape)];
        Arrays.fill(nan, Float.NaN);
        return pair(nan, shape);
    }

    /** Compares the test backend's tensor with the reference's, and checks nothing was written around a view. */
    protected void assertSame(String what, Pair p) {
        assertSame(what, p, tolerance());
    }

    protected void assertSame(String what, Pair p, double tol) {
        be.synchronize();
        TestTensors.assertClose(what + " on " + be.name(), p.r.toArray(), p.t.toArray(), tol);
        if (p.t.isView()) TestTensors.assertUntouchedAround(p.t);
    }

    protected static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) n += p.length;
        float[] out = new float[n];
        int o = 0;
        for (float[] p : parts) { System.arraycopy(p, 0, out, o, p.length); o += p.length; }
        return out;
    }

    protected static Tensor[] refs(Pair... ps) {
        Tensor[] out = new Tensor[ps.length];
        for (int i = 0; i < ps.length; i++) out[i] = ps[i].r;
        return out;
    }

    protected static Tensor[] tests(Pair... ps) {
        Tensor[] out = new Tensor[ps.length];
        for (int i = 0; i < ps.length; i++) out[i] = ps[i].t;
        return out;
    }
}
