package clp4j.engine.t5.generate;

import clp4j.engine.autodiff.F;
import clp4j.engine.backend.Backend;
import clp4j.engine.io.HfCheckpoint;
import clp4j.engine.io.SafetensorsFile;
import clp4j.engine.t5.T5Config;
import clp4j.engine.t5.T5Dropout;
import clp4j.engine.t5.T5Model;
import clp4j.engine.t5.T5Parameters;
import clp4j.engine.t5.TokenBatch;
import clp4j.engine.tensor.Tensor;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** The t5 golden fixtures (made by src/test/resources/t5/make_fixtures.py), loaded for generation tests. */
final class GenFixtures {
    private GenFixtures() { }

    static Path dir(String model) {
        try {
            return Path.of(GenFixtures.class.getResource("/t5/" + model + "/config.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static T5Parameters parameters(String model, Backend backend) throws IOException {
        HfCheckpoint ckpt = HfCheckpoint.load(dir(model), backend);
        return T5Parameters.of(ckpt.config(), ckpt.params());
    }

    /** The same weights with another eos id (random fixture models rarely emit id 1). */
    static T5Model withEos(T5Parameters p, int eos) {
        T5Config c = p.config();
        T5Config e = new T5Config(c.vocabSize(), c.dModel(), c.dKv(), c.dFf(), c.numHeads(), c.numLayers(),
                c.numDecoderLayers(), c.relativeAttentionNumBuckets(), c.relativeAttentionMaxDistance(),
                c.layerNormEpsilon(), c.dropoutRate(), c.feedForwardProj(), c.tieWordEmbeddings(), c.padTokenId(), eos,
                c.decoderStartTokenId());
        return new T5Model(T5Parameters.of(e, p.asMap()));
    }

    static SafetensorsFile golden(String model) throws IOException {
        return SafetensorsFile.open(dir(model).resolve("golden.safetensors"));
    }

    static int[] ints(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) out[i] = Math.round(values[i]);
        return out;
    }

    /** The fixture's padded source batch. */
    static TokenBatch source(SafetensorsFile g) throws IOException {
        int[] shape = g.entry("input_ids").shape();
        return new TokenBatch(ints(g.readF32("input_ids")), ints(g.readF32("attention_mask")), shape[0], shape[1]);
    }

    /** Row b of a padded batch on its own, without padding. */
    static TokenBatch row(TokenBatch batch, int b) {
        int n = 0;
        for (int j = 0; j < batch.length(); j++) if (batch.mask() == null || batch.mask()[b * batch.length() + j] == 1) n++;
        int[] ids = new int[n];
        System.arraycopy(batch.ids(), b * batch.length(), ids, 0, n);
        return TokenBatch.of(ids, 1, n);
    }

    /**
     * Greedy decoding without any cache: the whole growing prefix through the decoder each step, exactly
     * {@code steps} steps. Call under noGrad. Returns [batch, steps] tokens.
     */
    static int[] greedyWithoutCache(T5Model m, TokenBatch source, int steps) {
        T5Config c = m.config();
        int b = source.batch();
        int vocab = c.vocabSize();
        Tensor enc = m.encode(source, T5Dropout.OFF);
        Tensor mask = m.encoderMask(source);
        int[] seq = new int[b * (steps + 1)];
        for (int r = 0; r < b; r++) seq[r * (steps + 1)] = c.decoderStartTokenId();
        for (int step = 0; step < steps; step++) {
            int len = step + 1;
            int[] prefix = new int[b * len];
            for (int r = 0; r < b; r++) System.arraycopy(seq, r * (steps + 1), prefix, r * len, len);
            Tensor logits = m.decodeLogits(enc, mask, TokenBatch.of(prefix, b, len), null, T5Dropout.OFF);
            float[] last = F.reshape(logits, b * len, vocab).toArray();
            for (int r = 0; r < b; r++) {
                seq[r * (steps + 1) + len] = TokenSampler.argmax(last, (r * len + len - 1) * vocab, vocab);
            }
        }
        int[] out = new int[b * steps];
        for (int r = 0; r < b; r++) System.arraycopy(seq, r * (steps + 1) + 1, out, r * steps, steps);
        return out;
    }
}
