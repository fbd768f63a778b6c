package clp4j.clp.data;

import clp4j.engine.tokenizer.Tokenizer;

import java.util.Arrays;
import java.util.List;

/**
 * XSum examples tokenised once: encoder input ({@link InputTemplate} applied to the document) and
 * target (the summary), each ending with {@code </s>} and truncated as HF's {@code truncation=True}
 * does (the first {@code maxLength - 1} ids, then {@code </s>}).
 */
public final class Seq2SeqExamples {
    private final List<XsumExample> examples;
    private final int[][] sources;
    private final int[][] targets;

    public Seq2SeqExamples(List<XsumExample> examples, Tokenizer tokenizer, InputTemplate template,
                           int maxSourceLength, int maxTargetLength) {
        if (maxSourceLength < 2 || maxTargetLength < 2) {
            throw new IllegalArgumentException("source/target lengths must be >= 2 (a token and </s>), got "
                    + maxSourceLength + "/" + maxTargetLength);
        }
        this.examples = List.copyOf(examples);
        sources = new int[examples.size()][];
        targets = new int[examples.size()][];
        for (int i = 0; i < sources.length; i++) {
            XsumExample ex = examples.get(i);
            sources[i] = truncate(tokenizer.encode(template.apply(ex.document())), maxSourceLength, tokenizer.eosId());
            targets[i] = truncate(tokenizer.encode(ex.summary()), maxTargetLength, tokenizer.eosId());
        }
    }

    static int[] truncate(int[] ids, int maxLength, int eos) {
        if (ids.length <= maxLength) return ids;
        int[] cut = Arrays.copyOf(ids, maxLength);
        cut[maxLength - 1] = eos;
        return cut;
    }

    public int size() { return sources.length; }
    public XsumExample example(int i) { return examples.get(i); }
    public int[] source(int i) { return sources[i]; }
    public int[] target(int i) { return targets[i]; }
}
