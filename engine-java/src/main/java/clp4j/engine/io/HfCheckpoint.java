package clp4j.engine.io;

import clp4j.engine.backend.Backend;
import clp4j.engine.t5.T5Config;
import clp4j.engine.tensor.DType;
import clp4j.engine.tensor.Tensor;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Hugging Face T5 checkpoint directory: {@code config.json}, weights ({@code model.safetensors} or
 * the shards of {@code model.safetensors.index.json}) and the tokenizer's {@code spiece.model}.
 *
 * <p>Loading resolves the reference's aliases: the embedding may be stored as {@code shared.weight}
 * and/or {@code encoder.embed_tokens.weight} / {@code decoder.embed_tokens.weight} (all one tensor);
 * {@code lm_head.weight} is absent or equal to it when tied. The result holds exactly the names of
 * {@link T5ParamNames#expected}. Pickled PyTorch weights are refused, never unpickled.
 *
 * @param config    the model's settings
 * @param params    HF parameter name -> tensor on the backend the checkpoint was loaded to; owned by this object
 * @param tokenizer the directory's {@code spiece.model}, or null when it has none
 */
public record HfCheckpoint(T5Config config, Map<String, Tensor> params, Path tokenizer) implements AutoCloseable {
    public static final String TOKENIZER_FILE = "spiece.model";
    private static final List<String> PICKLE_SUFFIXES = List.of(".bin", ".pt", ".pth", ".ckpt", ".pkl");

    /** Loads {@code dir} onto {@code backend}. */
    public static HfCheckpoint load(Path dir, Backend backend) throws IOException {
        if (!Files.isDirectory(dir)) throw new FormatException(dir + " is not a directory; pass a Hugging Face checkpoint directory");
        Path configFile = dir.resolve(HfConfig.FILE);
        if (!Files.isRegularFile(configFile)) {
            throw new FormatException(dir + " has no " + HfConfig.FILE + "; a Hugging Face checkpoint directory needs config.json beside the weights");
        }
        T5Config config = HfConfig.readT5(configFile);
        try (SafetensorsWeights w = openWeights(dir)) {
            Map<String, String> source = resolveNames(config, w);
            Map<String, Tensor> stored = w.readAll(source.values(), backend);
            Map<String, Tensor> params = new LinkedHashMap<>();
            source.forEach((name, storedName) -> params.put(name, stored.get(storedName)));
            Path tok = dir.resolve(TOKENIZER_FILE);
            return new HfCheckpoint(config, params, Files.isRegularFile(tok) ? tok : null);
        }
    }

    /** The weights of {@code dir}: model.safetensors, else the sharded index; pickles are refused. */
    public static SafetensorsWeights openWeights(Path dir) throws IOException {
        Path single = dir.resolve(SafetensorsWeights.SINGLE_FILE);
        if (Files.isRegularFile(single)) return SafetensorsWeights.openFile(single);
        Path index = dir.resolve(SafetensorsWeights.INDEX_FILE);
        if (Files.isRegularFile(index)) return SafetensorsWeights.openIndex(index);
        List<Path> pickles = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> PICKLE_SUFFIXES.stream().anyMatch(x -> p.getFileName().toString().endsWith(x))).sorted().forEach(pickles::add);
        }
        if (!pickles.isEmpty()) throw new FormatException(pickleMessage(dir, pickles.getFirst()));
        throw new FormatException(dir + " has neither " + SafetensorsWeights.SINGLE_FILE + " nor " + SafetensorsWeights.INDEX_FILE
                + "; download the safetensors weights of the checkpoint");
    }

    static String pickleMessage(Path dir, Path pickle) {
        return dir + " holds PyTorch pickle weights (" + pickle.getFileName() + ") but no safetensors; the engine never unpickles "
                + "(unpickling can run arbitrary code). Convert once with Python: "
                + "python -c \"from transformers import T5ForConditionalGeneration as M; "
                + "M.from_pretrained('" + dir + "').save_pretrained('" + dir + "', safe_serialization=True)\""
                + " or, for a bare state dict: python -c \"import torch; from safetensors.torch import save_file; "
                + "sd = torch.load('" + pickle + "', map_location='cpu'); "
                + "save_file({k: v.clone().contiguous() for k, v in sd.items()}, '" + dir.resolve(SafetensorsWeights.SINGLE_FILE)
                + "', metadata={'format': 'pt'})\"";
    }

    /** Engine name -> stored name, after checking presence, shapes, aliases and that nothing unknown is left. */
    static Map<String, String> resolveNames(T5Config config, SafetensorsWeights w) throws IOException {
        String where = "checkpoint " + w.source();
        String embed = Stream.of(T5ParamNames.SHARED, T5ParamNames.ENCODER_EMBED, T5ParamNames.DECODER_EMBED)
                .filter(w::contains).findFirst()
                .orElseThrow(() -> new FormatException(where + " has no embedding (" + T5ParamNames.SHARED + ", "
                        + T5ParamNames.ENCODER_EMBED + " or " + T5ParamNames.DECODER_EMBED + "); is it a T5 checkpoint?"));
        List<String> aliases = new ArrayList<>(List.of(T5ParamNames.SHARED, T5ParamNames.ENCODER_EMBED, T5ParamNames.DECODER_EMBED));
        if (config.tieWordEmbeddings()) aliases.add(T5ParamNames.LM_HEAD);
        for (String a : aliases) {
            if (!a.equals(embed) && w.contains(a) && !w.sameContent(a, embed)) {
                throw new FormatException(where + ": " + a + " differs from " + embed + ", but the engine uses one tensor for both"
                        + (a.equals(T5ParamNames.LM_HEAD) ? "; if the output layer is separate, set tie_word_embeddings to false in config.json" : "")
                        + "; fix the checkpoint");
            }
        }
        Map<String, String> source = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : T5ParamNames.expected(config).entrySet()) {
            String stored = e.getKey().equals(T5ParamNames.SHARED) ? embed : e.getKey();
            if (!w.contains(stored)) {
                throw new FormatException(where + " has no tensor \"" + stored + "\", which config.json ("
                        + (config.isGated() ? "gated-gelu" : "relu") + ", " + config.numLayers() + "+" + config.numDecoderLayers()
                        + " layers, tie_word_embeddings " + config.tieWordEmbeddings() + ") requires; the weights and config.json do not match");
            }
            int[] shape = w.entry(stored).shape();
            if (!Arrays.equals(shape, e.getValue())) {
                throw new FormatException(where + ": tensor \"" + stored + "\" has shape " + Arrays.toString(shape) + " but config.json implies "
                        + Arrays.toString(e.getValue()) + "; the weights and config.json do not match");
            }
            source.put(e.getKey(), stored);
        }
        List<String> unknown = w.names().stream()
                .filter(n -> !source.containsValue(n) && !aliases.contains(n) && !T5ParamNames.IGNORED.contains(n)).toList();
        if (!unknown.isEmpty()) {
            throw new FormatException(where + " holds " + unknown.size() + " tensor(s) a T5 model with this config.json does not have, e.g. "
                    + unknown.subList(0, Math.min(5, unknown.size())) + "; the weights and config.json do not match");
        }
        return source;
    }

    /**
     * Writes a checkpoint directory: config.json (HF field names), model.safetensors in {@code dtype}
     * with metadata {"format": "pt"} (what HF loaders expect), and a copy of {@code tokenizer} if not null.
     * {@code params} must hold exactly the names and shapes of {@link T5ParamNames#expected}.
     */
    public static void save(Path dir, T5Config config, Map<String, Tensor> params, DType dtype, Path tokenizer) throws IOException {
        Map<String, int[]> expected = T5ParamNames.expected(config);
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            Tensor t = params.get(e.getKey());
            if (t == null) throw new IllegalArgumentException("cannot save " + dir + ": parameter \"" + e.getKey() + "\" is missing");
            if (!Arrays.equals(t.shape(), e.getValue())) {
                throw new IllegalArgumentException("cannot save " + dir + ": parameter \"" + e.getKey() + "\" has shape "
                        + Arrays.toString(t.shape()) + ", the config implies " + Arrays.toString(e.getValue()));
            }
        }
        for (String n : params.keySet()) {
            if (!expected.containsKey(n)) throw new IllegalArgumentException("cannot save " + dir + ": \"" + n + "\" is not a parameter of this T5 config");
        }
        Files.createDirectories(dir);
        SafetensorsWriter.write(dir.resolve(SafetensorsWeights.SINGLE_FILE), params, dtype, Map.of("format", "pt"));
        HfConfig.write(dir.resolve(HfConfig.FILE), config);
        if (tokenizer != null) {
            Path target = dir.resolve(TOKENIZER_FILE);
            if (!Files.isSameFile(tokenizer.toAbsolutePath().getParent(), dir) || !tokenizer.getFileName().toString().equals(TOKENIZER_FILE)) {
                AtomicFiles.write(target, ch -> {
                    try (FileChannel src = FileChannel.open(tokenizer, StandardOpenOption.READ)) {
                        long size = src.size();
                        for (long at = 0; at < size; ) at += src.transferTo(at, size - at, ch);
                    }
                });
            }
        }
    }

    /** Closes every parameter tensor. */
    @Override
    public void close() {
        params.values().forEach(Tensor::close);
    }
}
