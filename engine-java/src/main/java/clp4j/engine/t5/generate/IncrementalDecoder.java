package clp4j.engine.t5.generate;

import clp4j.engine.backend.Backend;
import clp4j.engine.backend.BinaryOp;
import clp4j.engine.backend.UnaryOp;
import clp4j.engine.t5.RelativePositionBucket;
import clp4j.engine.t5.T5Attention;
import clp4j.engine.t5.T5Config;
import clp4j.engine.t5.T5Parameters;
import clp4j.engine.tensor.Tensor;

/**
 * The T5 decoder one token at a time for a whole batch, with every buffer allocated up front: the
 * token loop calls the {@link Backend} with preallocated outputs and allocates nothing.
 *
 * <p>Self-attention keys/values of layer l live in [B, H, maxLen, d_kv] buffers; step {@code pos}
 * writes row {@code pos} of every (b, h) block straight from the projection GEMM (leading dimension
 * H * maxLen * d_kv) and attends over rows 0 .. pos. Cross-attention keys/values are projected once
 * from the encoder output. The relative position bias of query {@code pos} (the last row of the full
 * causal bias, [H, pos + 1]) is filled on the host from the bias table and per-distance bucket ids made
 * once, then copied into a preallocated buffer. No decoder mask is needed: a single query at the newest
 * position may see every cached key, as in HF's cached decoding.
 *
 * <p>Works on the backend's primitives rather than the autodiff ops because those allocate their
 * outputs; the math is the same as {@link clp4j.engine.t5.T5Decoder} (tested against it).
 * Create and use it under {@code Autodiff.noGrad()} and a {@code TensorScope} that owns its buffers.
 */
final class IncrementalDecoder {
    private final Backend be;
    private final DecoderWeights w;
    private final int batch, maxLen, src, d, inner, heads, dkv, dff, vocab, layers;
    private final float eps;
    private final boolean tied;
    private final Tensor[] selfKeys, selfValues, crossKeys, crossValues;
    private final Tensor encoderMask;
    private final Tensor h, normed, rstd, q, ctx, out, hidden, hiddenGate, crossScores, crossProbs, logits;
    /** Views by position: scores/probs [B, H, pos + 1] and bias [H, pos + 1]. */
    private final Tensor[] selfScores, selfProbs, biasRows;
    /** relative_attention_bias [buckets, H] and the bucket of each backward distance 0 .. maxLen - 1. */
    private final float[] biasTable;
    private final int[] bucketOfDistance;
    private final float[] hostBias;

    /**
     * @param encoderOutput [B, S, d_model] of the sources being decoded
     * @param encoderMask   additive source padding mask [B, 1, 1, S], or null without padding
     * @param maxLen        the most decoder positions this instance will run
     */
    IncrementalDecoder(T5Parameters p, Tensor encoderOutput, Tensor encoderMask, int maxLen) {
        T5Config c = p.config();
        be = p.backend();
        w = new DecoderWeights(p);
        batch = encoderOutput.dim(0);
        src = encoderOutput.dim(1);
        this.maxLen = maxLen;
        d = c.dModel();
        inner = c.innerDim();
        heads = c.numHeads();
        dkv = c.dKv();
        dff = c.dFf();
        vocab = c.vocabSize();
        layers = c.numDecoderLayers();
        eps = c.layerNormEpsilon();
        tied = c.tieWordEmbeddings();
        this.encoderMask = encoderMask;
        selfKeys = new Tensor[layers];
        selfValues = new Tensor[layers];
        crossKeys = new Tensor[layers];
        crossValues = new Tensor[layers];
        for (int l = 0; l < layers; l++) {
            selfKeys[l] = be.zeros(batch, heads, maxLen, dkv);
            selfValues[l] = be.zeros(batch, heads, maxLen, dkv);
            // once per source: [B, H, S, d_kv], reused by every step
            crossKeys[l] = T5Attention.project(encoderOutput, w.crossK[l], c);
            crossValues[l] = T5Attention.project(encoderOutput, w.crossV[l], c);
        }
        h = be.zeros(batch, d);
        normed = be.zeros(batch, d);
        rstd = be.zeros(batch);
        q = be.zeros(batch, inner);
        ctx = be.zeros(batch, inner);
        out = be.zeros(batch, d);
        hidden = be.zeros(batch, dff);
        hiddenGate = c.isGated() ? be.zeros(batch, dff) : null;
        crossScores = be.zeros(batch, heads, 1, src);
        crossProbs = be.zeros(batch, heads, 1, src);
        logits = be.zeros(batch, vocab);
        Tensor scores = be.zeros(batch * heads * maxLen);
        Tensor probs = be.zeros(batch * heads * maxLen);
        Tensor bias = be.zeros(heads * maxLen);
        biasTable = w.relativeAttentionBias.toArray();
        bucketOfDistance = new int[maxLen];
        for (int n = 0; n < maxLen; n++) {
            bucketOfDistance[n] = RelativePositionBucket.bucket(-n, false, c.relativeAttentionNumBuckets(),
                    c.relativeAttentionMaxDistance());
        }
        hostBias = new float[heads * maxLen];
        selfScores = new Tensor[maxLen];
        selfProbs = new Tensor[maxLen];
        biasRows = new Tensor[maxLen];
        for (int pos = 0; pos < maxLen; pos++) {
            int t = pos + 1;
            selfScores[pos] = new Tensor(be, scores.storage(), scores.offset(), new int[] {batch, heads, t}, true);
            selfProbs[pos] = new Tensor(be, probs.storage(), probs.offset(), new int[] {batch, heads, t}, true);
            biasRows[pos] = new Tensor(be, bias.storage(), bias.offset(), new int[] {heads, t}, true);
        }
    }

    /**
     * Runs decoder position {@code pos} (0-based; positions must come in order 0, 1, ...) for input ids
     * {@code ids} ([B]) and returns the logits [B, vocab] (a buffer overwritten by the next step).
     */
    Tensor step(int[] ids, int pos) {
        if (pos < 0 || pos >= maxLen) {
            throw new IllegalArgumentException("decoder position " + pos + " is outside the cache of " + maxLen + " positions");
        }
        int t = pos + 1;
        long cacheStride = (long) maxLen * dkv;
        be.embeddingGather(w.shared, ids, h);
        // bias[h, j] = relative_attention_bias[bucket(j - pos), h]: the new query's row, shared by every layer
        for (int hd = 0; hd < heads; hd++) {
            for (int j = 0; j < t; j++) hostBias[hd * t + j] = biasTable[bucketOfDistance[pos - j] * heads + hd];
        }
        be.copyFromHost(hostBias, 0, biasRows[pos]);
        for (int l = 0; l < layers; l++) {
            // causal self-attention over the cache
            be.rmsNorm(h, w.selfNorm[l], eps, normed, rstd);
            linear(normed, w.selfQ[l], q, d, inner);
            appendToCache(normed, w.selfK[l], selfKeys[l], pos);
            appendToCache(normed, w.selfV[l], selfValues[l], pos);
            be.gemm(false, true, batch * heads, 1, t, dkv, 1f, q, 0, dkv, dkv,
                    selfKeys[l], 0, dkv, cacheStride, 0f, selfScores[pos], 0, t, t);
            be.softmax(selfScores[pos], biasRows[pos], selfProbs[pos]);
            be.gemm(false, false, batch * heads, 1, dkv, t, 1f, selfProbs[pos], 0, t, t,
                    selfValues[l], 0, dkv, cacheStride, 0f, ctx, 0, dkv, dkv);
            linear(ctx, w.selfO[l], out, inner, d);
            be.binary(BinaryOp.ADD, h, out, h);
            // cross-attention over the encoder output (keys/values projected once)
            be.rmsNorm(h, w.crossNorm[l], eps, normed, rstd);
            linear(normed, w.crossQ[l], q, d, inner);
            be.gemm(false, true, batch * heads, 1, src, dkv, 1f, q, 0, dkv, dkv,
                    crossKeys[l], 0, dkv, (long) src * dkv, 0f, crossScores, 0, src, src);
            be.softmax(crossScores, encoderMask, crossProbs);
            be.gemm(false, false, batch * heads, 1, dkv, src, 1f, crossProbs, 0, src, src,
                    crossValues[l], 0, dkv, (long) src * dkv, 0f, ctx, 0, dkv, dkv);
            linear(ctx, w.crossO[l], out, inner, d);
            be.binary(BinaryOp.ADD, h, out, h);
            // feed-forward
            be.rmsNorm(h, w.ffNorm[l], eps, normed, rstd);
            linear(normed, w.wi[l], hidden, d, dff);
            if (hiddenGate != null) {
                be.unary(UnaryOp.GELU_NEW, hidden, hidden);
                linear(normed, w.wiGate[l], hiddenGate, d, dff);
                be.binary(BinaryOp.MUL, hidden, hiddenGate, hidden);
            } else {
                be.unary(UnaryOp.RELU, hidden, hidden);
            }
            linear(hidden, w.wo[l], out, dff, d);
            be.binary(BinaryOp.ADD, h, out, h);
        }
        be.rmsNorm(h, w.finalNorm, eps, normed, rstd);
        if (tied) {
            be.scale(normed, (float) Math.pow(d, -0.5), normed);
            linear(normed, w.shared, logits, d, vocab);
        } else {
            linear(normed, w.lmHead, logits, d, vocab);
        }
        return logits;
    }

    /** y [B, outDim] = x [B, inDim] weight^T, weight in HF layout [outDim, inDim]. */
    private void linear(Tensor x, Tensor weight, Tensor y, int inDim, int outDim) {
        be.gemm(false, true, 1, batch, outDim, inDim, 1f, x, 0, inDim, 0, weight, 0, inDim, 0, 0f, y, 0, outDim, 0);
    }

    /**
     * cache[b, h, pos, :] = x[b] W_h^T for every head h: a GEMM batched over heads that shares x, reads
     * head h's d_kv rows of the weight and writes rows of stride H * maxLen * d_kv into the cache.
     */
    private void appendToCache(Tensor x, Tensor weight, Tensor cache, int pos) {
        be.gemm(false, true, heads, batch, dkv, d, 1f, x, 0, d, 0,
                weight, 0, d, (long) dkv * d, 0f,
                cache, (long) pos * dkv, heads * maxLen * dkv, (long) maxLen * dkv);
    }
}
