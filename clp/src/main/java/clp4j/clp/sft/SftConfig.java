package clp4j.clp.sft;

import clp4j.clp.data.InputTemplate;

import java.nio.file.Path;

/**
 * Settings of one supervised finetuning run. JSON field names (see {@link SftConfigJson}) are given
 * in brackets; {@link #defaults()} is the built-in run that {@code clp4j sft} performs without options.
 *
 * @param trainFile       [train_file] XSum JSON Lines; null = the shared sample's train.jsonl
 * @param validationFile  [validation_file] null = the shared sample's validation.jsonl
 * @param tokenizer       [tokenizer] a SentencePiece spiece.model; null = the checkpoint's, else the shared T5 vocabulary
 * @param checkpoint      [checkpoint] HF checkpoint directory to finetune; null = the built-in random model
 * @param model           [model] size of the built-in random model (ignored with a checkpoint)
 * @param backend         [backend] engine backend name; null = the default (vector when available)
 * @param inputTemplate   [input_template] encoder input, {@code {document}} stands for the article
 * @param maxSourceLength [max_source_length] encoder tokens kept per article (ending with {@code </s>})
 * @param maxTargetLength [max_target_length] summary tokens kept
 * @param steps           [steps] optimizer steps in total (a resumed run continues up to this)
 * @param batchSize       [batch_size] examples per step
 * @param learningRate    [learning_rate] constant Adafactor learning rate; null = {@link #effectiveLearningRate()}'s default
 * @param seed            [seed] seeds initialisation, data order and dropout
 * @param dropoutRate     [dropout_rate] null = the model's config.json value
 * @param logEvery        [log_every] steps between progress lines
 * @param evalEvery       [eval_every] steps between validation losses (0 = only at the end)
 * @param evalExamples    [eval_examples] validation examples scored (0 = all)
 * @param checkpointEvery [checkpoint_every] steps between checkpoints (0 = only at the end)
 * @param keepCheckpoints [keep_checkpoints] newest step checkpoints kept on disk
 * @param samples         [samples] validation articles summarised greedily at the end
 * @param maxNewTokens    [max_new_tokens] summary length limit for those samples
 */
public record SftConfig(Path trainFile, Path validationFile, Path tokenizer, Path checkpoint, ModelSize model,
                        String backend, InputTemplate inputTemplate, int maxSourceLength, int maxTargetLength,
                        int steps, int batchSize, Float learningRate, long seed, Float dropoutRate,
                        int logEvery, int evalEvery, int evalExamples, int checkpointEvery, int keepCheckpoints,
                        int samples, int maxNewTokens) {

    public SftConfig {
        if (model == null) throw new IllegalArgumentException("model size is null; omit \"model\" for the default");
        if (inputTemplate == null) throw new IllegalArgumentException("input_template is null; use e.g. \"summarize: {document}\"");
        atLeast("max_source_length", maxSourceLength, 2);
        atLeast("max_target_length", maxTargetLength, 2);
        atLeast("steps", steps, 1);
        atLeast("batch_size", batchSize, 1);
        if (learningRate != null && (!(learningRate > 0) || Float.isInfinite(learningRate))) {
            throw new IllegalArgumentException("learning_rate is " + learningRate + "; it must be a finite number > 0 (T5X finetuning uses 1e-3)");
        }
        if (dropoutRate != null && !(dropoutRate >= 0 && dropoutRate < 1)) {
            throw new IllegalArgumentException("dropout_rate is " + dropoutRate + "; it must be in [0, 1)");
        }
        atLeast("log_every", logEvery, 1);
        atLeast("eval_every", evalEvery, 0);
        atLeast("eval_examples", evalExamples, 0);
        atLeast("checkpoint_every", checkpointEvery, 0);
        atLeast("keep_checkpoints", keepCheckpoints, 1);
        atLeast("samples", samples, 0);
        atLeast("max_new_tokens", maxNewTokens, 1);
        if (backend != null && backend.isBlank()) throw new IllegalArgumentException("backend is blank; omit it for the default");
    }

    /** T5X's finetuning rate for a checkpoint. */
    public static final float FINETUNE_LEARNING_RATE = 1e-3f;
    /**
     * The built-in model starts from random weights, where 1e-3 barely moves it in a few hundred steps;
     * 3e-3 (T5X pretraining runs at 1e-2 for its first 10k steps) lets the default run learn visibly.
     */
    public static final float FROM_SCRATCH_LEARNING_RATE = 3e-3f;

    /** The learning rate used: the configured one, else 1e-3 with a checkpoint and 3e-3 for the random model. */
    public float effectiveLearningRate() {
        if (learningRate != null) return learningRate;
        return checkpoint != null ? FINETUNE_LEARNING_RATE : FROM_SCRATCH_LEARNING_RATE;
    }

    private static void atLeast(String field, long v, long min) {
        if (v < min) throw new IllegalArgumentException(field + " is " + v + "; it must be at least " + min);
    }

    /** The built-in default run: the small random model on the shared XSum sample, about 3-5 minutes on 2 cores. */
    public static SftConfig defaults() { return builder().build(); }

    public static Builder builder() { return new Builder(); }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.trainFile = trainFile; b.validationFile = validationFile; b.tokenizer = tokenizer; b.checkpoint = checkpoint;
        b.model = model; b.backend = backend; b.inputTemplate = inputTemplate.template();
        b.maxSourceLength = maxSourceLength; b.maxTargetLength = maxTargetLength; b.steps = steps; b.batchSize = batchSize;
        b.learningRate = learningRate; b.seed = seed; b.dropoutRate = dropoutRate; b.logEvery = logEvery;
        b.evalEvery = evalEvery; b.evalExamples = evalExamples; b.checkpointEvery = checkpointEvery;
        b.keepCheckpoints = keepCheckpoints; b.samples = samples; b.maxNewTokens = maxNewTokens;
        return b;
    }

    /** Mutable settings, defaults filled in; {@link #build()} validates. */
    public static final class Builder {
        public Path trainFile, validationFile, tokenizer, checkpoint;
        public ModelSize model = ModelSize.DEFAULT;
        public String backend;
        public String inputTemplate = InputTemplate.DEFAULT.template();
        public int maxSourceLength = 128, maxTargetLength = 48;
        public int steps = 200, batchSize = 8;
        public Float learningRate = null;
        public long seed = 42;
        public Float dropoutRate = null;
        public int logEvery = 10, evalEvery = 50, evalExamples = 0, checkpointEvery = 100, keepCheckpoints = 2;
        public int samples = 3, maxNewTokens = 48;

        public SftConfig build() {
            return new SftConfig(trainFile, validationFile, tokenizer, checkpoint, model, backend, new InputTemplate(inputTemplate),
                    maxSourceLength, maxTargetLength, steps, batchSize, learningRate, seed, dropoutRate, logEvery, evalEvery,
                    evalExamples, checkpointEvery, keepCheckpoints, samples, maxNewTokens);
        }
    }
}
