package clp4j.nativ.sentencepiece;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every row of {@code tokenizer/spm_fixture.tsv} (made by {@code make_fixture.py} with the
 * independent {@code spm_encode}/{@code spm_decode} tools) must encode to the same ids, and plain
 * rows must decode to the same text.
 */
class SentencePieceTokenizerFixtureTest {

    record Row(int line, String kind, String text, int[] ids, String decoded) {}

    private static SentencePieceTokenizer tokenizer;

    @BeforeAll
    static void load() { tokenizer = SentencePieceTokenizer.load(SpieceModelLocation.spieceModel()); }

    @AfterAll
    static void close() { if (tokenizer != null) tokenizer.close(); }

    static List<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        try (InputStream in = SentencePieceTokenizerFixtureTest.class.getResourceAsStream("/tokenizer/spm_fixture.tsv")) {
            if (in == null) throw new IllegalStateException("tokenizer/spm_fixture.tsv is missing from the test resources");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            int lineNo = 0;
            for (String line; (line = readLine(r)) != null; ) {
                lineNo++;
                if (line.startsWith("#")) continue;
                String[] f = line.split("\t", -1);
                if (f.length != 4) throw new IllegalStateException("spm_fixture.tsv line " + lineNo + " has " + f.length + " fields, not 4");
                int[] ids = Arrays.stream(f[2].trim().split(" ")).mapToInt(Integer::parseInt).toArray();
                rows.add(new Row(lineNo, f[0], unescape(f[1]), ids, f[3].equals("-") ? null : unescape(f[3])));
            }
        }
        return rows;
    }

    /** One line ended by '\n' only (readLine would also split at a raw CR or other break inside a decoded text). */
    private static String readLine(BufferedReader r) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = r.read()) >= 0 && c != '\n') sb.append((char) c);
        return c < 0 && sb.isEmpty() ? null : sb.toString();
    }

    static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = s.charAt(++i);
            sb.append(switch (e) {
                case '\\' -> '\\';
                case 't' -> '\t';
                case 'n' -> '\n';
                case 'r' -> '\r';
                default -> throw new IllegalStateException("bad escape \\" + e + " in " + s);
            });
        }
        return sb.toString();
    }

    @Test
    void encodeMatchesSpmEncodeOnEveryRow() throws IOException {
        List<Row> rows = rows();
        Map<String, Integer> kinds = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (Row row : rows) {
            kinds.merge(row.kind(), 1, Integer::sum);
            int[] got = tokenizer.encode(row.text());
            if (!Arrays.equals(row.ids(), got)) {
                failures.add("line " + row.line() + " " + row.kind() + " '" + row.text() + "': expected "
                        + Arrays.toString(row.ids()) + " got " + Arrays.toString(got));
            }
        }
        assertTrue(kinds.getOrDefault("plain", 0) >= 200, "fixture has too few plain rows: " + kinds);
        assertTrue(kinds.containsKey("newline") && kinds.containsKey("sentinel"), "fixture lacks a kind: " + kinds);
        assertEquals(List.of(), failures, failures.size() + " of " + rows.size() + " rows differ");
    }

    @Test
    void decodeMatchesSpmDecodeOnPlainRows() throws IOException {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Row row : rows()) {
            if (row.decoded() == null) continue;
            checked++;
            String got = tokenizer.decode(row.ids());
            if (!row.decoded().equals(got)) {
                failures.add("line " + row.line() + " '" + row.text() + "': expected '" + row.decoded() + "' got '" + got + "'");
            }
        }
        assertTrue(checked >= 200, "only " + checked + " rows checked");
        assertEquals(List.of(), failures, failures.size() + " rows decode differently");
    }
}
