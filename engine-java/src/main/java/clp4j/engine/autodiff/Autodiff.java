package clp4j.engine.autodiff;

import clp4j.engine.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Reverse-mode differentiation over the graph that {@link F} records.
 *
 * <p>Leaves are tensors with {@code requiresGrad()} and no grad function (parameters); their
 * {@code grad()} accumulates across backward calls until {@link #zeroGrad}. Outputs of ops also report
 * {@code requiresGrad()}, but their gradients exist only during a backward pass (as in PyTorch), which
 * keeps memory down and lets the same graph be differentiated twice.
 */
public final class Autodiff {
    private static final ThreadLocal<int[]> NO_GRAD_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private Autodiff() { }

    /** Seeds d loss / d loss = 1 and accumulates into the gradient of every leaf reachable from {@code loss}. */
    public static void backward(Tensor loss) {
        if (loss.numel() != 1) {
            throw new IllegalArgumentException("backward needs a loss with one element, got " + loss
                    + "; reduce it first (F.sum, F.crossEntropy)");
        }
        if (!loss.requiresGrad()) {
            throw new IllegalArgumentException("backward: the loss " + loss + " does not require a gradient: no input of "
                    + "its graph has requiresGrad(true), or it was computed under Autodiff.noGrad()");
        }
        List<Tensor> order = topologicalOrder(loss);
        Tensor seed = loss.backend().zeros(loss.shape());
        loss.backend().fill(seed, 1f);
        try (NoGrad _ = noGrad()) {
            Graph.accumulateFresh(loss, seed);
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                if (Graph.isLeaf(t) || t.grad() == null) continue;
                t.gradFn().backward(t);
                dropGrad(t);
            }
        } finally {
            // after an exception, leave no half-accumulated op-output gradients behind
            for (Tensor t : order) if (!Graph.isLeaf(t)) dropGrad(t);
        }
    }

    private static void dropGrad(Tensor t) {
        Tensor g = t.grad();
        if (g != null) {
            t.setGrad(null);
            g.close();
        }
    }

    /** Inputs before the ops that read them (post-order of an iterative depth-first search). */
    static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Object[]> stack = new ArrayDeque<>(); // {tensor, next input index}
        visited.add(root);
        stack.push(new Object[]{root, 0});
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            Tensor[] inputs = t.gradFn() == null ? new Tensor[0] : t.gradFn().inputs();
            int next = (Integer) frame[1];
            while (next < inputs.length && (!Graph.needs(inputs[next]) || visited.contains(inputs[next]))) next++;
            if (next < inputs.length) {
                frame[1] = next + 1;
                visited.add(inputs[next]);
                stack.push(new Object[]{inputs[next], 0});
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }

    /** Opens a no-grad region on this thread: {@code try (var ng = Autodiff.noGrad()) { ... }}. */
    public static NoGrad noGrad() {
        return new NoGrad();
    }

    /** False inside a no-grad region of this thread. */
    public static boolean isGradEnabled() {
        return NO_GRAD_DEPTH.get()[0] == 0;
    }

    /** Fills existing gradients with zeros (keeps their buffers); tensors without a gradient are skipped. */
    public static void zeroGrad(Iterable<Tensor> params) {
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g != null) g.backend().fill(g, 0f);
        }
    }

    static void enterNoGrad() {
        NO_GRAD_DEPTH.get()[0]++;
    }

    static void exitNoGrad() {
        NO_GRAD_DEPTH.get()[0]--;
    }
}
