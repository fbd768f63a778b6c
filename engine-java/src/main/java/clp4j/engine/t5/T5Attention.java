package clp4j.engine.t5;

import clp4j.engine.autodiff.F;
import clp4j.engine.tensor.Tensor;

/**
 * T5 multi-head attention (without its norm and residual): {@code o(softmax(q k^T + bias + mask) v)}.
 * No 1/sqrt(d_kv) scaling (T5 folds it into q's initialisation); the softmax is fp32 like every op here;
 * dropout on the attention weights. {@code bias} is [H, q, k] or null (cross-attention has none);
 * {@code mask} is additive, broadcast onto [B, H, q, k], or null.
 */
public final class T5Attention {
    private T5Attention() { }

    /** Projects x ([B, T, d_model]) with an [inner, d_model] weight and splits heads: [B, H, T, d_kv]. */
    public static Tensor project(Tensor x, Tensor weight, T5Config c) {
        int b = x.dim(0);
        int t = x.dim(1);
        return F.permute(F.reshape(F.linear(x, weight), b, t, c.numHeads(), c.dKv()), 0, 2, 1, 3);
    }

    /** Attention of queries x ([B, q, d_model]) over precomputed keys and values ([B, H, k, d_kv]); returns [B, q, d_model]. */
    public static Tensor attend(T5Parameters p, T5Names.Attention n, Tensor x, Tensor keys, Tensor values,
                                Tensor bias, Tensor mask, T5Dropout dropout) {
        T5Config c = p.config();
        int b = x.dim(0);
        int t = x.dim(1);
        Tensor q = project(x, p.get(n.q()), c);
        Tensor scores = F.matmul(q, false, keys, true);
        if (bias != null) scores = F.add(scores, bias);
        Tensor weights = dropout.apply(F.softmax(scores, mask));
        Tensor context = F.permute(F.matmul(weights, false, values, false), 0, 2, 1, 3);
        return F.linear(F.reshape(context, b, t, c.innerDim()), p.get(n.o()));
    }

    /** Attention of x over kv (both [B, *, d_model]); self-attention when kv == x. */
    public static Tensor forward(T5Parameters p, T5Names.Attention n, Tensor x, Tensor kv,
                                 Tensor bias, Tensor mask, T5Dropout dropout) {
        T5Config c = p.config();
        return attend(p, n, x, project(kv, p.get(n.k()), c), project(kv, p.get(n.v()), c), bias, mask, dropout);
    }
}
