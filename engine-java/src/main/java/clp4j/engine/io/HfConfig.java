package clp4j.engine.io;

import clp4j.engine.t5.T5Config;
import clp4j.engine.t5.T5Config.FeedForward;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hugging Face {@code config.json} for T5 / FLAN-T5, read into {@link T5Config} with the reference's
 * defaults (HF {@code T5Config}) and written back with HF field names.
 *
 * <p>Activation: {@code feed_forward_proj} ("relu" or "gated-gelu", default "relu") gives the
 * activation and gating; {@code dense_act_fn} and {@code is_gated_act}, when present, override them
 * as they do in the reference. The engine runs relu ungated (T5 v1.0) and gelu_new gated (v1.1/FLAN).
 */
public final class HfConfig {
    public static final String FILE = "config.json";
    private static final long MAX_CONFIG_BYTES = 1_000_000L;

    private HfConfig() { }

    public static T5Config readT5(Path configJson) throws IOException {
        Object root = Json.parseFile(configJson, MAX_CONFIG_BYTES);
        if (!(root instanceof Map<?, ?> m)) {
            throw new FormatException(configJson + ": a JSON " + Json.typeName(root) + ", expected an object of T5 settings");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) m;
        return fromJson(fields, configJson.toString());
    }

    /** Parses the fields of a config.json; {@code source} names it in errors. */
    public static T5Config fromJson(Map<String, Object> f, String source) throws FormatException {
        Fields c = new Fields(f, source);
        Object modelType = f.get("model_type");
        if (modelType != null && !"t5".equals(modelType) && !"mt5".equals(modelType)) {
            throw new FormatException(source + ": model_type is " + modelType + ", but this engine runs T5 (model_type \"t5\"); "
                    + "use a T5 or FLAN-T5 checkpoint");
        }
        if (f.containsKey("is_encoder_decoder") && !Boolean.TRUE.equals(f.get("is_encoder_decoder"))) {
            throw new FormatException(source + ": is_encoder_decoder is " + f.get("is_encoder_decoder") + "; T5 is an encoder-decoder model");
        }
        int vocab = c.positive("vocab_size", 32128);
        int dModel = c.positive("d_model", 512);
        int dKv = c.positive("d_kv", 64);
        int dFf = c.positive("d_ff", 2048);
        int heads = c.positive("num_heads", 8);
        int layers = c.positive("num_layers", 6);
        int decLayers = c.positive("num_decoder_layers", layers);
        int buckets = c.integer("relative_attention_num_buckets", 32);
        if (buckets < 4) {
            throw new FormatException(source + ": relative_attention_num_buckets = " + buckets
                    + " must be at least 4 (the encoder splits the buckets by direction, then into exact and log-spaced halves)");
        }
        int maxDistance = c.integer("relative_attention_max_distance", 128);
        if (maxDistance <= buckets / 2) {
            throw new FormatException(source + ": relative_attention_max_distance = " + maxDistance
                    + " must exceed relative_attention_num_buckets / 2 = " + buckets / 2 + " (the log-spaced buckets need the room)");
        }
        float eps = (float) c.number("layer_norm_epsilon", 1e-6);
        if (!(eps > 0) || !Float.isFinite(eps)) {
            throw new FormatException(source + ": layer_norm_epsilon = " + c.raw("layer_norm_epsilon") + " must be a positive float number");
        }
        float dropout = (float) c.number("dropout_rate", 0.1);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new FormatException(source + ": dropout_rate = " + c.raw("dropout_rate") + " must be in [0, 1)");
        }
        FeedForward ff = feedForward(c, source);
        boolean tie = c.bool("tie_word_embeddings", true);
        int pad = c.tokenId("pad_token_id", 0, vocab);
        int eos = c.tokenId("eos_token_id", 1, vocab);
        int start = c.tokenId("decoder_start_token_id", pad, vocab);
        for (long[] p : new long[][] {{vocab, dModel}, {heads, dKv}, {(long) heads * dKv, dModel}, {dModel, dFf}, {buckets, heads}}) {
            if (p[0] * p[1] > Integer.MAX_VALUE) {
                throw new FormatException(source + ": a weight of " + p[0] + " x " + p[1] + " elements is larger than one engine tensor "
                        + "can hold (2^31-1); check vocab_size, d_model, d_kv, d_ff, num_heads");
            }
        }
        return new T5Config(vocab, dModel, dKv, dFf, heads, layers, decLayers, buckets, maxDistance, eps, dropout, ff, tie,
                pad, eos, start);
    }

    private static FeedForward feedForward(Fields c, String source) throws FormatException {
        String proj = c.string("feed_forward_proj", "relu");
        String[] parts = proj.split("-", -1);
        if (parts.length > 2 || (parts.length == 2 && !parts[0].equals("gated"))) {
            throw new FormatException(source + ": feed_forward_proj = \"" + proj + "\" is not of the form ACT or gated-ACT; "
                    + "T5 v1.0 uses \"relu\", T5 v1.1 / FLAN-T5 \"gated-gelu\"");
        }
        String act = proj.equals("gated-gelu") ? "gelu_new" : parts[parts.length - 1];
        boolean gated = parts[0].equals("gated");
        act = c.string("dense_act_fn", act);
        gated = c.bool("is_gated_act", gated);
        if (act.equals("relu") && !gated) return FeedForward.RELU;
        if (act.equals("gelu_new") && gated) return FeedForward.GATED_GELU;
        throw new FormatException(source + ": feed_forward_proj = \"" + proj + "\"" + (c.has("dense_act_fn") ? ", dense_act_fn = \"" + act + "\"" : "")
                + (c.has("is_gated_act") ? ", is_gated_act = " + gated : "") + " give a " + (gated ? "gated " : "") + act
                + " feed-forward, which the engine does not run; it runs \"relu\" (T5 v1.0) and \"gated-gelu\" with gelu_new (T5 v1.1 / FLAN-T5)");
    }

    /** The config.json fields (HF names and conventions) for {@code c}. */
    public static Map<String, Object> toJson(T5Config c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architectures", List.of("T5ForConditionalGeneration"));
        m.put("d_ff", c.dFf());
        m.put("d_kv", c.dKv());
        m.put("d_model", c.dModel());
        m.put("decoder_start_token_id", c.decoderStartTokenId());
        m.put("dense_act_fn", c.isGated() ? "gelu_new" : "relu");
        m.put("dropout_rate", c.dropoutRate());
        m.put("eos_token_id", c.eosTokenId());
        m.put("feed_forward_proj", c.isGated() ? "gated-gelu" : "relu");
        m.put("is_encoder_decoder", true);
        m.put("is_gated_act", c.isGated());
        m.put("layer_norm_epsilon", c.layerNormEpsilon());
        m.put("model_type", "t5");
        m.put("num_decoder_layers", c.numDecoderLayers());
        m.put("num_heads", c.numHeads());
        m.put("num_layers", c.numLayers());
        m.put("pad_token_id", c.padTokenId());
        m.put("relative_attention_max_distance", c.relativeAttentionMaxDistance());
        m.put("relative_attention_num_buckets", c.relativeAttentionNumBuckets());
        m.put("tie_word_embeddings", c.tieWordEmbeddings());
        m.put("vocab_size", c.vocabSize());
        return m;
    }

    /** Writes {@code c} as config.json at {@code file}, atomically. */
    public static void write(Path file, T5Config c) throws IOException {
        AtomicFiles.writeString(file, JsonWriter.pretty(toJson(c)));
    }

    /** Typed access to config fields with defaults; errors name the file and field. */
    private record Fields(Map<String, Object> f, String source) {
        boolean has(String k) { return f.containsKey(k) && f.get(k) != Json.NULL; }

        Object raw(String k) { return f.get(k); }

        /** A JSON null counts as absent, as HF's None does for optional settings. */
        private Object get(String k) { Object v = f.get(k); return v == Json.NULL ? null : v; }

        int integer(String k, int dflt) throws FormatException {
            Object v = get(k);
            if (v == null) return dflt;
            if (!(v instanceof Long n)) {
                throw new FormatException(source + ": " + k + " = " + v + " (a JSON " + Json.typeName(v) + ") must be an integer; fix config.json");
            }
            if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
                throw new FormatException(source + ": " + k + " = " + v + " does not fit a 32-bit integer; fix config.json");
            }
            return (int) (long) n;
        }

        int positive(String k, int dflt) throws FormatException {
            int n = integer(k, dflt);
            if (n <= 0) throw new FormatException(source + ": " + k + " = " + n + " must be positive; fix config.json");
            return n;
        }

        int tokenId(String k, int dflt, int vocab) throws FormatException {
            int n = integer(k, dflt);
            if (n < 0 || n >= vocab) {
                throw new FormatException(source + ": " + k + " = " + n + " is outside the vocabulary [0, " + vocab + "); fix config.json");
            }
            return n;
        }

        double number(String k, double dflt) throws FormatException {
            Object v = get(k);
            if (v == null) return dflt;
            if (v instanceof Long n) return n;
            if (v instanceof Double d) return d;
            throw new FormatException(source + ": " + k + " = " + v + " (a JSON " + Json.typeName(v) + ") must be a number; fix config.json");
        }

        boolean bool(String k, boolean dflt) throws FormatException {
            Object v = get(k);
            if (v == null) return dflt;
            if (v instanceof Boolean b) return b;
            throw new FormatException(source + ": " + k + " = " + v + " (a JSON " + Json.typeName(v) + ") must be true or false; fix config.json");
        }

        String string(String k, String dflt) throws FormatException {
            Object v = get(k);
            if (v == null) return dflt;
            if (v instanceof String s) return s;
            throw new FormatException(source + ": " + k + " = " + v + " (a JSON " + Json.typeName(v) + ") must be a string; fix config.json");
        }
    }
}
