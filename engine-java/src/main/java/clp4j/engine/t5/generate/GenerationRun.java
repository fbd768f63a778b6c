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
    private final Backend be;
    private final GenerationConfig config;
    private final SamplingConfig sampling;
    private final IncrementalDecoder decoder;
    private final TokenSampler sampler;
    private final int batch, vocab, maxNew, eos, pad;
    private final Tensor logProbs;   // [B, V] log-softmax of the raw logits
    private final Tensor tempered;   // [B, V] logits / temperature (sampling only)
    private final Tensor probs;      // [B, V] softmax of the tempered logits (sampling only)
    private final float[] hostLogProbs, hostProbs;
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
        logProbs = be.zeros(batch, vocab);
        hostLogProbs = new float[batch * vocab];
        if (sampling.greedy()) {
            tempered = null;
            probs = null;
            hostProbs = null;
            sampler = null;
        } else {
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
        be.logSoftmax(logits, null, logProbs);
        be.copyToHost(logProbs, hostLogProbs);
        if (!sampling.greedy()) {
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
                token = TokenSampler.argmax(hostLogProbs, off, vocab);
                samplingLogProbs[at] = 0f;
            } else {
                token = sampler.sample(hostProbs, off, TokenSampler.uniform(config.seed(), b, pos));
                samplingLogProbs[at] = (float) sampler.lastLogProb();
            }
            modelLogProbs[at] = hostLogProbs[off + token];
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
