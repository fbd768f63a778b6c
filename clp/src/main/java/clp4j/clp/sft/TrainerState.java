package clp4j.clp.sft;

import clp4j.engine.io.FormatException;
import clp4j.engine.io.Json;
import clp4j.engine.io.JsonWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code trainer_state.json} of a checkpoint: where the run stands ({@code step}; the data position,
 * epoch and cursor, which follow from step and seed, recorded to be checked) and the settings that
 * must not change on resume, or the continuation would not be the same run.
 */
public record TrainerState(long step, long epoch, int cursor, long samplesSeen, float lastLoss, Map<String, String> run) {
    public static final String FILE = "trainer_state.json";
    static final int FORMAT = 1;

    public TrainerState {
        run = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(run));
    }

    /** The settings recorded to refuse an inconsistent resume. */
    static Map<String, String> runIdentity(SftConfig c, String modelSource, String trainFingerprint) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", modelSource);
        m.put("train_data", trainFingerprint);
        m.put("seed", Long.toString(c.seed()));
        m.put("batch_size", Integer.toString(c.batchSize()));
        m.put("learning_rate", Float.toString(c.effectiveLearningRate()));
        m.put("input_template", c.inputTemplate().template());
        m.put("max_source_length", Integer.toString(c.maxSourceLength()));
        m.put("max_target_length", Integer.toString(c.maxTargetLength()));
        m.put("dropout_rate", String.valueOf(c.dropoutRate()));
        return m;
    }

    /** An error naming the first setting of {@code current} that differs from this checkpoint's. */
    void requireSameRun(Map<String, String> current, Path where) {
        for (Map.Entry<String, String> e : current.entrySet()) {
            String was = run.get(e.getKey());
            if (!e.getValue().equals(was)) {
                throw new IllegalArgumentException("cannot resume from " + where + ": it was trained with " + e.getKey() + " = "
                        + was + " but this run has " + e.getValue() + "; resume with the same settings, or start a new run in another --out");
            }
        }
    }

    String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", (long) FORMAT);
        m.put("step", step);
        m.put("epoch", epoch);
        m.put("cursor", (long) cursor);
        m.put("samples_seen", samplesSeen);
        m.put("last_loss", Float.toString(lastLoss));
        m.put("run", new LinkedHashMap<>(run));
        return JsonWriter.pretty(m);
    }

    static TrainerState read(Path file) throws IOException {
        Object root = Json.parseFile(file, 1_000_000L);
        if (!(root instanceof Map<?, ?> m) || !(m.get("run") instanceof Map<?, ?> run)) {
            throw new FormatException(file + " is not a trainer state (expected an object with \"step\" and \"run\"); "
                    + "delete this checkpoint folder and resume from an older one");
        }
        if (!Long.valueOf(FORMAT).equals(m.get("format"))) {
            throw new FormatException(file + ": format " + m.get("format") + " is not " + FORMAT + "; it was written by another clp4j version");
        }
        Map<String, String> r = new LinkedHashMap<>();
        run.forEach((k, v) -> r.put((String) k, String.valueOf(v)));
        try {
            return new TrainerState(longField(file, m, "step"), longField(file, m, "epoch"), (int) longField(file, m, "cursor"),
                    longField(file, m, "samples_seen"), Float.parseFloat(String.valueOf(m.get("last_loss"))), r);
        } catch (NumberFormatException e) {
            throw new FormatException(file + ": last_loss is not a number: " + m.get("last_loss"));
        }
    }

    private static long longField(Path file, Map<?, ?> m, String name) throws FormatException {
        if (m.get(name) instanceof Long l && l >= 0) return l;
        throw new FormatException(file + ": field \"" + name + "\" = " + m.get(name) + " is not a non-negative integer");
    }
}
