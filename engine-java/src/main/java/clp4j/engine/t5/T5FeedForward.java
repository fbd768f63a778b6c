package clp4j.engine.t5;

import clp4j.engine.autodiff.F;
import clp4j.engine.tensor.Tensor;

/**
 * T5's feed-forward sublayer (without its norm and residual): relu {@code wo(dropout(relu(wi x)))} or
 * gated-gelu {@code wo(dropout(gelu_new(wi_0 x) * wi_1 x))}.
 */
public final class T5FeedForward {
    private T5FeedForward() { }

    public static Tensor forward(T5Parameters p, T5Names.FeedForward n, Tensor x, T5Dropout dropout) {
        Tensor hidden;
        if (n.wi() != null) {
            hidden = F.relu(F.linear(x, p.get(n.wi())));
        } else {
            hidden = F.mul(F.geluNew(F.linear(x, p.get(n.wi0()))), F.linear(x, p.get(n.wi1())));
        }
        return F.linear(dropout.apply(hidden), p.get(n.wo()));
    }
}
