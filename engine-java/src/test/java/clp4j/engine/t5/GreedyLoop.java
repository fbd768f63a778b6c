package clp4j.engine.t5;

import clp4j.engine.backend.Backend;
import clp4j.engine.tensor.Tensor;

/**
 * The plainest greedy decoder, for tests: either re-runs the decoder on the whole growing prefix
 * each step, or feeds one token per step through a {@link DecoderCache} that concatenates keys and
 * values on the host. Runs exactly {@code steps} steps (no stopping at eos), like the fixture.
 */
public final class GreedyLoop {
    private GreedyLoop() { }

    /** New tokens, [batch, steps] row-major. Call under {@code Autodiff.noGrad()}. */
    public static int[] run(T5Model m, TokenBatch source, int steps, boolean useCache) {
        T5Config c = m.config();
        int b = source.batch();
        Tensor enc = m.encode(source, T5Dropout.OFF);
        Tensor encMask = m.encoderMask(source);
        int[] seq = new int[b * (steps + 1)];
        for (int r = 0; r < b; r++) seq[r * (steps + 1)] = c.decoderStartTokenId();
        HostConcatCache cache = useCache ? new HostConcatCache(c.numDecoderLayers()) : null;
        for (int step = 0; step < steps; step++) {
            int len = step + 1;
            TokenBatch input;
            if (useCache) {
                int[] last = new int[b];
                for (int r = 0; r < b; r++) last[r] = seq[r * (steps + 1) + step];
                input = TokenBatch.of(last, b, 1);
            } else {
                int[] prefix = new int[b * len];
                for (int r = 0; r < b; r++) System.arraycopy(seq, r * (steps + 1), prefix, r * len, len);
                input = TokenBatch.of(prefix, b, len);
            }
            float[] logits = m.decodeLogits(enc, encMask, input, cache, T5Dropout.OFF).toArray();
            int rowLen = input.length();
            for (int r = 0; r < b; r++) {
                int base = (r * rowLen + rowLen - 1) * c.vocabSize();
                int best = 0;
                for (int v = 1; v < c.vocabSize(); v++) if (logits[base + v] > logits[base + best]) best = v;
                seq[r * (steps + 1) + step + 1] = best;
            }
        }
        int[] out = new int[b * steps];
        for (int r = 0; r < b; r++) System.arraycopy(seq, r * (steps + 1) + 1, out, r * steps, steps);
        return out;
    }

    /** Keys/values concatenated along the time axis by copying through host arrays (test-sized models only). */
    static final class HostConcatCache implements DecoderCache {
        private final Tensor[] selfK;
        private final Tensor[] selfV;
        private final Tensor[] crossK;
        private final Tensor[] crossV;
        private int past;

        HostConcatCache(int layers) {
            selfK = new Tensor[layers];
            selfV = new Tensor[layers];
            crossK = new Tensor[layers];
            crossV = new Tensor[layers];
        }

        @Override public int pastLength() { return past; }

        @Override public void appendSelf(int layer, Tensor keys, Tensor values) {
            selfK[layer] = concatTime(selfK[layer], keys);
            selfV[layer] = concatTime(selfV[layer], values);
        }

        @Override public Tensor selfKeys(int layer) { return selfK[layer]; }
        @Override public Tensor selfValues(int layer) { return selfV[layer]; }
        @Override public Tensor crossKeys(int layer) { return crossK[layer]; }
        @Override public Tensor crossValues(int layer) { return crossV[layer]; }

        @Override public void putCross(int layer, Tensor keys, Tensor values) {
            crossK[layer] = keys;
            crossV[layer] = values;
        }

        @Override public void advance(int newTokens) { past += newTokens; }

        /** [B, H, T1, d] ++ [B, H, T2, d] along T. */
        private static Tensor concatTime(Tensor old, Tensor add) {
            if (old == null) return add;
            int b = old.dim(0), h = old.dim(1), t1 = old.dim(2), t2 = add.dim(2), d = old.dim(3);
            float[] a = old.toArray();
            float[] x = add.toArray();
            float[] out = new float[b * h * (t1 + t2) * d];
            for (int bh = 0; bh < b * h; bh++) {
                System.arraycopy(a, bh * t1 * d, out, bh * (t1 + t2) * d, t1 * d);
                System.arraycopy(x, bh * t2 * d, out, (bh * (t1 + t2) + t1) * d, t2 * d);
            }
            Backend be = old.backend();
            return be.fromArray(out, b, h, t1 + t2, d);
        }
    }
}
