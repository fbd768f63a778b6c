package clp4j.nativ.cuda.lab;

import clp4j.engine.autodiff.TensorScope;
import clp4j.engine.backend.Backend;
import clp4j.engine.tensor.Tensor;

/** Runs a case on the reference and on another backend from identical inputs and compares the outputs. */
public final class LabCheck {
    private LabCheck() { }

    /** Worst error over all outputs, each element scaled as |got - want| / (1 + |want|); NaN where one side is NaN and the other not. */
    public static double maxError(LabCase c, Backend reference, Backend other, long seed) {
        float[][] want = outputs(c, reference, seed), got = outputs(c, other, seed);
        double worst = 0;
        for (int o = 0; o < want.length; o++) {
            for (int i = 0; i < want[o].length; i++) {
                float w = want[o][i], g = got[o][i];
                if (Float.isNaN(w) || Float.isNaN(g)) {
                    if (Float.isNaN(w) != Float.isNaN(g)) return Double.NaN;
                    continue;
                }
                if (Float.isInfinite(w) || Float.isInfinite(g)) {
                    if (w != g) return Double.POSITIVE_INFINITY;
                    continue;
                }
                worst = Math.max(worst, Math.abs((double) g - w) / (1 + Math.abs(w)));
            }
        }
        return worst;
    }

    private static float[][] outputs(LabCase c, Backend b, long seed) {
        try (TensorScope scope = TensorScope.open()) {
            LabCase.Instance inst = c.factory().create(b, new LabCase.Init(seed, true));
            inst.run();
            Tensor[] outs = inst.outputs();
            float[][] host = new float[outs.length][];
            for (int i = 0; i < outs.length; i++) host[i] = outs[i].toArray();
            return host;
        }
    }
}
