package clp4j.engine.io;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 JSON parser for safetensors headers and config files; no external dependency.
 *
 * <p>Values: objects as {@code Map<String, Object>} (insertion order, unmodifiable), arrays as
 * {@code List<Object>}, strings, {@link Boolean}, {@link #NULL}, integers (literals without
 * fraction or exponent) as {@link Long} or, beyond its range, {@link BigInteger}, and other numbers
 * as finite {@link Double}. Refused: duplicate keys, trailing commas, comments, NaN/Infinity,
 * leading zeros, control characters and unpaired surrogates in strings, anything after the value
 * but whitespace, nesting deeper than the given bound. Errors are {@link FormatException}s giving
 * the source, the offset, line and column.
 */
public final class Json {
    /** The JSON {@code null}. */
    public static final Object NULL = new Object() {
        @Override public String toString() { return "null"; }
    };
    public static final int DEFAULT_MAX_DEPTH = 64;
    /** Longer number literals are refused (a huge integer would make BigInteger parsing quadratic). */
    private static final int MAX_NUMBER_CHARS = 400;

    private final String s;
    private final String source;
    private final int maxDepth;
    private int pos;

    private Json(String s, String source, int maxDepth) {
        this.s = s;
        this.source = source;
        this.maxDepth = maxDepth;
    }

    /** Parses {@code text}; {@code source} (usually a file name) prefixes every error message. */
    public static Object parse(String text, String source) throws FormatException {
        return parse(text, source, DEFAULT_MAX_DEPTH);
    }

    public static Object parse(String text, String source, int maxDepth) throws FormatException {
        Json p = new Json(text, source, maxDepth);
        p.skipWs();
        Object v = p.value(0);
        p.skipWs();
        if (p.pos != text.length()) throw p.error("unexpected '" + p.show(p.pos) + "' after the JSON value");
        return v;
    }

    /**
     * Reads and parses a UTF-8 JSON file of at most {@code maxBytes} bytes (a config or index file);
     * bad UTF-8, a too large file and bad JSON are {@link FormatException}s naming the file.
     */
    public static Object parseFile(Path file, long maxBytes) throws IOException {
        long size = Files.size(file);
        if (size > maxBytes) {
            throw new FormatException(file + ": " + size + " bytes, more than the " + maxBytes + " bytes allowed for this JSON file; "
                    + "it is not the file expected here");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new FormatException(file + ": not valid UTF-8 (" + e.getMessage() + "); save it as UTF-8 JSON");
        }
        return parse(text, file.toString());
    }

    /** A readable name for a value's JSON type, for error messages. */
    public static String typeName(Object v) {
        if (v instanceof Map) return "object";
        if (v instanceof List) return "array";
        if (v instanceof String) return "string";
        if (v instanceof Boolean) return "boolean";
        if (v instanceof Long || v instanceof BigInteger) return "integer";
        if (v instanceof Double) return "number";
        return "null";
    }

    private Object value(int depth) throws FormatException {
        if (pos >= s.length()) throw error("unexpected end of input, expected a value");
        char c = s.charAt(pos);
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) yield number();
                throw error("unexpected '" + show(pos) + "', expected a value");
            }
        };
    }

    private Map<String, Object> object(int depth) throws FormatException {
        if (depth > maxDepth) throw error("nesting deeper than " + maxDepth + " levels");
        int start = pos;
        pos++; // '{'
        Map<String, Object> m = new LinkedHashMap<>();
        skipWs();
        if (peek() == '}') { pos++; return Collections.unmodifiableMap(m); }
        while (true) {
            skipWs();
            if (peek() != '"') throw error("expected a string key in the object that starts at offset " + start);
            int keyPos = pos;
            String key = string();
            skipWs();
            expect(':');
            skipWs();
            Object v = value(depth);
            if (m.putIfAbsent(key, v) != null) {
                pos = keyPos;
                throw error("duplicate key \"" + key + "\"");
            }
            skipWs();
            char c = peek();
            pos++;
            if (c == '}') return Collections.unmodifiableMap(m);
            if (c != ',') { pos--; throw error("expected ',' or '}' in the object that starts at offset " + start); }
        }
    }

    private List<Object> array(int depth) throws FormatException {
        if (depth > maxDepth) throw error("nesting deeper than " + maxDepth + " levels");
        int start = pos;
        pos++; // '['
        List<Object> a = new ArrayList<>();
        skipWs();
        if (peek() == ']') { pos++; return Collections.unmodifiableList(a); }
        while (true) {
            skipWs();
            a.add(value(depth));
            skipWs();
            char c = peek();
            pos++;
            if (c == ']') return Collections.unmodifiableList(a);
            if (c != ',') { pos--; throw error("expected ',' or ']' in the array that starts at offset " + start); }
        }
    }

    private String string() throws FormatException {
        pos++; // opening quote
        StringBuilder b = new StringBuilder();
        while (true) {
            if (pos >= s.length()) throw error("unterminated string");
            char c = s.charAt(pos);
            if (c == '"') { pos++; return b.toString(); }
            if (c < 0x20) throw error("control character U+" + hex4(c) + " inside a string (escape it)");
            if (c == '\\') {
                pos++;
                if (pos >= s.length()) throw error("unterminated escape");
                char e = s.charAt(pos);
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> { b.append(unicodeEscape()); continue; }
                    default -> throw error("invalid escape '\\" + show(pos) + "'");
                }
                pos++;
                continue;
            }
            if (Character.isHighSurrogate(c)) {
                if (pos + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(pos + 1))) {
                    throw error("unpaired surrogate U+" + hex4(c));
                }
                b.append(c).append(s.charAt(pos + 1));
                pos += 2;
                continue;
            }
            if (Character.isLowSurrogate(c)) throw error("unpaired surrogate U+" + hex4(c));
            b.append(c);
            pos++;
        }
    }

    /** At the 'u' of a \\u escape: returns the char(s), a surrogate pair only when both halves are escaped. */
    private String unicodeEscape() throws FormatException {
        char hi = hex4At(pos + 1);
        pos += 5;
        if (Character.isLowSurrogate(hi)) { pos -= 6; throw error("unpaired surrogate \\u" + hex4(hi)); }
        if (!Character.isHighSurrogate(hi)) return String.valueOf(hi);
        if (pos + 1 < s.length() && s.charAt(pos) == '\\' && s.charAt(pos + 1) == 'u') {
            char lo = hex4At(pos + 2);
            if (Character.isLowSurrogate(lo)) { pos += 6; return new String(new char[] {hi, lo}); }
        }
        pos -= 6;
        throw error("unpaired surrogate \\u" + hex4(hi));
    }

    private char hex4At(int at) throws FormatException {
        if (at + 4 > s.length()) { pos = Math.min(at, s.length()); throw error("truncated \\u escape"); }
        int v = 0;
        for (int i = at; i < at + 4; i++) {
            char c = s.charAt(i);
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) { pos = i; throw error("invalid hex digit '" + show(i) + "' in \\u escape"); }
            v = v * 16 + d;
        }
        return (char) v;
    }

    private Object number() throws FormatException {
        int start = pos;
        if (s.charAt(pos) == '-') pos++;
        if (pos >= s.length() || !isDigit(s.charAt(pos))) throw error("expected a digit");
        if (s.charAt(pos) == '0') {
            pos++;
            if (pos < s.length() && isDigit(s.charAt(pos))) throw error("leading zero in a number");
        } else {
            while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
        }
        boolean integer = true;
        if (pos < s.length() && s.charAt(pos) == '.') {
            integer = false;
            pos++;
            if (pos >= s.length() || !isDigit(s.charAt(pos))) throw error("expected a digit after '.'");
            while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
        }
        if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            integer = false;
            pos++;
            if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) pos++;
            if (pos >= s.length() || !isDigit(s.charAt(pos))) throw error("expected a digit in the exponent");
            while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
        }
        if (pos - start > MAX_NUMBER_CHARS) { pos = start; throw error("number literal longer than " + MAX_NUMBER_CHARS + " characters"); }
        String lit = s.substring(start, pos);
        if (integer) {
            try {
                return Long.parseLong(lit);
            } catch (NumberFormatException overflow) {
                return new BigInteger(lit);
            }
        }
        double d = Double.parseDouble(lit);
        if (Double.isInfinite(d)) { pos = start; throw error("number " + lit + " is out of the double range"); }
        return d;
    }

    private Object literal(String word, Object v) throws FormatException {
        if (!s.startsWith(word, pos)) throw error("unexpected '" + show(pos) + "', expected a value");
        pos += word.length();
        return v;
    }

    private void expect(char c) throws FormatException {
        if (peek() != c) throw error("expected '" + c + "' but found '" + show(pos) + "'");
        pos++;
    }

    private char peek() throws FormatException {
        if (pos >= s.length()) throw error("unexpected end of input");
        return s.charAt(pos);
    }

    private void skipWs() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            pos++;
        }
    }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

    private static String hex4(char c) { return String.format("%04X", (int) c); }

    private String show(int at) {
        if (at >= s.length()) return "<end>";
        char c = s.charAt(at);
        return c < 0x20 || c > 0x7e ? "U+" + hex4(c) : String.valueOf(c);
    }

    private FormatException error(String what) {
        int line = 1, col = 1;
        int end = Math.min(pos, s.length());
        for (int i = 0; i < end; i++) {
            if (s.charAt(i) == '\n') { line++; col = 1; } else col++;
        }
        return new FormatException(source + ": invalid JSON at offset " + pos + " (line " + line + ", column " + col
                + "): " + what + "; fix or regenerate the file");
    }
}
