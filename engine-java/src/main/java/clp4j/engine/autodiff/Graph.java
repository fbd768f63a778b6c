package clp4j.engine.autodiff;

import clp4j.engine.tensor.GradFn;
import clp4j.engine.tensor.Tensor;

import java.util.Arrays;

/** Recording ops on the tape and accumulating gradients into their inputs. */
final class Graph {
    private Graph() { }

    /** An op's backward: adds its inputs' gradient contributions, given the gradient of its output. */
    @FunctionalInterface
    interface Backward {
        void run(Tensor gOut);
    }

    /** The tape entry of one op. */
    private record Node(String name, Tensor[] inputs, Backward fn) implements GradFn {
        @Override
        public void backward(Tensor out) {
            fn.run(out.grad());
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static boolean needs(Tensor t) {
        return t != null && t.requiresGrad();
    }

    static boolean isLeaf(Tensor t) {
        return t.gradFn() == null;
    }

    /** Attaches a backward to {@code out} when grad mode is on and some input requires a gradient. */
    static Tensor record(Tensor out, String name, Tensor[] inputs, Backward fn) {
        if (!Autodiff.isGradEnabled()) return out;
        boolean any = false;
        for (Tensor t : inputs) any |= needs(t);
        if (!any) return out;
        out.requiresGrad(true);
        out.setGradFn(new Node(name, inputs.clone(), fn));
        return out;
    }

    /**
     * The gradient buffer of {@code t}, allocated zero-filled on first use. A leaf's buffer belongs to no
     * TensorScope (it lives as long as the parameter); an op output's buffer is a temporary of the pass.
     */
    static Tensor slot(Tensor t) {
        Tensor g = t.grad();
        if (g == null) {
            g = isLeaf(t) ? TensorScope.untracked(() -> t.backend().zeros(t.shape())) : t.backend().zeros(t.shape());
            t.setGrad(g);
        }
        return g;
    }

    /** t.grad += g; the caller keeps ownership of g. */
    static void accumulate(Tensor t, Tensor g) {
        checkGradShape(t, g);
        t.backend().axpy(1f, g, slot(t));
    }

    /** t.grad += g, where g is a temporary the caller hands over (adopted as the buffer when possible). */
    static void accumulateFresh(Tensor t, Tensor g) {
        checkGradShape(t, g);
        if (t.grad() == null && !isLeaf(t) && !g.isView() && Arrays.equals(t.shape(), g.shape())) {
            t.setGrad(g);
            return;
        }
        t.backend().axpy(1f, g, slot(t));
        g.close();
    }

    private static void checkGradShape(Tensor t, Tensor g) {
        if (t.numel() != g.numel()) {
            throw new IllegalStateException("gradient of shape " + Arrays.toString(g.shape()) + " for a tensor of shape "
                    + Arrays.toString(t.shape()) + " (op " + t.gradFn() + ")");
        }
    }
}
