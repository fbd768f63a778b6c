package clp4j.engine.t5.generate;

import clp4j.engine.backend.Backend;
import clp4j.engine.t5.T5Config;
import clp4j.engine.t5.T5Dropout;
import clp4j.engine.t5.T5Model;
import clp4j.engine.t5.TokenBatch;
import clp4j.engine.tensor.Tensor;

import java.util.Arrays;

/**
 * One generation call's state: encoder output, decoder caches, device and host buffers, results.
 * Everything is allocated in the constructor; {@link #step()} allocates nothing. Construct and step it
 * under {@code Autodiff.noGrad()} inside a {@code TensorScope} (as {@link Generator} does).
 */
final class GenerationRun {
    /** No target is ignored in the greedy pick's cross-entropy (ids are never negative). */
    private static final int NO_IGNORED_TARGET = -1;
    private final Backend be;
    private final GenerationConfig config;
    private final SamplingConfig sampling;
    private final IncrementalDecoder decoder;
    private final TokenSampler sampler;
    private final int batch, vocab, maxNew, eos, pad;
    private final Tensor logProbs;   // [B, V] log-softmax of the raw logits (sampling only)
    private final Tensor tempered;   // [B, V] logits / temperature (sampling only)
    private final Tensor probs;      // [B, V] softmax of the tempered logits (sampling only)
    private final float[] hostLogProbs, hostProbs;
    private final Tensor nll;        // [B] -log p(greedy token) (greedy only)
    private final int[] greedyIds;   // each row's argmax (greedy only)
    private final float[] hostNll;
    private final int[] ids;
    private final boolean[] finished;
    private final int[] tokens, lengths;
    private final float[] samplingLogProbs, modelLogProbs;
    private int pos;
    private int live;

    GenerationRun(T5Model model, TokenBatch source, GenerationConfig config) {
        T5Config c = model.config();
        this.config = config;
        this.sampling = config.sampling();
        be = model.parameters().backend();
        batch = source.batch();
        vocab = c.vocabSize();
        maxNew = config.maxNewTokens();
        eos = c.eosTokenId();
        pad = c.padTokenId();
        Tensor enc = model.encode(source, T5Dropout.OFF);
        decoder = new IncrementalDecoder(model.parameters(), enc, model.encoderMask(source), maxNew);
        if (sampling.greedy()) {
            // greedy needs each row's argmax and its log-probability, not the whole log-softmax
            nll = be.zeros(batch);
            greedyIds = new int[batch];
            hostNll = new float[batch];
            logProbs = null;
            hostLogProbs = null;
            tempered = null;
            probs = null;
            hostProbs = null;
            sampler = null;
        } else {
            nll = null;
            greedyIds = null;
            hostNll = null;
            logProbs = be.zeros(batch, vocab);
            hostLogProbs = new float[batch * vocab];
            tempered = be.zeros(batch, vocab);
            probs = be.zeros(batch, vocab);
            hostProbs = new float[batch * vocab];
            sampler = new TokenSampler(vocab, sampling);
        }
        ids = new int[batch];
        Arrays.fill(ids, c.decoderStartTokenId());
        finished = new boolean[batch];
        tokens = new int[batch * maxNew];
        Arrays.fill(tokens, pad);
        lengths = new int[batch];
        Arrays.fill(lengths, maxNew);
        samplingLogProbs = new float[batch * maxNew];
        modelLogProbs = new float[batch * maxNew];
        live = batch;
    }

    /** Whether another step would produce a token (some row is unfinished and the budget is not spent). */
    boolean hasNext() { return pos < maxNew && live > 0; }

    /** Decodes one position for the whole batch. */
    void step() {
        if (!hasNext()) throw new IllegalStateException("generation already finished after " + pos + " steps");
        Tensor logits = decoder.step(ids, pos);
        if (sampling.greedy()) {
            // argmax over the raw logits, as HF's greedy search; log p = -(logsumexp - logit)
            be.argmaxLast(logits, greedyIds);
            be.crossEntropy(logits, greedyIds, NO_IGNORED_TARGET, nll);
            be.copyToHost(nll, hostNll);
        } else {
            be.logSoftmax(logits, null, logProbs);
            be.copyToHost(logProbs, hostLogProbs);
            be.scale(logits, 1f / sampling.temperature(), tempered);
            be.softmax(tempered, null, probs);
            be.copyToHost(probs, hostProbs);
        }
        for (int b = 0; b < batch; b++) {
            int at = b * maxNew + pos;
            if (finished[b]) {
                ids[b] = pad; // finished rows keep decoding pad; their outputs are ignored
                continue;
            }
            int off = b * vocab;
            int token;
            if (sampling.greedy()) {
                token = greedyIds[b];
                samplingLogProbs[at] = 0f;
                modelLogProbs[at] = -hostNll[b];
            } else {
                token = sampler.sample(hostProbs, off, TokenSampler.uniform(config.seed(), b, pos));
                samplingLogProbs[at] = (float) sampler.lastLogProb();
                modelLogProbs[at] = hostLogProbs[off + token];
            }
            tokens[at] = token;
            ids[b] = token;
            if (token == eos && config.stopAtEos()) {
                finished[b] = true;
                lengths[b] = pos + 1;
                live--;
            }
        }
        pos++;
    }

    /** Steps taken so far. */
    int steps() { return pos; }

    Generation result() {
        return new Generation(batch, maxNew, tokens.clone(), lengths.clone(), samplingLogProbs.clone(),
                modelLogProbs.clone(), pad);
    }
}
