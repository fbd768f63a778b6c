package clp4j.clp.sft;

import clp4j.clp.data.Seq2SeqExamples;
import clp4j.clp.data.SharedData;
import clp4j.clp.data.XsumDataset;
import clp4j.clp.data.XsumExample;
import clp4j.engine.backend.Backend;
import clp4j.engine.backend.Backends;
import clp4j.engine.io.AtomicFiles;
import clp4j.engine.io.HfCheckpoint;
import clp4j.engine.t5.T5Config;
import clp4j.engine.t5.T5Init;
import clp4j.engine.t5.T5Names;
import clp4j.engine.t5.T5Parameters;
import clp4j.engine.tensor.Tensor;
import clp4j.engine.tokenizer.Tokenizer;
import clp4j.nativ.sentencepiece.SentencePieceTokenizer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Everything a run needs before its first step: backend, tokenizer, model parameters (from the
 * checkpoint being resumed, a user's HF checkpoint, or the built-in random initialisation), the
 * tokenised train and validation sets and, when resuming, the trainer state.
 */
final class SftSetup implements AutoCloseable {
    /** dropout_rate of the built-in model, as T5 v1.1's config.json (and T5X finetuning) have it. */
    static final float BUILT_IN_DROPOUT = 0.1f;
    final Backend backend;
    final Tokenizer tokenizer;
    final Path tokenizerFile;
    final T5Parameters params;
    final String modelSource;
    final XsumDataset trainSet, validationSet;
    final Seq2SeqExamples train, validation;
    final Path resumeFrom;
    final TrainerState resumeState;

    SftSetup(SftConfig c, Path out, Path resumeFrom) throws IOException {
        this.resumeFrom = resumeFrom;
        backend = c.backend() == null ? Backends.get() : Backends.get(c.backend());
        modelSource = c.checkpoint() != null ? "checkpoint " + c.checkpoint().toAbsolutePath().normalize()
                : "built-in random T5 v1.1 (" + c.model().describe() + ", seed " + c.seed() + ")";
        HfCheckpoint hf = null;
        if (resumeFrom != null) {
            resumeState = TrainerState.read(resumeFrom.resolve(TrainerState.FILE));
            hf = HfCheckpoint.load(resumeFrom.resolve(SftCheckpoints.MODEL_DIR), backend);
        } else {
            resumeState = null;
            if (c.checkpoint() != null) hf = HfCheckpoint.load(c.checkpoint(), backend);
        }
        if (hf != null) {
            params = T5Parameters.of(hf.config(), hf.params());
        } else {
            float dropout = c.dropoutRate() == null ? BUILT_IN_DROPOUT : c.dropoutRate();
            params = builtInModel(c.model().toT5Config(dropout), backend, c.seed());
        }
        Path source;
        if (c.tokenizer() != null) {
            source = c.tokenizer();
        } else if (hf != null && hf.tokenizer() != null) {
            source = hf.tokenizer();
        } else if (c.checkpoint() != null) {
            throw new IllegalArgumentException("checkpoint " + c.checkpoint() + " has no " + HfCheckpoint.TOKENIZER_FILE
                    + "; copy the model's spiece.model into it or set \"tokenizer\" in the config");
        } else {
            source = SharedData.t5Vocabulary();
        }
        // the run keeps its own copy: checkpoints (and the one resumed from) may be pruned while it runs
        tokenizerFile = out.resolve(HfCheckpoint.TOKENIZER_FILE);
        if (!Files.exists(tokenizerFile) || Files.mismatch(source, tokenizerFile) != -1) {
            Files.createDirectories(out);
            byte[] bytes = Files.readAllBytes(source);
            AtomicFiles.write(tokenizerFile, ch -> AtomicFiles.writeFully(ch, ByteBuffer.wrap(bytes)));
        }
        tokenizer = SentencePieceTokenizer.load(tokenizerFile);
        if (tokenizer.vocabSize() > params.config().vocabSize()) {
            throw new IllegalArgumentException("tokenizer " + tokenizerFile + " has " + tokenizer.vocabSize()
                    + " ids but the model's vocab_size is " + params.config().vocabSize() + "; use the model's own spiece.model");
        }
        trainSet = XsumDataset.load(c.trainFile() != null ? c.trainFile() : SharedData.xsumTrain());
        validationSet = XsumDataset.load(c.validationFile() != null ? c.validationFile() : SharedData.xsumValidation());
        train = new Seq2SeqExamples(trainSet.examples(), tokenizer, c.inputTemplate(), c.maxSourceLength(), c.maxTargetLength());
        validation = new Seq2SeqExamples(validationSet.examples(), tokenizer, c.inputTemplate(), c.maxSourceLength(), c.maxTargetLength());
    }

    /**
     * HF's initialisation ({@link T5Init}), except the untied output layer, which gets T5X's
     * {@code logits_dense} initialisation (variance scaling 1.0, fan-in: std d_model^-1/2) instead of
     * HF's std 1: with std 1 the first logits have std sqrt(d_model) and the loss starts near 30
     * instead of near ln(vocab), which a short run spends most of its steps undoing.
     */
    static T5Parameters builtInModel(T5Config config, Backend backend, long seed) {
        T5Parameters p = T5Init.random(config, backend, seed);
        Tensor head = p.get(T5Names.LM_HEAD);
        float[] w = head.toArray();
        float scale = (float) Math.pow(config.dModel(), -0.5);
        for (int i = 0; i < w.length; i++) w[i] *= scale;
        p.set(T5Names.LM_HEAD, backend.fromArray(w, head.shape())).close();
        return p;
    }

    /** Size and a hash of the training ids in file order: resuming on other data is refused. */
    String trainFingerprint() {
        long h = 1125899906842597L;
        for (XsumExample e : trainSet.examples()) {
            for (int i = 0; i < e.id().length(); i++) h = 31 * h + e.id().charAt(i);
            h = 31 * h + '\n';
        }
        return trainSet.size() + " examples, ids hash " + Long.toHexString(h);
    }

    @Override
    public void close() {
        tokenizer.close();
        for (var t : params.asMap().values()) {
            if (t.grad() != null) t.grad().close();
            t.close();
        }
    }
}
