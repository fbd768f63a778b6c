package clp4j.clp.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {
    @TempDir
    Path dir;

    private record Outcome(int code, String out, String err) { }

    private static Outcome main(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, o, e);
        }
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpExitsZero() {
        Outcome top = main("--help");
        assertEquals(0, top.code());
        assertTrue(top.out().contains("sft"), top.out());
        Outcome sft = main("sft", "--help");
        assertEquals(0, sft.code());
        assertTrue(sft.out().contains("--resume") && sft.out().contains("--checkpoint DIR"), sft.out());
    }

    @Test
    void usageErrorsExitTwoWithoutStackTraces() {
        assertUsage(main(), "no command given");
        assertUsage(main("train"), "unknown command 'train'");
        assertUsage(main("sft", "--stpes", "3"), "unknown option --stpes");
        assertUsage(main("sft", "extra"), "unexpected argument 'extra'");
        assertUsage(main("sft", "--steps"), "--steps needs a value");
        assertUsage(main("sft", "--steps", "ten"), "--steps needs an integer, got 'ten'");
        assertUsage(main("sft", "--batch-size", "0"), "--batch-size must be at least 1, got 0");
        assertUsage(main("sft", "--out", "--resume"), "--out needs a value");
    }

    @Test
    void userErrorsExitOneWithTheMessageOnly() throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"steps\": 3, \"lr\": 1}");
        Outcome o = main("sft", "--config", bad.toString(), "--out", dir.resolve("out").toString());
        assertEquals(1, o.code());
        assertTrue(o.err().startsWith("clp4j: error: " + bad + ": unknown field \"lr\""), o.err());
        assertFalse(o.err().contains("\tat "), o.err());

        Path zero = dir.resolve("zero.json");
        Files.writeString(zero, "{\"eval_every\": -1}");
        Outcome z = main("sft", "--config", zero.toString());
        assertEquals(1, z.code());
        assertTrue(z.err().contains(zero + ": eval_every is -1"), z.err());

        Outcome missing = main("sft", "--config", dir.resolve("nope.json").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("does not exist"), missing.err());

        Outcome resume = main("sft", "--resume", "--out", dir.resolve("empty").toString(), "--backend", "reference");
        assertEquals(1, resume.code());
        assertTrue(resume.err().contains("nothing to resume"), resume.err());

        Path data = dir.resolve("train.jsonl");
        Files.writeString(data, "{\"id\": \"1\", \"document\": \"Text.\", \"summary\": 5}\n");
        Path cfg = dir.resolve("cfg.json");
        Files.writeString(cfg, "{\"train_file\": \"train.jsonl\", \"backend\": \"reference\"}");
        Outcome d = main("sft", "--config", cfg.toString(), "--out", dir.resolve("o2").toString());
        assertEquals(1, d.code());
        assertTrue(d.err().contains(data + ":1: field \"summary\" is a JSON integer"), d.err());

        Outcome backend = main("sft", "--backend", "nosuch", "--out", dir.resolve("o3").toString());
        assertEquals(1, backend.code());
        assertTrue(backend.err().contains("unknown backend 'nosuch'"), backend.err());
    }

    private static void assertUsage(Outcome o, String message) {
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().startsWith("clp4j: " + message), o.err());
        assertTrue(o.err().contains("usage: clp4j"), o.err());
        assertFalse(o.err().contains("\tat "), o.err());
    }
}
