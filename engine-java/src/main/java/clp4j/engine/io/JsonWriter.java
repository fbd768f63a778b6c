package clp4j.engine.io;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Serialises the values {@link Json} produces (maps with String keys, lists, strings, booleans,
 * {@link Json#NULL} or null, integers, finite floats and doubles). Compact output matches
 * serde_json's (no spaces: what the safetensors reference writer emits); pretty output matches
 * Python's {@code json.dumps(indent=2)} (what {@code save_pretrained} emits for config.json).
 */
public final class JsonWriter {
    private JsonWriter() { }

    public static String compact(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value, -1, 0);
        return b.toString();
    }

    public static String pretty(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value, 2, 0);
        return b.append('\n').toString();
    }

    private static void write(StringBuilder b, Object v, int indent, int level) {
        switch (v) {
            case null -> b.append("null");
            case Map<?, ?> m -> {
                if (m.isEmpty()) { b.append("{}"); return; }
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!(e.getKey() instanceof String k)) {
                        throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey());
                    }
                    if (!first) b.append(',');
                    first = false;
                    newline(b, indent, level + 1);
                    string(b, k);
                    b.append(indent < 0 ? ":" : ": ");
                    write(b, e.getValue(), indent, level + 1);
                }
                newline(b, indent, level);
                b.append('}');
            }
            case List<?> l -> {
                if (l.isEmpty()) { b.append("[]"); return; }
                b.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) b.append(',');
                    newline(b, indent, level + 1);
                    write(b, l.get(i), indent, level + 1);
                }
                newline(b, indent, level);
                b.append(']');
            }
            case String s -> string(b, s);
            case Boolean z -> b.append(z);
            case Long n -> b.append(n);
            case Integer n -> b.append(n);
            case BigInteger n -> b.append(n);
            case Float f -> finite(b, f.doubleValue(), Float.toString(f));
            case Double d -> finite(b, d, Double.toString(d));
            default -> {
                if (v == Json.NULL) b.append("null");
                else throw new IllegalArgumentException("cannot write a " + v.getClass().getName() + " as JSON");
            }
        }
    }

    private static void finite(StringBuilder b, double d, String text) {
        if (!Double.isFinite(d)) throw new IllegalArgumentException("JSON has no " + text + "; store a finite number");
        b.append(text);
    }

    private static void newline(StringBuilder b, int indent, int level) {
        if (indent < 0) return;
        b.append('\n');
        b.repeat(' ', indent * level);
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else if (Character.isSurrogate(c) && !pairedAt(s, i)) {
                        throw new IllegalArgumentException("unpaired surrogate at index " + i + " of a JSON string");
                    } else b.append(c);
                }
            }
        }
        b.append('"');
    }

    private static boolean pairedAt(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
