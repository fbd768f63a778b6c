package clp4j.engine.optim;

import clp4j.engine.io.FormatException;
import clp4j.engine.io.SafetensorsFile;
import clp4j.engine.io.SafetensorsWriter;
import clp4j.engine.tensor.DType;
import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static clp4j.engine.optim.OptimizerStateTest.ADAFACTOR;
import static clp4j.engine.optim.OptimizerStateTest.BE;
import static clp4j.engine.optim.OptimizerStateTest.RSQRT;
import static clp4j.engine.optim.OptimizerStateTest.STEPS;
import static clp4j.engine.optim.OptimizerStateTest.model;
import static clp4j.engine.optim.OptimizerStateTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Optimizer state through a safetensors file: save, restore in a fresh optimizer, continue, bit for bit. */
class OptimizerCheckpointTest {

    interface Factory { Optimizer make(Map<String, Tensor> model); }

    void resumeFromFileIsBitIdentical(Path dir, Factory make, Factory other) throws IOException {
        long seed = 3;
        Map<String, Tensor> straight = model(seed, new int[] {4, 3});
        try (Optimizer opt = make.make(straight)) {
            run(opt, straight, seed, 0, STEPS);
        }
        Map<String, Tensor> first = model(seed, new int[] {4, 3});
        Path file = dir.resolve("optimizer.safetensors");
        Map<String, float[]> params = new LinkedHashMap<>();
        try (Optimizer opt = make.make(first)) {
            run(opt, first, seed, 0, STEPS / 2);
            OptimizerCheckpoint.save(opt, file);
            first.forEach((n, t) -> params.put(n, t.toArray()));
        }
        Map<String, Tensor> resumed = model(seed + 5, new int[] {4, 3});
        resumed.forEach((n, t) -> BE.copyFromHost(params.get(n), 0, t));
        try (Optimizer opt = other.make(resumed)) {
            OptimizerCheckpoint.restore(opt, file);
            assertEquals(STEPS / 2, opt.stepCount());
            run(opt, resumed, seed, STEPS / 2, STEPS);
        }
        straight.forEach((n, t) -> assertArrayEquals(t.toArray(), resumed.get(n).toArray(), n + " after resuming from file"));
    }

    @Test
    void adafactorThroughFile(@TempDir Path dir) throws IOException {
        resumeFromFileIsBitIdentical(dir, m -> new Adafactor(m, ADAFACTOR, RSQRT),
                m -> new Adafactor(m, AdafactorConfig.t5x(), new ConstantSchedule(0.5f)));
    }

    @Test
    void adamwThroughFile(@TempDir Path dir) throws IOException {
        resumeFromFileIsBitIdentical(dir, m -> new AdamW(m, AdamWConfig.torch().withWeightDecay(0.2f), RSQRT),
                m -> new AdamW(m, AdamWConfig.torch(), new ConstantSchedule(0.5f)));
    }

    @Test
    void fileLayoutAndMetadata(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("opt.safetensors");
        Map<String, Tensor> m = model(1, new int[] {4, 3});
        try (Optimizer opt = new Adafactor(m, ADAFACTOR, RSQRT)) {
            run(opt, m, 1, 0, 2);
            OptimizerCheckpoint.save(opt, file);
            try (SafetensorsFile f = SafetensorsFile.open(file)) {
                assertEquals("adafactor", f.metadata().get("optimizer.kind"));
                assertEquals("2", f.metadata().get("optimizer.step"));
                assertEquals("rsqrt_decay(0.05, 2, true)", f.metadata().get("optimizer.schedule"));
                assertEquals("3", f.metadata().get("optimizer.min_dim_size_to_factor"));
                assertEquals("0.01", f.metadata().get("optimizer.weight_decay_rate"));
                String vRow = "encoder.block.0.layer.0.SelfAttention.q.weight.adafactor.v_row";
                assertArrayEquals(new int[] {4}, f.entry(vRow).shape());
                assertArrayEquals(opt.state().tensors().get(vRow).toArray(), f.readF32(vRow));
                assertEquals(4, f.tensors().size());
            }
        }
    }

    @Test
    void restoreIntoAnotherModelNamesFileAndParameter(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("opt.safetensors");
        try (Optimizer opt = new Adafactor(model(1, new int[] {4, 3}), ADAFACTOR, RSQRT)) {
            OptimizerCheckpoint.save(opt, file);
        }
        try (Optimizer other = new Adafactor(model(1, new int[] {4, 5}), ADAFACTOR, RSQRT)) {
            var e = assertThrows(IllegalArgumentException.class, () -> OptimizerCheckpoint.restore(other, file));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("encoder.block.0.layer.0.SelfAttention.q.weight"), e.getMessage());
        }
    }

    @Test
    void aModelFileIsNotAnOptimizerState(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.safetensors");
        Map<String, Tensor> m = model(1, new int[] {4, 3});
        SafetensorsWriter.write(file, m, DType.F32, Map.of("format", "pt"));
        try (Optimizer opt = new AdamW(m, AdamWConfig.torch(), RSQRT)) {
            var e = assertThrows(FormatException.class, () -> OptimizerCheckpoint.restore(opt, file));
            assertTrue(e.getMessage().contains("optimizer.kind"), e.getMessage());
        }
    }
}
