package clp4j.clp.data;

import clp4j.engine.io.FormatException;
import clp4j.engine.io.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * XSum as JSON Lines: one object per line with string fields {@code id}, {@code document} and
 * {@code summary} (other fields are ignored). Reading is strict: a line that is not a JSON object,
 * lacks a field, has a non-string or blank field, or repeats an id is a {@link DataFormatException}
 * naming {@code file:line} and the field. Blank lines are skipped; an empty file is an error.
 */
public final class XsumDataset {
    public static final List<String> FIELDS = List.of("id", "document", "summary");

    private final Path file;
    private final List<XsumExample> examples;

    private XsumDataset(Path file, List<XsumExample> examples) {
        this.file = file;
        this.examples = Collections.unmodifiableList(examples);
    }

    public static XsumDataset load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file + " does not exist or is not a file; pass an XSum JSON Lines file "
                    + "(one {\"id\", \"document\", \"summary\"} object a line)");
        }
        List<XsumExample> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder))) {
            int lineNo = 0;
            for (String line; ; ) {
                try {
                    line = in.readLine();
                } catch (CharacterCodingException e) {
                    throw new DataFormatException(file + ":" + (lineNo + 1) + ": not valid UTF-8; save the file as UTF-8");
                }
                if (line == null) break;
                lineNo++;
                if (line.isBlank()) continue;
                XsumExample ex = parseLine(file, lineNo, line);
                Integer first = seen.putIfAbsent(ex.id(), lineNo);
                if (first != null) {
                    throw new DataFormatException(file + ":" + lineNo + ": field \"id\" = \"" + ex.id()
                            + "\" repeats the id of line " + first + "; remove the duplicate article");
                }
                out.add(ex);
            }
        }
        if (out.isEmpty()) throw new DataFormatException(file + " holds no examples; it needs at least one JSON line");
        return new XsumDataset(file, out);
    }

    static XsumExample parseLine(Path file, int lineNo, String line) {
        String where = file + ":" + lineNo;
        Object v;
        try {
            v = Json.parse(line, where);
        } catch (FormatException e) {
            throw new DataFormatException(e.getMessage() + "; each line must be one complete JSON object");
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new DataFormatException(where + ": a JSON " + Json.typeName(v)
                    + ", expected an object with fields " + FIELDS);
        }
        String[] values = new String[FIELDS.size()];
        for (int i = 0; i < values.length; i++) {
            String field = FIELDS.get(i);
            Object f = m.get(field);
            if (f == null) {
                throw new DataFormatException(where + ": field \"" + field + "\" is missing; every line needs "
                        + FIELDS + " as strings");
            }
            if (!(f instanceof String s)) {
                throw new DataFormatException(where + ": field \"" + field + "\" is a JSON " + Json.typeName(f)
                        + ", expected a string");
            }
            if (s.isBlank()) {
                throw new DataFormatException(where + ": field \"" + field + "\" is empty; remove the line or fill in the "
                        + field);
            }
            values[i] = s;
        }
        return new XsumExample(values[0], values[1], values[2]);
    }

    public Path file() { return file; }
    public List<XsumExample> examples() { return examples; }
    public int size() { return examples.size(); }
    public XsumExample get(int i) { return examples.get(i); }
}
