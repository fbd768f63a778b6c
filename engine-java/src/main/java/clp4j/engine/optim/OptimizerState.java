package clp4j.engine.optim;

import clp4j.engine.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot description of an optimizer: its kind, step count, hyper-parameters (as exact
 * strings: floats use {@link Float#toString}, which parses back to the same float) and state
 * tensors by name ({@code {param}.adafactor.v_row}, {@code {param}.adamw.m}, ...).
 */
public record OptimizerState(String kind, long step, Map<String, String> hyperParameters, Map<String, Tensor> tensors) {

    /** Metadata keys used when the state is stored next to its tensors (see {@link OptimizerCheckpoint}). */
    public static final String KIND_KEY = "optimizer.kind";
    public static final String STEP_KEY = "optimizer.step";
    public static final String HYPER_PREFIX = "optimizer.";

    public OptimizerState {
        if (step < 0) throw new IllegalArgumentException("optimizer step count must be >= 0, got " + step);
        hyperParameters = Collections.unmodifiableMap(new LinkedHashMap<>(hyperParameters));
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    /** The hyper-parameter {@code key}, or an exception naming it and the optimizer kind. */
    public String hyper(String key) {
        String v = hyperParameters.get(key);
        if (v == null) {
            throw new IllegalArgumentException(kind + " optimizer state lacks hyper-parameter '" + key
                    + "'; it was not saved by this version of clp4j's " + kind);
        }
        return v;
    }

    public float hyperFloat(String key) {
        try {
            return Float.parseFloat(hyper(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(kind + " optimizer state: hyper-parameter '" + key + "' = '"
                    + hyperParameters.get(key) + "' is not a number", e);
        }
    }

    public long hyperLong(String key) {
        try {
            return Long.parseLong(hyper(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(kind + " optimizer state: hyper-parameter '" + key + "' = '"
                    + hyperParameters.get(key) + "' is not an integer", e);
        }
    }

    public boolean hyperBoolean(String key) {
        String v = hyper(key);
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(kind + " optimizer state: hyper-parameter '" + key + "' = '" + v
                    + "' is not true/false");
        }
        return Boolean.parseBoolean(v);
    }
}
