package clp4j.engine.autodiff;

import clp4j.engine.tensor.Tensor;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;

/**
 * Finite-difference gradient check. The function's output is projected onto a fixed random tensor R,
 * L = sum(out * R), so every output element is checked; the analytic gradient of L (one backward pass)
 * is compared with central differences (L(x + h) - L(x - h)) / (2h), where each L is read back and
 * summed in double. Works on any backend; fails with an AssertionError naming the input and element.
 */
public final class GradCheck {
    private final double eps;
    private final double atol;
    private final double rtol;
    private final int maxElements;

    /** Defaults suited to float forwards of O(1) values: h = 1e-2, |a - n| <= 1e-3 + 1e-2 max(|a|, |n|). */
    public GradCheck() {
        this(1e-2, 1e-3, 1e-2, 48);
    }

    /** @param maxElements per input, how many elements get finite differences (a seeded random subset beyond that) */
    public GradCheck(double eps, double atol, double rtol, int maxElements) {
        this.eps = eps;
        this.atol = atol;
        this.rtol = rtol;
        this.maxElements = maxElements;
    }

    /** Checks d sum(fn(inputs) * R) / d inputs[i] for every input. Inputs get requiresGrad(true). */
    public void check(String name, Function<Tensor[], Tensor> fn, Tensor... inputs) {
        for (Tensor x : inputs) {
            x.requiresGrad(true);
            x.setGrad(null);
        }
        Tensor out = fn.apply(inputs);
        if (!out.requiresGrad() || out.gradFn() == null) {
            throw new AssertionError(name + ": the output records no backward (got " + out + ")");
        }
        Random rnd = new Random(1234);
        float[] r = new float[out.size()];
        for (int i = 0; i < r.length; i++) r[i] = (float) rnd.nextGaussian();
        Tensor rt = out.backend().fromArray(r, out.shape());
        Autodiff.backward(F.sum(F.mul(out, rt)));

        for (int i = 0; i < inputs.length; i++) {
            Tensor x = inputs[i];
            if (x.grad() == null) throw new AssertionError(name + ": input " + i + " received no gradient");
            float[] analytic = x.grad().toArray();
            float[] values = x.toArray();
            for (int j : sample(values.length, rnd)) {
                float orig = values[j];
                float plus = (float) (orig + eps), minus = (float) (orig - eps);
                double lp = projected(fn, inputs, x, values, j, plus, r);
                double lm = projected(fn, inputs, x, values, j, minus, r);
                values[j] = orig;
                x.backend().copyFromHost(values, 0, x);
                double numeric = (lp - lm) / ((double) plus - minus);
                double a = analytic[j];
                if (!(Math.abs(a - numeric) <= atol + rtol * Math.max(Math.abs(a), Math.abs(numeric)))) {
                    throw new AssertionError(String.format("%s: gradient of input %d %s at element %d: analytic %.6g, "
                            + "numeric %.6g", name, i, Arrays.toString(x.shape()), j, a, numeric));
                }
            }
        }
    }

    private int[] sample(int n, Random rnd) {
        if (n <= maxElements) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) all[i] = i;
            return all;
        }
        return rnd.ints(maxElements, 0, n).toArray();
    }

    private static double projected(Function<Tensor[], Tensor> fn, Tensor[] inputs, Tensor x, float[] values, int j,
                                    float v, float[] r) {
        values[j] = v;
        x.backend().copyFromHost(values, 0, x);
        try (NoGrad _ = Autodiff.noGrad()) {
            float[] out = fn.apply(inputs).toArray();
            double s = 0;
            for (int k = 0; k < out.length; k++) s += (double) out[k] * r[k];
            return s;
        }
    }
}
