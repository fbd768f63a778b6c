package clp4j.clp.sft;

import clp4j.engine.io.FormatException;
import clp4j.engine.io.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads an {@link SftConfig} from a small JSON object whose fields are the snake_case names listed in
 * {@link SftConfig}; absent fields keep their defaults, relative paths are resolved against the
 * config file's folder. An unknown field, a wrong type or a bad value is an error naming the file and
 * the field.
 */
public final class SftConfigJson {
    public static final List<String> FIELDS = List.of("train_file", "validation_file", "tokenizer", "checkpoint", "model",
            "backend", "input_template", "max_source_length", "max_target_length", "steps", "batch_size", "learning_rate",
            "seed", "dropout_rate", "log_every", "eval_every", "eval_examples", "checkpoint_every", "keep_checkpoints",
            "samples", "max_new_tokens");
    public static final List<String> MODEL_FIELDS = List.of("d_model", "d_kv", "d_ff", "num_heads", "num_layers", "num_decoder_layers");

    private SftConfigJson() { }

    /** The defaults overridden by {@code file}'s fields. */
    public static SftConfig.Builder read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new FormatException("config file " + file + " does not exist or is not a file");
        Object root = Json.parseFile(file, 1_000_000L);
        if (!(root instanceof Map<?, ?> m)) {
            throw new FormatException(file + ": a JSON " + Json.typeName(root) + ", expected an object of SFT settings " + FIELDS);
        }
        SftConfig.Builder b = SftConfig.builder();
        Path base = file.toAbsolutePath().getParent();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String key = (String) e.getKey();
            Object v = e.getValue();
            Field f = new Field(file, key, v);
            switch (key) {
                case "train_file" -> b.trainFile = f.path(base);
                case "validation_file" -> b.validationFile = f.path(base);
                case "tokenizer" -> b.tokenizer = f.path(base);
                case "checkpoint" -> b.checkpoint = f.path(base);
                case "model" -> b.model = model(file, v);
                case "backend" -> b.backend = f.string();
                case "input_template" -> b.inputTemplate = f.string();
                case "max_source_length" -> b.maxSourceLength = f.integer();
                case "max_target_length" -> b.maxTargetLength = f.integer();
                case "steps" -> b.steps = f.integer();
                case "batch_size" -> b.batchSize = f.integer();
                case "learning_rate" -> b.learningRate = f.number();
                case "seed" -> b.seed = f.longInteger();
                case "dropout_rate" -> b.dropoutRate = v == Json.NULL ? null : f.number();
                case "log_every" -> b.logEvery = f.integer();
                case "eval_every" -> b.evalEvery = f.integer();
                case "eval_examples" -> b.evalExamples = f.integer();
                case "checkpoint_every" -> b.checkpointEvery = f.integer();
                case "keep_checkpoints" -> b.keepCheckpoints = f.integer();
                case "samples" -> b.samples = f.integer();
                case "max_new_tokens" -> b.maxNewTokens = f.integer();
                default -> throw new FormatException(file + ": unknown field \"" + key + "\"; the SFT settings are " + FIELDS);
            }
        }
        return b;
    }

    private static ModelSize model(Path file, Object v) throws FormatException {
        if (!(v instanceof Map<?, ?> m)) {
            throw new FormatException(file + ": field \"model\" is a JSON " + Json.typeName(v) + ", expected an object with " + MODEL_FIELDS);
        }
        ModelSize d = ModelSize.DEFAULT;
        int[] x = {d.dModel(), d.dKv(), d.dFf(), d.numHeads(), d.numLayers(), d.numDecoderLayers()};
        for (Map.Entry<?, ?> e : m.entrySet()) {
            int i = MODEL_FIELDS.indexOf((String) e.getKey());
            if (i < 0) throw new FormatException(file + ": unknown field \"model." + e.getKey() + "\"; model fields are " + MODEL_FIELDS);
            x[i] = new Field(file, "model." + e.getKey(), e.getValue()).integer();
        }
        try {
            return new ModelSize(x[0], x[1], x[2], x[3], x[4], x[5]);
        } catch (IllegalArgumentException e) {
            throw new FormatException(file + ": " + e.getMessage());
        }
    }

    /** One field's value with typed accessors whose errors name the file and field. */
    private record Field(Path file, String name, Object value) {
        String string() throws FormatException {
            if (value instanceof String s) return s;
            throw wrongType("a string");
        }

        Path path(Path base) throws FormatException {
            String s = string();
            if (s.isBlank()) throw new FormatException(file + ": field \"" + name + "\" is empty; give a path or omit the field");
            return base.resolve(s).normalize();
        }

        long longInteger() throws FormatException {
            if (value instanceof Long l) return l;
            throw wrongType("an integer");
        }

        int integer() throws FormatException {
            long l = longInteger();
            if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                throw new FormatException(file + ": field \"" + name + "\" = " + l + " is out of range");
            }
            return (int) l;
        }

        float number() throws FormatException {
            if (value instanceof Long l) return l;
            if (value instanceof Double d) return d.floatValue();
            throw wrongType("a number");
        }

        private FormatException wrongType(String expected) {
            return new FormatException(file + ": field \"" + name + "\" is a JSON " + Json.typeName(value) + ", expected " + expected);
        }
    }
}
