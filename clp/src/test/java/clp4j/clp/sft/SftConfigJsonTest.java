package clp4j.clp.sft;

import clp4j.engine.io.FormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SftConfigJsonTest {
    @TempDir
    Path dir;

    @Test
    void fieldsOverrideDefaultsAndPathsAreRelativeToTheFile() throws IOException {
        Path f = write("""
                {"steps": 12, "batch_size": 3, "learning_rate": 0.01, "seed": 9, "train_file": "data/t.jsonl",
                 "model": {"d_model": 32, "num_layers": 1}, "input_template": "tl;dr {document}", "dropout_rate": null}
                """);
        SftConfig c = SftConfigJson.read(f).build();
        assertEquals(12, c.steps());
        assertEquals(3, c.batchSize());
        assertEquals(0.01f, c.effectiveLearningRate());
        assertEquals(9, c.seed());
        assertEquals(dir.resolve("data/t.jsonl").toAbsolutePath(), c.trainFile());
        assertEquals(32, c.model().dModel());
        assertEquals(1, c.model().numLayers());
        assertEquals(ModelSize.DEFAULT.dFf(), c.model().dFf());
        assertEquals("tl;dr x", c.inputTemplate().apply("x"));
        assertNull(c.dropoutRate());
        assertEquals(SftConfig.FROM_SCRATCH_LEARNING_RATE, SftConfig.defaults().effectiveLearningRate());
        SftConfig.Builder ft = SftConfig.builder();
        ft.checkpoint = dir;
        assertEquals(SftConfig.FINETUNE_LEARNING_RATE, ft.build().effectiveLearningRate());
        assertNull(c.validationFile());
        assertEquals(SftConfig.defaults().maxSourceLength(), c.maxSourceLength());
    }

    @Test
    void unknownFieldsAreErrorsListingTheKnownOnes() throws IOException {
        Path f = write("{\"stpes\": 3}");
        String m = assertThrows(FormatException.class, () -> SftConfigJson.read(f)).getMessage();
        assertTrue(m.startsWith(f + ": unknown field \"stpes\"") && m.contains("steps"), m);
        Path g = write("{\"model\": {\"d_modle\": 3}}");
        String n = assertThrows(FormatException.class, () -> SftConfigJson.read(g)).getMessage();
        assertTrue(n.contains("unknown field \"model.d_modle\""), n);
    }

    @Test
    void wrongTypesNameTheField() throws IOException {
        assertTypeError("{\"steps\": \"10\"}", "field \"steps\" is a JSON string, expected an integer");
        assertTypeError("{\"steps\": 1.5}", "field \"steps\" is a JSON number, expected an integer");
        assertTypeError("{\"learning_rate\": true}", "field \"learning_rate\" is a JSON boolean, expected a number");
        assertTypeError("{\"train_file\": 3}", "field \"train_file\" is a JSON integer, expected a string");
        assertTypeError("{\"model\": [1]}", "field \"model\" is a JSON array");
        assertTypeError("[1]", "expected an object of SFT settings");
        assertTypeError("{\"steps\": 1,}", "invalid JSON");
    }

    @Test
    void badValuesAreRefusedByTheRecord() throws IOException {
        assertValueError("{\"steps\": 0}", "steps is 0; it must be at least 1");
        assertValueError("{\"learning_rate\": -1}", "learning_rate is -1.0");
        assertValueError("{\"dropout_rate\": 1.0}", "dropout_rate is 1.0; it must be in [0, 1)");
        assertValueError("{\"input_template\": \"summarize:\"}", "must contain {document} exactly once");
        assertValueError("{\"max_target_length\": 1}", "max_target_length is 1; it must be at least 2");
        Path f = write("{\"model\": {\"num_heads\": 0}}");
        assertTrue(assertThrows(FormatException.class, () -> SftConfigJson.read(f)).getMessage()
                .contains("model.num_heads is 0"));
    }

    private void assertTypeError(String json, String expected) throws IOException {
        Path f = write(json);
        String m = assertThrows(FormatException.class, () -> SftConfigJson.read(f)).getMessage();
        assertTrue(m.startsWith(f.toString()) && m.contains(expected), m);
    }

    private void assertValueError(String json, String expected) throws IOException {
        Path f = write(json);
        SftConfig.Builder b = SftConfigJson.read(f);
        String m = assertThrows(IllegalArgumentException.class, b::build).getMessage();
        assertTrue(m.contains(expected), m);
    }

    private Path write(String json) throws IOException {
        Path f = Files.createTempFile(dir, "sft", ".json");
        Files.writeString(f, json);
        return f;
    }
}
