package clp4j.clp.sft;

import clp4j.clp.data.DataOrder;
import clp4j.clp.data.Seq2SeqBatch;
import clp4j.engine.autodiff.Autodiff;
import clp4j.engine.autodiff.TensorScope;
import clp4j.engine.backend.ReferenceBackend;
import clp4j.engine.io.HfCheckpoint;
import clp4j.engine.optim.Adafactor;
import clp4j.engine.optim.AdafactorConfig;
import clp4j.engine.optim.ConstantSchedule;
import clp4j.engine.optim.Optimizer;
import clp4j.engine.optim.OptimizerCheckpoint;
import clp4j.engine.t5.T5Dropout;
import clp4j.engine.t5.T5Loss;
import clp4j.engine.t5.T5Model;
import clp4j.engine.tensor.DType;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Supervised finetuning of T5 on XSum, the first stage of CLP (the reference policy): teacher-forced
 * cross-entropy, Adafactor with T5X's defaults at a constant learning rate, padded batches in a
 * seeded order, a {@code TensorScope} per step, progress lines, periodic validation loss, atomic
 * checkpoints and exact resume (same parameters bit for bit as an uninterrupted run: the data
 * order and dropout seeds are functions of (seed, step), and parameters and optimizer state are
 * saved in F32). At the end: the final validation loss, greedy summaries of a few validation
 * articles, and {@code OUT/final}, an HF checkpoint directory with spiece.model.
 */
public final class SftTrainer {
    public static final String FINAL_DIR = "final";

    /** Called after every step (after its checkpoint, if any); an exception thrown here ends the run. */
    @FunctionalInterface
    public interface StepListener {
        void afterStep(long step, float loss);
    }

    private final SftConfig config;
    private final Path out;
    private final PrintStream log;
    private StepListener listener = (s, l) -> { };

    public SftTrainer(SftConfig config, Path out, PrintStream log) {
        this.config = config;
        this.out = out;
        this.log = log;
    }

    public SftTrainer onStep(StepListener l) {
        this.listener = l;
        return this;
    }

    /**
     * Trains up to {@code config.steps()}. With {@code resume}, continues from the newest checkpoint
     * in {@code out} (an error if there is none); without, refuses an {@code out} that already holds
     * checkpoints, so a finished run is never overwritten by accident.
     */
    public SftResult run(boolean resume) throws IOException {
        Optional<Path> latest = SftCheckpoints.latest(out);
        if (resume && latest.isEmpty()) {
            throw new IllegalArgumentException("nothing to resume: " + SftCheckpoints.root(out) + " holds no complete checkpoint; "
                    + "run without --resume to start training");
        }
        if (!resume && latest.isPresent()) {
            throw new IllegalArgumentException(out + " already holds checkpoints (newest " + latest.get().getFileName()
                    + "); pass --resume to continue that run, or choose another --out");
        }
        try (SftSetup s = new SftSetup(config, out, resume ? latest.get() : null)) {
            return train(s);
        }
    }

    private SftResult train(SftSetup s) throws IOException {
        SftConfig c = config;
        Map<String, String> identity = TrainerState.runIdentity(c, s.modelSource, s.trainFingerprint());
        long start = 0;
        if (s.resumeState != null) {
            s.resumeState.requireSameRun(identity, s.resumeFrom);
            start = s.resumeState.step();
            if (start > c.steps()) {
                throw new IllegalArgumentException(s.resumeFrom + " is at step " + start + ", beyond the " + c.steps()
                        + " steps asked for; pass --steps " + start + " or more to continue it");
            }
        }
        T5Model model = new T5Model(s.params.requiresGrad(true));
        float dropout = c.dropoutRate() != null ? c.dropoutRate() : model.config().dropoutRate();
        DataOrder order = new DataOrder(s.train.size(), c.seed());
        int pad = model.config().padTokenId();
        header(s, dropout, start);
        try (Optimizer opt = new Adafactor(s.params.asMap(), AdafactorConfig.t5x(), new ConstantSchedule(c.effectiveLearningRate()))) {
            if (s.resumeFrom != null) {
                OptimizerCheckpoint.restore(opt, s.resumeFrom.resolve(SftCheckpoints.OPTIMIZER_FILE));
                if (opt.stepCount() != start) {
                    throw new IllegalStateException(s.resumeFrom + ": optimizer step " + opt.stepCount() + " but trainer step " + start
                            + "; the checkpoint is inconsistent, delete it and resume from an older one");
                }
                log.printf(Locale.ROOT, "resumed from %s at step %d%n", s.resumeFrom, start);
            }
            ProgressMeter meter = new ProgressMeter(start, c.steps());
            float first = Float.NaN, last = s.resumeState != null ? s.resumeState.lastLoss() : Float.NaN;
            for (long step = start; step < c.steps(); step++) {
                Seq2SeqBatch batch = batch(s, order, step, pad);
                last = trainStep(model, opt, batch, dropout, step);
                if (Float.isNaN(first)) first = last;
                long done = step + 1;
                meter.add(last, batch.targetTokens() + realTokens(batch));
                if (done % c.logEvery() == 0 || done == c.steps()) log.println(meter.line(done, opt.currentLearningRate()));
                if (c.evalEvery() > 0 && done % c.evalEvery() == 0 && done != c.steps()) validate(model, s, done);
                boolean periodic = c.checkpointEvery() > 0 && done % c.checkpointEvery() == 0;
                if (periodic || done == c.steps()) checkpoint(s, opt, order, done, last, identity);
                listener.afterStep(done, last);
            }
            if (start == c.steps()) log.printf(Locale.ROOT, "already at step %d; nothing to train%n", start);
            double valLoss = validate(model, s, c.steps());
            List<Validation.Sample> samples = Validation.summaries(model, s.tokenizer, s.validation, c.samples(), c.maxNewTokens());
            for (Validation.Sample v : samples) printSample(v);
            Path finalDir = saveFinal(s);
            log.printf(Locale.ROOT, "final model: %s (load it with --checkpoint %s)%n", finalDir, finalDir);
            return new SftResult(c.steps(), c.steps() - start, first, last, valLoss, finalDir, samples, meter.elapsedSeconds());
        }
    }

    /** The batch of {@code step}: samples step*B .. step*B+B-1 of the seeded order. */
    private Seq2SeqBatch batch(SftSetup s, DataOrder order, long step, int pad) {
        int b = config.batchSize();
        int[] idx = new int[b];
        for (int i = 0; i < b; i++) idx[i] = order.exampleAt(step * b + i);
        return Seq2SeqBatch.of(s.train, idx, pad);
    }

    private float trainStep(T5Model model, Optimizer opt, Seq2SeqBatch batch, float dropout, long step) {
        try (TensorScope scope = TensorScope.open()) {
            T5Dropout d = T5Dropout.training(dropout, dropoutSeed(config.seed(), step));
            var r = T5Loss.teacherForced(model, batch.source(), batch.labels(), batch.targetLength(), d);
            Autodiff.backward(r.loss());
            float loss = r.loss().item();
            if (!Float.isFinite(loss)) {
                throw new IllegalStateException("training loss is " + loss + " at step " + (step + 1)
                        + "; lower learning_rate or resume from an earlier checkpoint");
            }
            opt.step();
            opt.zeroGrad();
            return loss;
        }
    }

    /** Dropout masks of a step depend only on (seed, step), so a resumed run draws the same ones. */
    static long dropoutSeed(long seed, long step) {
        long z = seed * 0x9E3779B97F4A7C15L + step;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long realTokens(Seq2SeqBatch b) {
        long n = 0;
        for (int m : b.source().mask()) n += m;
        return n;
    }

    private double validate(T5Model model, SftSetup s, long step) {
        long t0 = System.nanoTime();
        double loss = Validation.loss(model, s.validation, config.evalExamples(), config.batchSize());
        int n = config.evalExamples() == 0 ? s.validation.size() : Math.min(config.evalExamples(), s.validation.size());
        log.printf(Locale.ROOT, "step %d  validation loss %.4f  (%d articles, %.1f s)%n", step, loss, n, (System.nanoTime() - t0) / 1e9);
        return loss;
    }

    private void checkpoint(SftSetup s, Optimizer opt, DataOrder order, long step, float loss, Map<String, String> identity)
            throws IOException {
        long samples = step * config.batchSize();
        TrainerState st = new TrainerState(step, order.epochOf(samples), order.cursorOf(samples), samples, loss, identity);
        Path dir = SftCheckpoints.save(out, s.params, s.tokenizerFile, opt, st, config.keepCheckpoints());
        log.printf(Locale.ROOT, "step %d  checkpoint %s%n", step, dir);
    }

    private Path saveFinal(SftSetup s) throws IOException {
        Path target = out.resolve(FINAL_DIR).toAbsolutePath();
        Path tmp = SftCheckpoints.temporaryBeside(target);
        HfCheckpoint.save(tmp, s.params.config(), s.params.asMap(), DType.F32, s.tokenizerFile);
        SftCheckpoints.publish(tmp, target);
        return target;
    }

    private void header(SftSetup s, float dropout, long start) {
        SftConfig c = config;
        log.printf(Locale.ROOT, "sft: %s, %,d parameters, backend %s%n", s.modelSource, s.params.count(), s.backend.name());
        log.printf(Locale.ROOT, "data: %d train articles (%s), %d validation articles (%s)%n", s.train.size(), s.trainSet.file(),
                s.validation.size(), s.validationSet.file());
        log.printf(Locale.ROOT, "steps %d (from %d), batch %d, Adafactor (T5X defaults) lr %s constant, dropout %s, "
                        + "source/target tokens %d/%d, seed %d, out %s%n", c.steps(), start, c.batchSize(), c.effectiveLearningRate(), dropout,
                c.maxSourceLength(), c.maxTargetLength(), c.seed(), out.toAbsolutePath());
        if (c.backend() == null && s.backend.name().equals(ReferenceBackend.NAME)) {
            log.println("note: running on the reference backend (plain loops, for checking), many times slower than the vector "
                    + "backend, which is not available in this build");
        }
    }

    private void printSample(Validation.Sample v) {
        String doc = v.document().replace('\n', ' ');
        log.printf(Locale.ROOT, "--- validation article %s: %s%n    reference: %s%n    generated: %s%n", v.id(),
                doc.length() > 160 ? doc.substring(0, 160) + " ..." : doc, v.reference(), v.generated());
    }

}
