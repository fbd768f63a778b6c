package clp4j.engine.t5.generate;

import clp4j.engine.backend.Backend;
import clp4j.engine.io.HfCheckpoint;
import clp4j.engine.io.SafetensorsFile;
import clp4j.engine.t5.T5Config;
import clp4j.engine.t5.T5Fixtures;
import clp4j.engine.t5.T5Model;
import clp4j.engine.t5.T5Parameters;
import clp4j.engine.t5.TokenBatch;

import java.io.IOException;

/** The t5 golden fixtures (made by src/test/resources/t5/make_fixtures.py), loaded for generation tests. */
final class GenFixtures {
    private GenFixtures() { }

    /** As {@link T5Fixtures#parameters} but without gradients: generation needs none. */
    static T5Parameters parameters(String model, Backend backend) throws IOException {
        HfCheckpoint ckpt = HfCheckpoint.load(T5Fixtures.dir().resolve(model), backend);
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

    /** The padded source batch of the model's golden fixture. */
    static TokenBatch source(String model) throws IOException {
        try (SafetensorsFile g = T5Fixtures.golden(model)) {
            return source(g);
        }
    }

    /** The fixture's padded source batch. */
    static TokenBatch source(SafetensorsFile g) throws IOException {
        int[] shape = g.entry("input_ids").shape();
        return new TokenBatch(T5Fixtures.ints(g.readF32("input_ids")), T5Fixtures.ints(g.readF32("attention_mask")), shape[0], shape[1]);
    }

    /** Row b of a padded batch on its own, without padding. */
    static TokenBatch row(TokenBatch batch, int b) {
        int n = 0;
        for (int j = 0; j < batch.length(); j++) if (batch.mask() == null || batch.mask()[b * batch.length() + j] == 1) n++;
        int[] ids = new int[n];
        System.arraycopy(batch.ids(), b * batch.length(), ids, 0, n);
        return TokenBatch.of(ids, 1, n);
    }
}
