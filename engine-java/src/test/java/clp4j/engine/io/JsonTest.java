package clp4j.engine.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {
    @Test
    void parsesEveryValueKind() throws Exception {
        Object v = Json.parse(" {\"a\": [1, -2, 3.5, 1e-6, 12345678901234567890, true, false, null],\n \"b\": {\"c\": \"x\\u00e9\\ud83d\\ude00\\n\\\"\"}} ", "t");
        Map<?, ?> m = (Map<?, ?>) v;
        List<?> a = (List<?>) m.get("a");
        assertEquals(1L, a.get(0));
        assertEquals(-2L, a.get(1));
        assertEquals(3.5, a.get(2));
        assertEquals(1e-6, a.get(3));
        assertEquals(new BigInteger("12345678901234567890"), a.get(4));
        assertEquals(Boolean.TRUE, a.get(5));
        assertEquals(Boolean.FALSE, a.get(6));
        assertSame(Json.NULL, a.get(7));
        assertEquals("x\u00e9\uD83D\uDE00\n\"", ((Map<?, ?>) m.get("b")).get("c"));
        assertEquals(List.of("a", "b"), List.copyOf(m.keySet()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"a\":1,}|expected a string key",
            "[1,2,]|expected a value",
            "{\"a\":1 \"b\":2}|expected ',' or '}'",
            "{\"a\":1,\"a\":2}|duplicate key \"a\"",
            "01|leading zero",
            "-|expected a digit",
            "1.|expected a digit after '.'",
            "1e|expected a digit in the exponent",
            "NaN|expected a value",
            "Infinity|expected a value",
            "1e999|out of the double range",
            "\"abc|unterminated string",
            "\"\\x\"|invalid escape",
            "\"\\u12G4\"|invalid hex digit",
            "\"\\ud800\"|unpaired surrogate",
            "\"\\udc00x\"|unpaired surrogate",
            "{} x|after the JSON value",
            "tru|expected a value",
            "x|expected a value",
            "|unexpected end of input",
    })
    void refusesNonStrictJson(String text, String expected) {
        FormatException e = assertThrows(FormatException.class, () -> Json.parse(text == null ? "" : text, "src.json"));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith("src.json: invalid JSON at offset"), e.getMessage());
    }

    @Test
    void refusesComments() {
        FormatException e = assertThrows(FormatException.class, () -> Json.parse("{} // c", "s"));
        assertTrue(e.getMessage().contains("after the JSON value"), e.getMessage());
        assertThrows(FormatException.class, () -> Json.parse("/* c */ {}", "s"));
    }

    @Test
    void refusesRawControlCharactersInStrings() {
        FormatException e = assertThrows(FormatException.class, () -> Json.parse("\"a\tb\"", "s"));
        assertTrue(e.getMessage().contains("control character U+0009"), e.getMessage());
    }

    @Test
    void reportsLineAndColumn() {
        FormatException e = assertThrows(FormatException.class, () -> Json.parse("{\n  \"a\": 1,\n  \"b\": ?\n}", "cfg"));
        assertTrue(e.getMessage().contains("line 3, column 8"), e.getMessage());
    }

    @Test
    void boundsNestingDepth() throws Exception {
        String ok = "[".repeat(5) + "]".repeat(5);
        Json.parse(ok, "d", 5);
        FormatException e = assertThrows(FormatException.class, () -> Json.parse("[".repeat(6) + "]".repeat(6), "d", 5));
        assertTrue(e.getMessage().contains("nesting deeper than 5"), e.getMessage());
        // Far deeper than any stack: refused by the bound, not by a StackOverflowError.
        assertThrows(FormatException.class, () -> Json.parse("[".repeat(1_000_000), "d"));
    }

    @Test
    void boundsNumberLength() {
        FormatException e = assertThrows(FormatException.class, () -> Json.parse("1".repeat(100_000), "n"));
        assertTrue(e.getMessage().contains("longer than 400"), e.getMessage());
    }

    @Test
    void writerOutputParsesBackToTheSameValue() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "q\"\\/\n\t\u0001\u00e9\uD83D\uDE00");
        m.put("l", List.of(1L, -7L, 0.25, true, Json.NULL, List.of(), Map.of()));
        m.put("big", new BigInteger("99999999999999999999"));
        for (String text : new String[] {JsonWriter.compact(m), JsonWriter.pretty(m)}) {
            assertEquals(m, Json.parse(text, "w"));
        }
        assertEquals("{\"a\":[1,2]}", JsonWriter.compact(Map.of("a", List.of(1, 2))));
        assertEquals("{\n  \"a\": [\n    1\n  ]\n}\n", JsonWriter.pretty(Map.of("a", List.of(1))));
        assertThrows(IllegalArgumentException.class, () -> JsonWriter.compact(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> JsonWriter.compact("\uD800"));
    }
}
