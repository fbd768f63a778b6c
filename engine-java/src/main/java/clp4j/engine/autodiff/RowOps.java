package clp4j.engine.autodiff;

import clp4j.engine.backend.Backend;
import clp4j.engine.backend.BinaryOp;
import clp4j.engine.backend.ReduceOp;
import clp4j.engine.tensor.Tensor;

import java.util.Arrays;
import java.util.Locale;

/** Last-axis ops: reductions, softmax, losses and RMS norm. */
final class RowOps {
    private RowOps() { }

    static Tensor reduceLast(ReduceOp op, Tensor x) {
        if (x.rank() == 0) throw new IllegalArgumentException(op + " over the last axis needs rank >= 1, got a scalar");
        Backend be = x.backend();
        int[] ys = x.shape();
        ys[ys.length - 1] = 1;
        Tensor y = be.empty(ys);
        be.reduceLast(op, x, y);
        return Graph.record(y, op.name().toLowerCase(Locale.ROOT) + "Last", new Tensor[]{x}, g -> {
            Tensor gx = be.empty(x.shape());
            be.reduceLastBackward(op, x, y, g, gx);
            Graph.accumulateFresh(x, gx);
        });
    }

    static Tensor sum(Tensor x) {
        Backend be = x.backend();
        int n = x.size();
        Tensor y = be.zeros(1);
        be.reduceLast(ReduceOp.SUM, x.reshape(1, n), y.reshape(1, 1));
        return Graph.record(y, "sum", new Tensor[]{x}, g -> {
            Tensor gx = be.zeros(x.shape());
            be.reduceLastBackward(ReduceOp.SUM, x.reshape(1, n), y.reshape(1, 1), g.reshape(1, 1), gx.reshape(1, n));
            Graph.accumulateFresh(x, gx);
        });
    }

    static Tensor softmax(Tensor x, Tensor mask, boolean log) {
        if (mask != null && mask.requiresGrad() && Autodiff.isGradEnabled()) {
            // a learned bias (T5's relative position bias) passed as the mask would silently get no gradient
            throw new IllegalArgumentException((log ? "logSoftmax" : "softmax") + ": the mask " + mask + " requires a "
                    + "gradient, but masks get none; add learned biases to x with F.add and pass only constant masks");
        }
        Backend be = x.backend();
        Tensor y = be.empty(x.shape());
        if (log) be.logSoftmax(x, mask, y); else be.softmax(x, mask, y);
        return Graph.record(y, log ? "logSoftmax" : "softmax", new Tensor[]{x}, g -> {
            Tensor gx = be.empty(x.shape());
            if (log) be.logSoftmaxBackward(y, g, gx); else be.softmaxBackward(y, g, gx);
            Graph.accumulateFresh(x, gx);
        });
    }

    static Tensor tokenNll(Tensor logits, int[] targets, int ignoreIndex) {
        checkLogits("tokenNll", logits, targets);
        int[] t = targets.clone();
        Backend be = logits.backend();
        Tensor nll = be.empty(t.length);
        be.crossEntropy(logits, t, ignoreIndex, nll);
        return Graph.record(nll, "tokenNll", new Tensor[]{logits}, g -> {
            Tensor gl = be.empty(logits.shape());
            be.crossEntropyBackward(logits, t, ignoreIndex, g, gl);
            Graph.accumulateFresh(logits, gl);
        });
    }

    static Tensor crossEntropy(Tensor logits, int[] targets, int ignoreIndex) {
        checkLogits("crossEntropy", logits, targets);
        int[] t = targets.clone();
        int counted = 0;
        for (int target : t) if (target != ignoreIndex) counted++;
        Backend be = logits.backend();
        Tensor loss = be.zeros(1);
        Tensor nll = be.empty(t.length);
        be.crossEntropy(logits, t, ignoreIndex, nll); // also validates the targets when none count
        if (counted > 0) {
            be.reduceLast(ReduceOp.SUM, nll.reshape(1, t.length), loss.reshape(1, 1));
            be.scale(loss, 1f / counted, loss);
        }
        nll.close();
        float inv = counted == 0 ? 0f : 1f / counted;
        return Graph.record(loss, "crossEntropy", new Tensor[]{logits}, g -> {
            if (inv == 0f) return; // no counted row: the loss is a constant 0
            Tensor gNll = be.zeros(t.length);
            be.binary(BinaryOp.ADD, gNll, g, gNll); // broadcast the scalar gradient to every row
            be.scale(gNll, inv, gNll);
            Tensor gl = be.empty(logits.shape());
            be.crossEntropyBackward(logits, t, ignoreIndex, gNll, gl);
            gNll.close();
            Graph.accumulateFresh(logits, gl);
        });
    }

    private static void checkLogits(String op, Tensor logits, int[] targets) {
        if (logits.rank() != 2 || logits.dim(0) != targets.length) {
            throw new IllegalArgumentException(op + ": logits must be [rows, V] with one target per row, got logits "
                    + Arrays.toString(logits.shape()) + " and " + targets.length + " targets");
        }
    }

    static Tensor rmsNorm(Tensor x, Tensor w, float eps) {
        Backend be = x.backend();
        Tensor y = be.empty(x.shape());
        Tensor rstd = be.empty(x.rows());
        be.rmsNorm(x, w, eps, y, rstd);
        return Graph.record(y, "rmsNorm", new Tensor[]{x, w}, g -> {
            Tensor gx = be.empty(x.shape());
            Tensor gw = Graph.needs(w) ? Graph.slot(w) : be.zeros(w.shape()); // the backend accumulates into gw
            be.rmsNormBackward(x, w, rstd, g, gx, gw);
            if (!Graph.needs(w)) gw.close();
            if (Graph.needs(x)) Graph.accumulateFresh(x, gx); else gx.close();
        });
    }
}
