package clp4j.clp.sft;

import clp4j.clp.data.Seq2SeqBatch;
import clp4j.clp.data.Seq2SeqExamples;
import clp4j.engine.autodiff.Autodiff;
import clp4j.engine.autodiff.TensorScope;
import clp4j.engine.t5.T5Dropout;
import clp4j.engine.t5.T5Loss;
import clp4j.engine.t5.T5Model;
import clp4j.engine.t5.TokenBatch;
import clp4j.engine.t5.generate.Generation;
import clp4j.engine.t5.generate.GenerationConfig;
import clp4j.engine.t5.generate.Generator;
import clp4j.engine.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.List;

/** Validation of an SFT model: teacher-forced loss per target token, and greedy summaries. */
public final class Validation {
    private Validation() { }

    /** A validation article, its reference summary and the model's greedy summary. */
    public record Sample(String id, String document, String reference, String generated) { }

    /**
     * Mean cross-entropy per summary token over the first {@code count} examples (all when 0 or more
     * than there are), in batches of {@code batchSize}, without dropout or gradients.
     */
    public static double loss(T5Model model, Seq2SeqExamples data, int count, int batchSize) {
        int n = count <= 0 ? data.size() : Math.min(count, data.size());
        double sum = 0;
        long tokens = 0;
        try (var ng = Autodiff.noGrad()) {
            for (int from = 0; from < n; from += batchSize) {
                int[] idx = new int[Math.min(batchSize, n - from)];
                for (int i = 0; i < idx.length; i++) idx[i] = from + i;
                Seq2SeqBatch b = Seq2SeqBatch.of(data, idx, model.config().padTokenId());
                try (TensorScope scope = TensorScope.open()) {
                    float l = T5Loss.teacherForced(model, b.source(), b.labels(), b.targetLength(), T5Dropout.OFF).loss().item();
                    sum += (double) l * b.targetTokens();
                    tokens += b.targetTokens();
                }
            }
        }
        return sum / tokens;
    }

    /** Greedy summaries (KV-cache generator) of the first {@code count} examples. */
    public static List<Sample> summaries(T5Model model, Tokenizer tokenizer, Seq2SeqExamples data, int count, int maxNewTokens) {
        int n = Math.min(count, data.size());
        List<Sample> out = new ArrayList<>();
        if (n == 0) return out;
        int[][] sources = new int[n][];
        for (int i = 0; i < n; i++) sources[i] = data.source(i);
        Generation g = Generator.generate(model, TokenBatch.padded(sources, model.config().padTokenId()),
                GenerationConfig.greedy(maxNewTokens));
        for (int i = 0; i < n; i++) {
            var ex = data.example(i);
            out.add(new Sample(ex.id(), ex.document(), ex.summary(), tokenizer.decode(g.row(i))));
        }
        return out;
    }
}
