package clp4j.engine.io;

import org.junit.jupiter.api.AfterEach;
import clp4j.engine.autodiff.TensorScope;
import clp4j.engine.backend.ReferenceBackend;
import clp4j.engine.t5.T5Config;
import clp4j.engine.t5.T5Config.FeedForward;
import clp4j.engine.tensor.DType;
import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static clp4j.engine.io.SafetensorsRoundTripTest.bits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HfCheckpointTest {
    @TempDir Path dir;
    final ReferenceBackend backend = new ReferenceBackend();
    /** Counts tensors the test allocated and did not release (the leak check). */
    final TensorScope live = TensorScope.open();

    @AfterEach
    void closeScope() { live.close(); }

    static final T5Config TIED_RELU = new T5Config(40, 8, 4, 16, 2, 2, 1, 8, 20, 1e-6f, 0.1f, FeedForward.RELU, true, 0, 1, 0);
    static final T5Config UNTIED_GATED = new T5Config(40, 8, 3, 12, 2, 1, 2, 8, 20, 1e-6f, 0f, FeedForward.GATED_GELU, false, 0, 1, 0);

    Map<String, Tensor> randomParams(T5Config c, long seed) {
        Random r = new Random(seed);
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (var e : T5ParamNames.expected(c).entrySet()) {
            float[] v = new float[Math.toIntExact(Tensor.numel(e.getValue()))];
            for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
            m.put(e.getKey(), backend.fromArray(v, e.getValue()));
        }
        return m;
    }

    static void assertSameParams(Map<String, Tensor> want, Map<String, Tensor> got) {
        assertEquals(want.keySet(), got.keySet());
        for (String n : want.keySet()) {
            assertArrayEquals(want.get(n).shape(), got.get(n).shape(), n);
            assertArrayEquals(bits(want.get(n).toArray()), bits(got.get(n).toArray()), n);
        }
    }

    @Test
    void savedDirectoryLoadsBackIdentically() throws Exception {
        Path tok = dir.resolve("src.model");
        Files.write(tok, new byte[] {1, 2, 3, 4});
        for (T5Config c : List.of(TIED_RELU, UNTIED_GATED)) {
            Map<String, Tensor> params = randomParams(c, 1);
            Path ckpt = dir.resolve("ckpt-" + c.feedForwardProj());
            HfCheckpoint.save(ckpt, c, params, DType.F32, tok);
            try (HfCheckpoint back = HfCheckpoint.load(ckpt, backend)) {
                assertEquals(c, back.config());
                assertSameParams(params, back.params());
                assertArrayEquals(new byte[] {1, 2, 3, 4}, Files.readAllBytes(back.tokenizer()));
                assertEquals(c.tieWordEmbeddings(), !back.params().containsKey(T5ParamNames.LM_HEAD));
            }
            try (SafetensorsFile sf = SafetensorsFile.open(ckpt.resolve("model.safetensors"))) {
                assertEquals(Map.of("format", "pt"), sf.metadata());
            }
            params.values().forEach(Tensor::close);
        }
        assertEquals(0, live.trackedCount());
    }

    @Test
    void loadsOntoTheReferenceBackend() throws Exception {
        Map<String, Tensor> params = randomParams(UNTIED_GATED, 8);
        HfCheckpoint.save(dir, UNTIED_GATED, params, DType.F32, null);
        try (ReferenceBackend ref = new ReferenceBackend(); HfCheckpoint back = HfCheckpoint.load(dir, ref)) {
            assertSameParams(params, back.params());
            assertTrue(back.params().values().stream().allMatch(t -> t.backend() == ref));
        }
    }

    @Test
    void bf16CheckpointLoadsAsRoundedValues() throws Exception {
        Map<String, Tensor> params = randomParams(TIED_RELU, 2);
        HfCheckpoint.save(dir, TIED_RELU, params, DType.BF16, null);
        try (HfCheckpoint back = HfCheckpoint.load(dir, backend)) {
            assertNull(back.tokenizer());
            float[] want = params.get("shared.weight").toArray();
            float[] got = back.params().get("shared.weight").toArray();
            for (int i = 0; i < want.length; i++) assertEquals(DType.bf16ToF32(DType.f32ToBf16(want[i])), got[i]);
        }
    }

    /** Writes params under the given stored names (a foreign checkpoint's layout) plus config.json. */
    Path foreign(T5Config c, Map<String, Tensor> stored) throws Exception {
        Path d = Files.createTempDirectory(dir, "foreign");
        HfConfig.write(d.resolve("config.json"), c);
        SafetensorsWriter.write(d.resolve("model.safetensors"), stored, DType.F32, null);
        return d;
    }

    @Test
    void resolvesEmbeddingAliases() throws Exception {
        Map<String, Tensor> params = randomParams(TIED_RELU, 3);
        Tensor shared = params.get("shared.weight");
        Map<String, Tensor> stored = new LinkedHashMap<>(params);
        stored.put("encoder.embed_tokens.weight", shared);
        stored.put("decoder.embed_tokens.weight", shared);
        stored.put("lm_head.weight", shared);
        stored.put("decoder.block.0.layer.1.EncDecAttention.relative_attention_bias.weight", backend.fromArray(new float[16], 8, 2));
        try (HfCheckpoint back = HfCheckpoint.load(foreign(TIED_RELU, stored), backend)) {
            assertSameParams(params, back.params());
        }
        // Only encoder.embed_tokens.weight stored: it becomes shared.weight.
        stored = new LinkedHashMap<>(params);
        stored.remove("shared.weight");
        stored.put("encoder.embed_tokens.weight", shared);
        try (HfCheckpoint back = HfCheckpoint.load(foreign(TIED_RELU, stored), backend)) {
            assertSameParams(params, back.params());
        }
    }

    @Test
    void refusesInconsistentWeights() throws Exception {
        Map<String, Tensor> params = randomParams(TIED_RELU, 4);
        Tensor other = backend.fromArray(new float[40 * 8], 40, 8);
        Map<String, Tensor> s1 = new LinkedHashMap<>(params);
        s1.put("decoder.embed_tokens.weight", other);
        assertMessage(foreign(TIED_RELU, s1), "decoder.embed_tokens.weight differs from shared.weight");
        Map<String, Tensor> s2 = new LinkedHashMap<>(params);
        s2.put("lm_head.weight", other);
        assertMessage(foreign(TIED_RELU, s2), "set tie_word_embeddings to false");
        Map<String, Tensor> s3 = new LinkedHashMap<>(params);
        s3.remove("encoder.block.1.layer.1.DenseReluDense.wo.weight");
        assertMessage(foreign(TIED_RELU, s3), "has no tensor \"encoder.block.1.layer.1.DenseReluDense.wo.weight\", which config.json");
        Map<String, Tensor> s4 = new LinkedHashMap<>(params);
        s4.put("encoder.final_layer_norm.weight", backend.zeros(9));
        assertMessage(foreign(TIED_RELU, s4), "\"encoder.final_layer_norm.weight\" has shape [9] but config.json implies [8]");
        Map<String, Tensor> s5 = new LinkedHashMap<>(params);
        s5.put("pooler.dense.weight", backend.zeros(2));
        assertMessage(foreign(TIED_RELU, s5), "does not have, e.g. [pooler.dense.weight]");
        Map<String, Tensor> s6 = new LinkedHashMap<>(randomParams(UNTIED_GATED, 5));
        s6.remove("lm_head.weight");
        assertMessage(foreign(UNTIED_GATED, s6), "has no tensor \"lm_head.weight\"");
        Map<String, Tensor> s7 = new LinkedHashMap<>(params);
        s7.remove("shared.weight");
        assertMessage(foreign(TIED_RELU, s7), "has no embedding");
    }

    void assertMessage(Path ckpt, String expected) {
        FormatException e = assertThrows(FormatException.class, () -> HfCheckpoint.load(ckpt, backend));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(ckpt.toString()), e.getMessage());
    }

    @Test
    void readsShardedCheckpoints() throws Exception {
        Map<String, Tensor> params = randomParams(UNTIED_GATED, 6);
        Map<String, Tensor> a = new LinkedHashMap<>(), b = new LinkedHashMap<>();
        StringBuilder map = new StringBuilder();
        int i = 0;
        for (var e : params.entrySet()) {
            String shard = i++ % 2 == 0 ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
            (shard.contains("00001-") ? a : b).put(e.getKey(), e.getValue());
            map.append(map.isEmpty() ? "" : ",").append('"').append(e.getKey()).append("\":\"").append(shard).append('"');
        }
        Path d = dir.resolve("sharded");
        HfConfig.write(d.resolve("config.json"), UNTIED_GATED);
        SafetensorsWriter.write(d.resolve("model-00001-of-00002.safetensors"), a, DType.F32, Map.of("format", "pt"));
        SafetensorsWriter.write(d.resolve("model-00002-of-00002.safetensors"), b, DType.BF16, Map.of("format", "pt"));
        String index = "{\"metadata\": {\"total_size\": 1234}, \"weight_map\": {" + map + "}}";
        Files.writeString(d.resolve("model.safetensors.index.json"), index);
        try (HfCheckpoint back = HfCheckpoint.load(d, backend)) {
            for (String n : params.keySet()) {
                float[] want = params.get(n).toArray();
                if (b.containsKey(n)) for (int k = 0; k < want.length; k++) want[k] = DType.bf16ToF32(DType.f32ToBf16(want[k]));
                assertArrayEquals(bits(want), bits(back.params().get(n).toArray()), n);
            }
        }
        String first = params.keySet().iterator().next();
        Files.writeString(d.resolve("model.safetensors.index.json"), index.replace("\"" + first + "\":\"model-00001-of-00002.safetensors\"",
                "\"" + first + "\":\"model-00002-of-00002.safetensors\""));
        assertMessage(d, "weight_map puts tensor \"" + first + "\" in shard model-00002-of-00002.safetensors, which does not hold it");
        Files.writeString(d.resolve("model.safetensors.index.json"), index.replace("\"" + first + "\":\"model-00001-of-00002.safetensors\",", ""));
        assertMessage(d, "holds tensor \"" + first + "\", which weight_map does not list");
        Files.writeString(d.resolve("model.safetensors.index.json"), index.replace("model-00002-of-00002", "../model-00002-of-00002"));
        assertMessage(d, "is not a plain file name in the checkpoint directory");
        Files.writeString(d.resolve("model.safetensors.index.json"), index.replace("model-00002-of-00002", "model-00003-of-00002"));
        assertMessage(d, "shard \"model-00003-of-00002.safetensors\" listed in weight_map does not exist");
        Files.writeString(d.resolve("model.safetensors.index.json"), "{\"metadata\": {}}");
        assertMessage(d, "expected a JSON object with a \"weight_map\" object");
    }

    @Test
    void refusesPickledWeightsWithAConversionRecipe() throws Exception {
        Path d = dir.resolve("pt");
        HfConfig.write(d.resolve("config.json"), TIED_RELU);
        Files.write(d.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2});
        FormatException e = assertThrows(FormatException.class, () -> HfCheckpoint.load(d, backend));
        String m = e.getMessage();
        assertTrue(m.contains("pytorch_model.bin") && m.contains("never unpickles"), m);
        assertTrue(m.contains("save_pretrained('" + d + "', safe_serialization=True)"), m);
        assertTrue(m.contains("from safetensors.torch import save_file"), m);
    }

    @Test
    void refusesDirectoriesWithoutConfigOrWeights() throws Exception {
        Path d = Files.createDirectories(dir.resolve("empty"));
        assertMessage(d, "has no config.json");
        HfConfig.write(d.resolve("config.json"), TIED_RELU);
        assertMessage(d, "has neither model.safetensors nor model.safetensors.index.json");
        assertMessage(d.resolve("missing"), "is not a directory");
    }

    @Test
    void saveRefusesParametersThatDoNotMatchTheConfig() {
        Map<String, Tensor> params = randomParams(TIED_RELU, 7);
        params.put("lm_head.weight", backend.zeros(40, 8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HfCheckpoint.save(dir.resolve("s"), TIED_RELU, params, DType.F32, null));
        assertTrue(e.getMessage().contains("\"lm_head.weight\" is not a parameter of this T5 config"), e.getMessage());
    }
}
