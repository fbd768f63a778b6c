package clp4j.clp.sft;

import clp4j.engine.backend.Backends;
import clp4j.engine.backend.ReferenceBackend;
import clp4j.engine.io.HfCheckpoint;
import clp4j.engine.t5.T5Model;
import clp4j.engine.t5.T5Parameters;
import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SftTrainerTest {
    @TempDir
    Path dir;

    @Test
    void lossFallsAndTheFinalModelLoadsBack() throws IOException {
        SftConfig.Builder b = SftTestRuns.tiny(dir, 2, ReferenceBackend.NAME);
        b.steps = 12;
        b.dropoutRate = 0f;
        List<Float> losses = new ArrayList<>();
        SftTestRuns.Run run = SftTestRuns.run(b.build(), dir.resolve("out"), false, (step, loss) -> losses.add(loss));
        SftResult r = run.result();
        assertEquals(12, losses.size());
        // two articles seen over and over: the loss must drop well below its random-init value (~ln 32128 = 10.4)
        assertTrue(losses.getFirst() > 9, "first loss " + losses.getFirst());
        assertTrue(losses.getLast() < losses.getFirst() - 2, "losses " + losses);
        assertTrue(Double.isFinite(r.validationLoss()));
        assertTrue(run.log().contains("step 12/12  loss"), run.log());
        assertTrue(run.log().contains("validation loss"), run.log());
        assertTrue(run.log().contains("generated: "), run.log());
        assertEquals(1, r.samples().size());

        Path fin = r.finalModel();
        assertTrue(Files.isRegularFile(fin.resolve("spiece.model")));
        try (HfCheckpoint hf = HfCheckpoint.load(fin, Backends.get(ReferenceBackend.NAME))) {
            assertEquals(16, hf.config().dModel());
            assertEquals(fin.resolve("spiece.model"), hf.tokenizer());
            T5Model m = new T5Model(T5Parameters.of(hf.config(), hf.params()));
            assertEquals(SftConfig.builder().build().model().toT5Config(0f).vocabSize(), m.config().vocabSize());
        }
        // the final model can be finetuned further with --checkpoint, and the last step checkpoint is complete
        Path ckpt = SftCheckpoints.latest(dir.resolve("out")).orElseThrow();
        assertEquals("step-00000012", ckpt.getFileName().toString());
        SftConfig.Builder again = SftTestRuns.tiny(dir, 2, ReferenceBackend.NAME);
        again.steps = 1;
        again.checkpoint = fin;
        again.samples = 0;
        SftResult r2 = SftTestRuns.run(again.build(), dir.resolve("out2"), false, null).result();
        assertTrue(r2.firstLoss() < losses.getFirst() - 2, "starts from the trained model: " + r2.firstLoss());
    }

    /**
     * On both CPU backends. The vector backend's kernels give the same bits interpreted and
     * JIT-compiled (fixed-order lane reductions, exp/tanh from IEEE operations), so the straight
     * run, which starts cold, and the resumed one, which runs hot, must agree exactly there too.
     */
    @ParameterizedTest
    @ValueSource(strings = {ReferenceBackend.NAME, "vector"})
    void resumeAfterACrashGivesBitIdenticalParameters(String backend) throws IOException {
        SftConfig.Builder b = SftTestRuns.tiny(dir, 5, backend);
        b.steps = 6;
        b.samples = 0;
        b.checkpointEvery = 2;
        b.dropoutRate = 0.1f; // dropout masks must replay too
        SftConfig c = b.build();
        SftResult straight = SftTestRuns.run(c, dir.resolve("straight"), false, null).result();

        Path out = dir.resolve("crashed");
        RuntimeException crash = new RuntimeException("simulated crash");
        assertThrows(RuntimeException.class, () -> SftTestRuns.run(c, out, false, (step, loss) -> {
            if (step == 3) throw crash; // after step 3; the newest checkpoint is step 2
        }));
        // a checkpoint half written when the crash came: a hidden temporary folder, ignored and cleaned
        Files.createDirectories(out.resolve("checkpoints/.tmp-step-00000004-dead/model"));
        Files.createDirectories(out.resolve("checkpoints/step-00000005/model")); // no trainer_state.json: incomplete
        assertEquals("step-00000002", SftCheckpoints.latest(out).orElseThrow().getFileName().toString());
        SftTestRuns.Run resumed = SftTestRuns.run(c, out, true, null);
        assertTrue(resumed.log().contains("resumed from"), resumed.log());
        assertEquals(4, resumed.result().stepsThisRun());
        assertEquals(straight.lastLoss(), resumed.result().lastLoss());
        assertFalse(Files.exists(out.resolve("checkpoints/.tmp-step-00000004-dead")));

        try (HfCheckpoint a = HfCheckpoint.load(straight.finalModel(), Backends.get(ReferenceBackend.NAME));
             HfCheckpoint z = HfCheckpoint.load(resumed.result().finalModel(), Backends.get(ReferenceBackend.NAME))) {
            assertEquals(a.params().keySet(), z.params().keySet());
            for (Map.Entry<String, Tensor> e : a.params().entrySet()) {
                assertArrayEquals(e.getValue().toArray(), z.params().get(e.getKey()).toArray(), e.getKey() + " differs");
            }
        }
    }

    @Test
    void resumeRefusesOtherSettingsAndOutRefusesAnOverwrite() throws IOException {
        SftConfig.Builder b = SftTestRuns.tiny(dir, 3, ReferenceBackend.NAME);
        b.steps = 1;
        b.samples = 0;
        Path out = dir.resolve("out");
        String none = assertThrows(IllegalArgumentException.class, () -> SftTestRuns.run(b.build(), out, true, null)).getMessage();
        assertTrue(none.contains("nothing to resume"), none);
        SftTestRuns.run(b.build(), out, false, null);
        String again = assertThrows(IllegalArgumentException.class, () -> SftTestRuns.run(b.build(), out, false, null)).getMessage();
        assertTrue(again.contains("already holds checkpoints") && again.contains("--resume"), again);
        b.steps = 2;
        SftTestRuns.Run more = SftTestRuns.run(b.build(), out, true, null); // a finished run can be extended
        assertEquals(1, more.result().stepsThisRun());
        b.steps = 1;
        String behind = assertThrows(IllegalArgumentException.class, () -> SftTestRuns.run(b.build(), out, true, null)).getMessage();
        assertTrue(behind.contains("is at step 2, beyond the 1 steps"), behind);
        b.batchSize = 3;
        b.steps = 3;
        String other = assertThrows(IllegalArgumentException.class, () -> SftTestRuns.run(b.build(), out, true, null)).getMessage();
        assertTrue(other.contains("batch_size = 2 but this run has 3"), other);
    }
}
