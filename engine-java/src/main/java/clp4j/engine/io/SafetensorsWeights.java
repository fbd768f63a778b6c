package clp4j.engine.io;

import clp4j.engine.backend.Backend;
import clp4j.engine.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The weights of a checkpoint: one safetensors file, or the shards listed by a
 * {@code model.safetensors.index.json} ({@code weight_map}: tensor name -> shard file name in the
 * same directory). Every shard is opened and validated up front; tensors are read on demand.
 */
public final class SafetensorsWeights implements AutoCloseable {
    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";
    private static final long MAX_INDEX_BYTES = 100_000_000L;

    private final Path source;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> owner;
    private final Map<String, String> metadata;

    private SafetensorsWeights(Path source, List<SafetensorsFile> files, Map<String, SafetensorsFile> owner, Map<String, String> metadata) {
        this.source = source;
        this.files = files;
        this.owner = owner;
        this.metadata = metadata;
    }

    /** One safetensors file. */
    public static SafetensorsWeights openFile(Path file) throws IOException {
        SafetensorsFile f = SafetensorsFile.open(file);
        Map<String, SafetensorsFile> owner = new LinkedHashMap<>();
        for (String n : f.tensors().keySet()) owner.put(n, f);
        return new SafetensorsWeights(file, List.of(f), owner, f.metadata());
    }

    /** The shards listed by {@code indexFile}; every listed tensor must be in its shard and every shard tensor listed. */
    public static SafetensorsWeights openIndex(Path indexFile) throws IOException {
        Map<String, String> weightMap = readWeightMap(indexFile);
        Path dir = indexFile.toAbsolutePath().getParent();
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        List<SafetensorsFile> opened = new ArrayList<>();
        try {
            for (String shard : new java.util.LinkedHashSet<>(weightMap.values())) {
                Path p = dir.resolve(shard);
                if (!Files.isRegularFile(p)) {
                    throw new FormatException(indexFile + ": shard \"" + shard + "\" listed in weight_map does not exist in " + dir
                            + "; download every shard of the checkpoint");
                }
                SafetensorsFile f = SafetensorsFile.open(p);
                opened.add(f);
                shards.put(shard, f);
            }
            Map<String, SafetensorsFile> owner = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : weightMap.entrySet()) {
                SafetensorsFile f = shards.get(e.getValue());
                if (!f.tensors().containsKey(e.getKey())) {
                    throw new FormatException(indexFile + ": weight_map puts tensor \"" + e.getKey() + "\" in shard " + e.getValue()
                            + ", which does not hold it; the index and the shards do not match: re-download the checkpoint");
                }
                owner.put(e.getKey(), f);
            }
            for (Map.Entry<String, SafetensorsFile> s : shards.entrySet()) {
                for (String n : s.getValue().tensors().keySet()) {
                    if (owner.get(n) != s.getValue()) {
                        throw new FormatException(indexFile + ": shard " + s.getKey() + " holds tensor \"" + n + "\", which weight_map "
                                + (weightMap.containsKey(n) ? "puts in shard " + weightMap.get(n) : "does not list")
                                + "; the index and the shards do not match: re-download the checkpoint");
                    }
                }
            }
            return new SafetensorsWeights(indexFile, List.copyOf(opened), owner, Map.of());
        } catch (IOException | RuntimeException | Error e) {
            for (SafetensorsFile f : opened) f.close();
            throw e;
        }
    }

    private static Map<String, String> readWeightMap(Path indexFile) throws IOException {
        Object root = Json.parseFile(indexFile, MAX_INDEX_BYTES);
        if (!(root instanceof Map<?, ?> top) || !(top.get("weight_map") instanceof Map<?, ?> wm)) {
            throw new FormatException(indexFile + ": expected a JSON object with a \"weight_map\" object (tensor name -> shard file)");
        }
        if (top.containsKey("metadata") && !(top.get("metadata") instanceof Map)) {
            throw new FormatException(indexFile + ": \"metadata\" is a JSON " + Json.typeName(top.get("metadata")) + ", expected an object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : wm.entrySet()) {
            if (!(e.getValue() instanceof String shard) || !isPlainFileName(shard)) {
                throw new FormatException(indexFile + ": weight_map[\"" + e.getKey() + "\"] = " + e.getValue()
                        + " is not a plain file name in the checkpoint directory; fix the index");
            }
            out.put((String) e.getKey(), shard);
        }
        if (out.isEmpty()) throw new FormatException(indexFile + ": weight_map is empty; the index lists no tensors");
        return out;
    }

    /** Shards must live beside the index: no separators, no "." or "..", no NUL. */
    private static boolean isPlainFileName(String s) {
        return !s.isEmpty() && !s.equals(".") && !s.equals("..") && s.indexOf('/') < 0 && s.indexOf('\\') < 0 && s.indexOf('\0') < 0;
    }

    /** The safetensors file or the index this was opened from. */
    public Path source() { return source; }

    /** Tensor names, in index (or header) order. */
    public Set<String> names() { return Collections.unmodifiableSet(owner.keySet()); }

    public boolean contains(String name) { return owner.containsKey(name); }

    /** The metadata of a single file (empty for a sharded checkpoint). */
    public Map<String, String> metadata() { return metadata; }

    public SafetensorsFile fileOf(String name) throws FormatException {
        SafetensorsFile f = owner.get(name);
        if (f == null) throw new FormatException(source + " has no tensor \"" + name + "\"; check the name or the checkpoint");
        return f;
    }

    public TensorEntry entry(String name) throws FormatException { return fileOf(name).entry(name); }

    public Tensor read(String name, Backend backend) throws IOException { return fileOf(name).read(name, backend); }

    public float[] readF32(String name) throws IOException { return fileOf(name).readF32(name); }

    /** Whether two tensors have the same dtype, shape and bytes, without loading them. */
    public boolean sameContent(String a, String b) throws IOException { return fileOf(a).sameContent(a, fileOf(b), b); }

    /** Reads every tensor; on failure the tensors already read are closed. */
    public Map<String, Tensor> readAll(Backend backend) throws IOException {
        return readAll(owner.keySet(), backend);
    }

    /** Reads the given tensors; on failure the tensors already read are closed. */
    public Map<String, Tensor> readAll(Iterable<String> names, Backend backend) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        float[] staging = new float[SafetensorsFile.CHUNK_ELEMENTS];
        try {
            for (String n : names) out.put(n, fileOf(n).read(n, backend, staging));
            return out;
        } catch (IOException | RuntimeException | Error e) {
            out.values().forEach(Tensor::close);
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (SafetensorsFile f : files) {
            try {
                f.close();
            } catch (IOException e) {
                if (first == null) first = e; else first.addSuppressed(e);
            }
        }
        if (first != null) throw first;
    }
}
