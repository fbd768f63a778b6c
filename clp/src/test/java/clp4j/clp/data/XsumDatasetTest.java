package clp4j.clp.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class XsumDatasetTest {
    private static final String GOOD = "{\"id\": \"1\", \"document\": \"A man was hurt.\\nPolice said so.\", \"summary\": \"A man was hurt.\"}";

    @TempDir
    Path dir;

    @Test
    void readsTheSharedSample() throws IOException {
        XsumDataset train = XsumDataset.load(SharedData.xsumTrain());
        XsumDataset validation = XsumDataset.load(SharedData.xsumValidation());
        assertEquals(240, train.size());
        assertEquals(40, validation.size());
        XsumExample first = train.get(0);
        assertEquals("32843295", first.id());
        assertTrue(first.document().startsWith("Nationalist MPs will take control"), first.document());
        assertTrue(first.document().contains("\n"), "sentences are joined by newlines");
    }

    @Test
    void skipsBlankLinesAndKeepsOrder() throws IOException {
        Path f = write(GOOD + "\n\n" + GOOD.replace("\"1\"", "\"2\"") + "\n");
        XsumDataset d = XsumDataset.load(f);
        assertEquals(2, d.size());
        assertEquals("2", d.get(1).id());
        assertEquals("A man was hurt.\nPolice said so.", d.get(0).document());
    }

    @Test
    void badJsonNamesFileAndLine() throws IOException {
        Path f = write(GOOD + "\n{\"id\": \"2\", \"document\": \"x\", \n");
        String m = failure(f);
        assertTrue(m.startsWith(f + ":2: "), m);
        assertTrue(m.contains("invalid JSON") && m.contains("one complete JSON object"), m);
    }

    @Test
    void missingFieldNamesIt() throws IOException {
        Path f = write(GOOD + "\n" + GOOD.replace("\"1\"", "\"2\"") + "\n{\"id\": \"3\", \"document\": \"Text.\"}\n");
        String m = failure(f);
        assertTrue(m.startsWith(f + ":3: field \"summary\" is missing"), m);
    }

    @Test
    void wrongTypeNamesFieldAndType() throws IOException {
        Path f = write("{\"id\": 7, \"document\": \"Text.\", \"summary\": \"S.\"}\n");
        String m = failure(f);
        assertTrue(m.startsWith(f + ":1: field \"id\" is a JSON integer, expected a string"), m);
        Path g = write("{\"id\": \"7\", \"document\": null, \"summary\": \"S.\"}\n");
        assertTrue(failure(g).startsWith(g + ":1: field \"document\" is a JSON null"), failure(g));
    }

    @Test
    void emptyDocumentIsAnError() throws IOException {
        Path f = write(GOOD + "\n{\"id\": \"2\", \"document\": \"  \", \"summary\": \"S.\"}\n");
        String m = failure(f);
        assertTrue(m.startsWith(f + ":2: field \"document\" is empty"), m);
    }

    @Test
    void notAnObjectDuplicateIdsAndEmptyFiles() throws IOException {
        Path arr = write("[1, 2]\n");
        assertTrue(failure(arr).startsWith(arr + ":1: a JSON array, expected an object"), failure(arr));
        Path dup = write(GOOD + "\n" + GOOD + "\n");
        assertTrue(failure(dup).startsWith(dup + ":2: field \"id\" = \"1\" repeats the id of line 1"), failure(dup));
        Path empty = write("\n\n");
        assertTrue(failure(empty).contains("holds no examples"), failure(empty));
        Path missing = dir.resolve("nope.jsonl");
        assertTrue(failure(missing).contains("does not exist"), failure(missing));
    }

    @Test
    void invalidUtf8NamesTheLine() throws IOException {
        Path f = dir.resolve("bad-utf8.jsonl");
        byte[] good = (GOOD + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[good.length + 3];
        System.arraycopy(good, 0, bytes, 0, good.length);
        bytes[good.length] = (byte) 0xC3;
        bytes[good.length + 1] = (byte) 0x28;
        bytes[good.length + 2] = '\n';
        Files.write(f, bytes);
        String m = failure(f);
        assertTrue(m.contains("not valid UTF-8"), m);
    }

    private Path write(String text) throws IOException {
        Path f = Files.createTempFile(dir, "xsum", ".jsonl");
        Files.writeString(f, text);
        return f;
    }

    private static String failure(Path f) {
        return assertThrows(DataFormatException.class, () -> XsumDataset.load(f)).getMessage();
    }
}
