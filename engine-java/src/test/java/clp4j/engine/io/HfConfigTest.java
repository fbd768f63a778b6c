package clp4j.engine.io;

import clp4j.engine.t5.T5Config;
import clp4j.engine.t5.T5Config.FeedForward;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HfConfigTest {
    @TempDir Path dir;

    /** The fields of google/flan-t5-base's config.json (as published). */
    static final String FLAN_T5_BASE = """
            {"architectures": ["T5ForConditionalGeneration"], "d_ff": 2048, "d_kv": 64, "d_model": 768,
             "decoder_start_token_id": 0, "dense_act_fn": "gelu_new", "dropout_rate": 0.1, "eos_token_id": 1,
             "feed_forward_proj": "gated-gelu", "initializer_factor": 1.0, "is_encoder_decoder": true,
             "is_gated_act": true, "layer_norm_epsilon": 1e-06, "model_type": "t5", "n_positions": 512,
             "num_decoder_layers": 12, "num_heads": 12, "num_layers": 12, "output_past": true, "pad_token_id": 0,
             "relative_attention_max_distance": 128, "relative_attention_num_buckets": 32,
             "task_specific_params": {"summarization": {"prefix": "summarize: "}}, "tie_word_embeddings": false,
             "transformers_version": "4.23.1", "use_cache": true, "vocab_size": 32128}
            """;

    /** t5-small's: no num_decoder_layers, no tie_word_embeddings, relu. */
    static final String T5_SMALL = """
            {"architectures": ["T5ForConditionalGeneration"], "d_ff": 2048, "d_kv": 64, "d_model": 512,
             "decoder_start_token_id": 0, "dropout_rate": 0.1, "eos_token_id": 1, "initializer_factor": 1.0,
             "is_encoder_decoder": true, "layer_norm_epsilon": 1e-06, "model_type": "t5", "n_positions": 512,
             "num_heads": 8, "num_layers": 6, "output_past": true, "pad_token_id": 0,
             "relative_attention_num_buckets": 32, "vocab_size": 32128}
            """;

    T5Config read(String json) throws Exception {
        Path p = dir.resolve("config.json");
        Files.writeString(p, json);
        return HfConfig.readT5(p);
    }

    @Test
    void readsFlanT5Base() throws Exception {
        assertEquals(new T5Config(32128, 768, 64, 2048, 12, 12, 12, 32, 128, 1e-6f, 0.1f, FeedForward.GATED_GELU, false, 0, 1, 0),
                read(FLAN_T5_BASE));
    }

    @Test
    void readsT5SmallWithDefaults() throws Exception {
        assertEquals(new T5Config(32128, 512, 64, 2048, 8, 6, 6, 32, 128, 1e-6f, 0.1f, FeedForward.RELU, true, 0, 1, 0),
                read(T5_SMALL));
    }

    @Test
    void appliesHfDefaultsAndAliases() throws Exception {
        T5Config c = read("{\"num_layers\": 3, \"num_decoder_layers\": null, \"dense_act_fn\": \"gelu_new\", \"is_gated_act\": true, \"pad_token_id\": 5}");
        assertEquals(3, c.numDecoderLayers());
        assertEquals(FeedForward.GATED_GELU, c.feedForwardProj());
        assertEquals(5, c.decoderStartTokenId(), "decoder_start_token_id defaults to pad_token_id");
        assertTrue(c.tieWordEmbeddings());
        assertEquals(512, c.dModel());
    }

    @Test
    void writtenConfigReadsBackIdentically() throws Exception {
        for (String json : new String[] {FLAN_T5_BASE, T5_SMALL}) {
            T5Config c = read(json);
            Path out = dir.resolve("out/config.json");
            HfConfig.write(out, c);
            assertEquals(c, HfConfig.readT5(out));
            String text = Files.readString(out);
            assertTrue(text.contains("\"feed_forward_proj\": \"" + (c.isGated() ? "gated-gelu" : "relu") + "\""), text);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"d_model\": -4}|d_model = -4 must be positive",
            "{\"d_model\": 512.0}|d_model = 512.0 (a JSON number) must be an integer",
            "{\"num_heads\": \"8\"}|num_heads = 8 (a JSON string) must be an integer",
            "{\"num_layers\": 0}|num_layers = 0 must be positive",
            "{\"d_ff\": 3000000000}|d_ff = 3000000000 does not fit a 32-bit integer",
            "{\"feed_forward_proj\": \"gated-silu\"}|gated silu feed-forward, which the engine does not run",
            "{\"feed_forward_proj\": \"gelu\"}|a gelu feed-forward",
            "{\"feed_forward_proj\": \"swish-gelu\"}|is not of the form ACT or gated-ACT",
            "{\"feed_forward_proj\": \"gated-gelu\", \"is_gated_act\": false}|is_gated_act = false give a gelu_new feed-forward",
            "{\"tie_word_embeddings\": 1}|tie_word_embeddings = 1 (a JSON integer) must be true or false",
            "{\"eos_token_id\": 40000}|eos_token_id = 40000 is outside the vocabulary [0, 32128)",
            "{\"layer_norm_epsilon\": 0}|layer_norm_epsilon = 0 must be a positive float",
            "{\"dropout_rate\": 1.5}|dropout_rate = 1.5 must be in [0, 1)",
            "{\"relative_attention_num_buckets\": 2}|relative_attention_num_buckets = 2 must be at least 4",
            "{\"relative_attention_max_distance\": 16}|relative_attention_max_distance = 16 must exceed",
            "{\"model_type\": \"bert\"}|model_type is bert",
            "{\"vocab_size\": 2000000, \"d_model\": 4096}|larger than one engine tensor",
            "[1, 2]|a JSON array, expected an object",
            "{\"d_model\": 512,}|invalid JSON",
    })
    void refusesBadConfigsNamingTheField(String json, String expected) {
        FormatException e = assertThrows(FormatException.class, () -> read(json));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains("config.json"), e.getMessage());
    }
}
