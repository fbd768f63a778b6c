package clp4j.engine.optim;

import clp4j.engine.io.FormatException;
import clp4j.engine.io.SafetensorsFile;
import clp4j.engine.io.SafetensorsWriter;
import clp4j.engine.io.TensorEntry;
import clp4j.engine.tensor.DType;
import clp4j.engine.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Optimizer state as one safetensors file: the state tensors in F32 (bit-exact) under their
 * {@link OptimizerState} names ({@code {param}.adafactor.v_row}, ...), and in {@code __metadata__}
 * the kind ({@value OptimizerState#KIND_KEY}), the step count ({@value OptimizerState#STEP_KEY})
 * and every hyper-parameter, schedule included, as {@code optimizer.{name}}. The file is replaced
 * atomically by the writer.
 */
public final class OptimizerCheckpoint {
    private OptimizerCheckpoint() { }

    /** Writes {@code optimizer}'s complete state to {@code file}. */
    public static void save(Optimizer optimizer, Path file) throws IOException {
        OptimizerState s = optimizer.state();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(OptimizerState.KIND_KEY, s.kind());
        meta.put(OptimizerState.STEP_KEY, Long.toString(s.step()));
        s.hyperParameters().forEach((k, v) -> meta.put(OptimizerState.HYPER_PREFIX + k, v));
        SafetensorsWriter.write(file, s.tensors(), DType.F32, meta);
    }

    /**
     * Restores {@code optimizer} from {@code file} exactly (see {@link Optimizer#loadState}). A file
     * that is not an optimizer state, holds another dtype than F32, or belongs to a model with other
     * parameter names or shapes is an exception naming the file and the tensor or parameter.
     */
    public static void restore(Optimizer optimizer, Path file) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            Map<String, String> meta = f.metadata();
            String kind = meta.get(OptimizerState.KIND_KEY);
            String step = meta.get(OptimizerState.STEP_KEY);
            if (kind == null || step == null) {
                throw new FormatException(file + " is not an optimizer state: its metadata lacks "
                        + OptimizerState.KIND_KEY + " or " + OptimizerState.STEP_KEY + "; pass the file written by "
                        + "OptimizerCheckpoint.save");
            }
            long stepCount;
            try {
                stepCount = Long.parseLong(step);
            } catch (NumberFormatException e) {
                throw new FormatException(file + ": metadata " + OptimizerState.STEP_KEY + " = '" + step
                        + "' is not an integer");
            }
            Map<String, String> hyper = new LinkedHashMap<>();
            meta.forEach((k, v) -> {
                if (k.startsWith(OptimizerState.HYPER_PREFIX) && !k.equals(OptimizerState.KIND_KEY)
                        && !k.equals(OptimizerState.STEP_KEY)) {
                    hyper.put(k.substring(OptimizerState.HYPER_PREFIX.length()), v);
                }
            });
            for (TensorEntry e : f.tensors().values()) {
                if (e.dtype() != DType.F32) {
                    throw new FormatException(file + ": optimizer state tensor '" + e.name() + "' is " + e.dtype()
                            + "; optimizer state is stored in F32 so that a restore is exact");
                }
                tensors.put(e.name(), f.read(e.name(), optimizer.backend()));
            }
            optimizer.loadState(new OptimizerState(kind, stepCount, hyper, tensors));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        } finally {
            for (Tensor t : tensors.values()) t.close();
        }
    }
}
