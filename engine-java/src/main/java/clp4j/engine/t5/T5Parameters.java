package clp4j.engine.t5;

import clp4j.engine.backend.Backend;
import clp4j.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of one T5 model, held by HF name. Loading from safetensors and CLP's parameter
 * mixing (which swaps or mixes named subsets) work on this map directly; forward passes look tensors
 * up by name on every call, so a swapped tensor takes effect at once.
 */
public final class T5Parameters {
    private final T5Config config;
    private final T5Names names;
    private final Map<String, Tensor> byName;

    private T5Parameters(T5Config config, T5Names names, Map<String, Tensor> byName) {
        this.config = config;
        this.names = names;
        this.byName = byName;
    }

    /**
     * Takes the named tensors of a checkpoint (or of random initialisation). Every parameter of the
     * configuration must be present with its HF shape. The embedding aliases
     * ({@code encoder.embed_tokens.weight}, {@code decoder.embed_tokens.weight}) and, for tied models,
     * {@code lm_head.weight} are the shared table in HF and are skipped, as is the cross-attention bias
     * that t5-small carries but never uses; any other name is an error.
     */
    public static T5Parameters of(T5Config config, Map<String, Tensor> tensors) {
        T5Names names = new T5Names(config);
        Map<String, Tensor> byName = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, int[]> e : names.shapes().entrySet()) {
            Tensor t = tensors.get(e.getKey());
            if (t == null) {
                missing.add(e.getKey());
                continue;
            }
            checkShape(e.getKey(), e.getValue(), t);
            byName.put(e.getKey(), t);
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("T5 parameters missing for this config.json (" + missing.size() + "): "
                    + missing + "; check num_layers, num_decoder_layers, feed_forward_proj and tie_word_embeddings");
        }
        for (String name : tensors.keySet()) {
            boolean alias = name.equals(T5Names.ENCODER_EMBED_ALIAS) || name.equals(T5Names.DECODER_EMBED_ALIAS)
                    || name.equals(T5Names.UNUSED_CROSS_BIAS)
                    || (config.tieWordEmbeddings() && name.equals(T5Names.LM_HEAD));
            if (!byName.containsKey(name) && !alias) {
                throw new IllegalArgumentException("unexpected tensor '" + name + "' for this T5 config.json; "
                        + "the checkpoint and its config do not match");
            }
        }
        Backend backend = byName.get(T5Names.SHARED).backend();
        for (Map.Entry<String, Tensor> e : byName.entrySet()) {
            if (e.getValue().backend() != backend) {
                throw new IllegalArgumentException("parameter '" + e.getKey() + "' is on backend " + e.getValue().backend().name()
                        + " but shared.weight is on " + backend.name() + "; load all parameters on one backend");
            }
        }
        return new T5Parameters(config, names, byName);
    }

    private static void checkShape(String name, int[] expected, Tensor t) {
        if (!Arrays.equals(expected, t.shape())) {
            throw new IllegalArgumentException("parameter '" + name + "' has shape " + Arrays.toString(t.shape())
                    + " but config.json implies " + Arrays.toString(expected));
        }
    }

    public T5Config config() { return config; }
    public T5Names names() { return names; }
    public Backend backend() { return byName.get(T5Names.SHARED).backend(); }

    /** The tensor named {@code name}; an unknown name is an error listing where names come from. */
    public Tensor get(String name) {
        Tensor t = byName.get(name);
        if (t == null) throw new IllegalArgumentException("no T5 parameter named '" + name + "' (see T5Names.shapes())");
        return t;
    }

    /** Replaces one parameter (same shape and backend), e.g. with a CLP-mixed tensor; returns the previous one. */
    public Tensor set(String name, Tensor t) {
        Tensor old = get(name);
        checkShape(name, old.shape(), t);
        if (t.backend() != old.backend()) {
            throw new IllegalArgumentException("parameter '" + name + "' must stay on backend " + old.backend().name());
        }
        byName.put(name, t);
        return old;
    }

    /** Read-only name -> tensor view, in {@link T5Names#shapes()} order. */
    public Map<String, Tensor> asMap() { return Collections.unmodifiableMap(byName); }

    /** Marks every parameter as a leaf that receives a gradient (or not). */
    public T5Parameters requiresGrad(boolean requiresGrad) {
        for (Tensor t : byName.values()) t.requiresGrad(requiresGrad);
        return this;
    }

    /** Total number of scalars. */
    public long count() {
        long n = 0;
        for (Tensor t : byName.values()) n += t.numel();
        return n;
    }
}
