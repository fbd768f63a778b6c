package clp4j.engine.t5;

import clp4j.engine.autodiff.F;
import clp4j.engine.tensor.Tensor;

/**
 * Logits from final decoder states [..., d_model]: tied (v1.0) {@code (h * d_model^-0.5) shared^T};
 * untied (v1.1 / FLAN) {@code h lm_head^T} with no scaling.
 */
public final class T5LmHead {
    private T5LmHead() { }

    public static Tensor logits(T5Parameters p, Tensor hidden) {
        T5Config c = p.config();
        if (c.tieWordEmbeddings()) {
            return F.linear(F.scale(hidden, (float) Math.pow(c.dModel(), -0.5)), p.get(T5Names.SHARED));
        }
        return F.linear(hidden, p.get(T5Names.LM_HEAD));
    }
}
