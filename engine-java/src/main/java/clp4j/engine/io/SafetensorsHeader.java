package clp4j.engine.io;

import clp4j.engine.tensor.DType;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The validated JSON header of a safetensors file: tensors in header order and the
 * {@code __metadata__} strings. Validation follows the reference implementation: known dtype,
 * non-negative integer shape without overflow, {@code prod(shape) * sizeof(dtype) == end - begin},
 * and byte ranges that tile the data section exactly (no overlap, no gap, nothing left over).
 */
public record SafetensorsHeader(Map<String, TensorEntry> tensors, Map<String, String> metadata) {
    /** The reference implementation's bound on the header length. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    public static final String METADATA_KEY = "__metadata__";
    private static final Set<String> TENSOR_FIELDS = Set.of("dtype", "shape", "data_offsets");
    /** safetensors dtypes the engine does not read; named so the error can say so. */
    private static final Set<String> OTHER_DTYPES = Set.of("BOOL", "U8", "I8", "I16", "U16", "I32", "U32", "I64",
            "U64", "F64", "C64", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2");
    private static final int MAX_DEPTH = 8;

    public SafetensorsHeader {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /**
     * Decodes and validates {@code headerBytes} (the N bytes after the length prefix) of {@code file},
     * whose data section holds {@code dataSize} bytes.
     */
    public static SafetensorsHeader parse(byte[] headerBytes, long dataSize, String file) throws FormatException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(headerBytes)).toString();
        } catch (CharacterCodingException e) {
            throw new FormatException(file + ": the safetensors header is not valid UTF-8 (" + e.getMessage()
                    + "); the file is corrupt: re-download or re-export it");
        }
        if (text.isEmpty() || text.charAt(0) != '{') {
            throw new FormatException(file + ": the safetensors header must start with '{' but starts with "
                    + (text.isEmpty() ? "nothing" : "'" + text.charAt(0) + "'") + "; this is not a safetensors file or it is corrupt");
        }
        Object root = Json.parse(text, file + " (safetensors header)", MAX_DEPTH);
        if (!(root instanceof Map<?, ?> top)) {
            throw new FormatException(file + ": the safetensors header is a JSON " + Json.typeName(root) + ", expected an object");
        }
        Map<String, TensorEntry> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = Map.of();
        for (Map.Entry<?, ?> e : top.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA_KEY)) metadata = metadata(e.getValue(), file);
            else tensors.put(name, entry(name, e.getValue(), dataSize, file));
        }
        checkTiling(tensors, dataSize, file);
        return new SafetensorsHeader(tensors, metadata);
    }

    private static Map<String, String> metadata(Object v, String file) throws FormatException {
        if (!(v instanceof Map<?, ?> m)) {
            throw new FormatException(file + ": \"" + METADATA_KEY + "\" is a JSON " + Json.typeName(v)
                    + ", expected an object of strings; fix the writer that made this file");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new FormatException(file + ": " + METADATA_KEY + "[\"" + e.getKey() + "\"] is a JSON "
                        + Json.typeName(e.getValue()) + ", but safetensors metadata values must be strings");
            }
            out.put((String) e.getKey(), s);
        }
        return out;
    }

    private static TensorEntry entry(String name, Object v, long dataSize, String file) throws FormatException {
        String where = file + ": tensor \"" + name + "\"";
        if (name.isEmpty()) throw new FormatException(file + ": a tensor has an empty name; rename it when exporting");
        if (!(v instanceof Map<?, ?> m)) {
            throw new FormatException(where + " is a JSON " + Json.typeName(v)
                    + ", expected an object with dtype, shape and data_offsets");
        }
        for (Object k : m.keySet()) {
            if (!TENSOR_FIELDS.contains(k)) {
                throw new FormatException(where + " has an unknown field \"" + k + "\" (allowed: dtype, shape, data_offsets)");
            }
        }
        for (String f : TENSOR_FIELDS) {
            if (!m.containsKey(f)) throw new FormatException(where + " has no \"" + f + "\" field; the file is incomplete or corrupt");
        }
        DType dtype = dtype(m.get("dtype"), where);
        int[] shape = shape(m.get("shape"), where);
        long[] off = offsets(m.get("data_offsets"), where);
        if (off[1] < off[0]) {
            throw new FormatException(where + " has data_offsets [" + off[0] + ", " + off[1] + "] with end before begin; the file is corrupt");
        }
        if (off[1] > dataSize) {
            throw new FormatException(where + " has data_offsets [" + off[0] + ", " + off[1]
                    + "] past the end of the data section (" + dataSize + " bytes); the file is truncated or corrupt");
        }
        long numel = 1;
        for (int d : shape) numel *= d; // each d < 2^31 and the running product is checked below
        long want = numel * dtype.byteSize();
        if (want != off[1] - off[0]) {
            throw new FormatException(where + ": shape " + java.util.Arrays.toString(shape) + " of " + dtype + " needs "
                    + want + " bytes but data_offsets [" + off[0] + ", " + off[1] + "] span " + (off[1] - off[0])
                    + "; the file is corrupt");
        }
        return new TensorEntry(name, dtype, shape, off[0], off[1]);
    }

    private static DType dtype(Object v, String where) throws FormatException {
        if (!(v instanceof String s)) throw new FormatException(where + ": dtype is a JSON " + Json.typeName(v) + ", expected a string");
        switch (s) {
            case "F32": return DType.F32;
            case "BF16": return DType.BF16;
            case "F16": return DType.F16;
            default:
                if (OTHER_DTYPES.contains(s)) {
                    throw new FormatException(where + " has dtype " + s + ", which the engine does not read (it reads F32, BF16, F16); "
                            + "convert the checkpoint's floating-point weights to one of those, e.g. in torch: t.float()");
                }
                throw new FormatException(where + " has unknown dtype \"" + s + "\" (the engine reads F32, BF16, F16)");
        }
    }

    private static int[] shape(Object v, String where) throws FormatException {
        if (!(v instanceof List<?> l)) throw new FormatException(where + ": shape is a JSON " + Json.typeName(v) + ", expected an array of integers");
        int[] shape = new int[l.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            Object d = l.get(i);
            if (!(d instanceof Long || d instanceof BigInteger)) {
                throw new FormatException(where + ": shape[" + i + "] is " + d + " (a JSON " + Json.typeName(d) + "), expected a non-negative integer");
            }
            if (!(d instanceof Long n) || n < 0 || n > Integer.MAX_VALUE) {
                throw new FormatException(where + ": shape[" + i + "] = " + d + " is outside [0, " + Integer.MAX_VALUE + "]; the file is corrupt");
            }
            shape[i] = (int) (long) n;
            numel *= shape[i];
            // An engine tensor holds at most 2^31-1 elements; this bound also keeps the product from overflowing.
            if (numel > Integer.MAX_VALUE) {
                throw new FormatException(where + ": shape " + l + " has more than " + Integer.MAX_VALUE
                        + " elements, more than one engine tensor can hold; the file is corrupt or the tensor must be split");
            }
        }
        return shape;
    }

    private static long[] offsets(Object v, String where) throws FormatException {
        if (!(v instanceof List<?> l) || l.size() != 2) {
            throw new FormatException(where + ": data_offsets is " + (v instanceof List<?> l2 ? "an array of " + l2.size() + " values"
                    : "a JSON " + Json.typeName(v)) + ", expected [begin, end]");
        }
        long[] out = new long[2];
        for (int i = 0; i < 2; i++) {
            if (!(l.get(i) instanceof Long n) || n < 0) {
                throw new FormatException(where + ": data_offsets[" + i + "] = " + l.get(i) + " is not a non-negative 64-bit integer; the file is corrupt");
            }
            out[i] = n;
        }
        return out;
    }

    /** The byte ranges, sorted, must tile [0, dataSize) as the reference implementation requires. */
    private static void checkTiling(Map<String, TensorEntry> tensors, long dataSize, String file) throws FormatException {
        List<TensorEntry> sorted = new ArrayList<>(tensors.values());
        sorted.sort(Comparator.comparingLong(TensorEntry::begin).thenComparingLong(TensorEntry::end));
        long at = 0;
        TensorEntry prev = null;
        for (TensorEntry t : sorted) {
            if (t.begin() < at) {
                throw new FormatException(file + ": tensors \"" + prev.name() + "\" " + range(prev) + " and \"" + t.name() + "\" "
                        + range(t) + " overlap; the file is corrupt");
            }
            if (t.begin() > at) {
                throw new FormatException(file + ": bytes [" + at + ", " + t.begin() + ") of the data section belong to no tensor "
                        + "(before \"" + t.name() + "\"); the file is corrupt or was not written by a safetensors writer");
            }
            at = t.end();
            prev = t;
        }
        if (at != dataSize) {
            throw new FormatException(file + ": the tensors cover " + at + " bytes but the data section holds " + dataSize
                    + "; the file has trailing bytes or is corrupt: re-export it");
        }
    }

    private static String range(TensorEntry t) { return "[" + t.begin() + ", " + t.end() + ")"; }
}
