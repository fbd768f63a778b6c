package clp4j.clp.sft;

import clp4j.clp.data.SharedData;

import java.io.IOException;
import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A tiny SFT setting for tests: a 1+1-layer model, six real XSum articles, short sequences. */
final class SftTestRuns {
    private SftTestRuns() { }

    /** Writes the first {@code n} lines of the shared train and validation files into {@code dir}. */
    static SftConfig.Builder tiny(Path dir, int trainArticles, String backend) throws IOException {
        Path train = dir.resolve("train.jsonl");
        Path validation = dir.resolve("validation.jsonl");
        List<String> t = Files.readAllLines(SharedData.xsumTrain());
        List<String> v = Files.readAllLines(SharedData.xsumValidation());
        Files.write(train, t.subList(0, trainArticles));
        Files.write(validation, v.subList(0, 3));
        SftConfig.Builder b = SftConfig.builder();
        b.trainFile = train;
        b.validationFile = validation;
        b.model = new ModelSize(16, 4, 32, 2, 1, 1);
        b.backend = backend;
        b.maxSourceLength = 24;
        b.maxTargetLength = 10;
        b.batchSize = 2;
        b.learningRate = 1e-2f;
        b.logEvery = 1;
        b.evalEvery = 0;
        b.checkpointEvery = 0;
        b.samples = 1;
        b.maxNewTokens = 4;
        return b;
    }

    /** Runs a trainer, returning its result and log. */
    record Run(SftResult result, String log) { }

    static Run run(SftConfig c, Path out, boolean resume, SftTrainer.StepListener listener) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream log = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            SftTrainer t = new SftTrainer(c, out, log);
            if (listener != null) t.onStep(listener);
            return new Run(t.run(resume), bytes.toString(StandardCharsets.UTF_8));
        }
    }
}
