package clp4j.engine.t5.generate;

/**
 * Host-side choice of one token from one row of probabilities (the softmax of the tempered logits),
 * without allocating: top-k, then top-p, then an inverse-CDF draw over the kept tokens in the order
 * the filter leaves them (index order unless top-p is on; deterministic either way).
 * Selection is by quickselect and partitioning, O(vocab) per row, never a full sort.
 *
 * <p>Ties: top-k keeps every token whose probability equals the k-th largest (as HF's
 * {@code TopKLogitsWarper}); top-p keeps token i when the mass of the strictly more likely kept tokens
 * is below {@code topP} times the kept mass, which is HF's {@code TopPLogitsWarper} rule
 * ({@code cumsum of the ascending sort > 1 - top_p}) with ties kept together.
 */
final class TokenSampler {
    private final int vocab;
    private final int topK;
    private final float topP;
    /** Candidate token ids; the kept ones come first after {@link #filter}. */
    private final int[] idx;
    /** Scratch for the k-th largest probability. */
    private final float[] select;
    private double lastLogProb;

    TokenSampler(int vocab, SamplingConfig sampling) {
        this.vocab = vocab;
        this.topK = sampling.topK() >= vocab ? 0 : sampling.topK();
        this.topP = sampling.topP();
        this.idx = new int[vocab];
        this.select = topK > 0 ? new float[vocab] : null;
    }

    /**
     * Draws a token from probs[off .. off + vocab) with uniform {@code u} in [0, 1) and returns it;
     * {@link #lastLogProb()} then holds its log-probability under the filtered, renormalised distribution.
     */
    int sample(float[] probs, int off, double u) {
        int kept = filter(probs, off);
        double mass = 0;
        for (int i = 0; i < kept; i++) mass += probs[off + idx[i]];
        double target = u * mass;
        double cum = 0;
        int chosen = idx[kept - 1];
        for (int i = 0; i < kept; i++) {
            float p = probs[off + idx[i]];
            cum += p;
            if (cum > target && p > 0f) {
                chosen = idx[i];
                break;
            }
        }
        lastLogProb = Math.log(probs[off + chosen]) - Math.log(mass);
        return chosen;
    }

    /** Log-probability of the last {@link #sample}d token under the sampling distribution. */
    double lastLogProb() { return lastLogProb; }

    /** The kept token ids are {@link #kept}(0 .. n-1) after this returns n. */
    int filter(float[] probs, int off) {
        int n = 0;
        if (topK > 0) {
            float kth = kthLargest(probs, off, topK);
            for (int j = 0; j < vocab; j++) if (probs[off + j] >= kth) idx[n++] = j;
        } else {
            for (int j = 0; j < vocab; j++) idx[n++] = j;
        }
        if (topP < 1f) {
            double mass = 0;
            for (int i = 0; i < n; i++) mass += probs[off + idx[i]];
            n = nucleus(probs, off, n, topP * mass);
        }
        return n;
    }

    int kept(int i) { return idx[i]; }

    private float kthLargest(float[] probs, int off, int k) {
        System.arraycopy(probs, off, select, 0, vocab);
        int lo = 0;
        int hi = vocab - 1;
        int want = k - 1; // position in descending order
        while (lo < hi) {
            float pivot = median(select[lo], select[(lo + hi) >>> 1], select[hi]);
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (select[i] > pivot) i++;
                while (select[j] < pivot) j--;
                if (i <= j) {
                    float t = select[i];
                    select[i++] = select[j];
                    select[j--] = t;
                }
            }
            if (want <= j) hi = j;
            else if (want >= i) lo = i;
            else return select[want];
        }
        return select[want];
    }

    /**
     * Moves the nucleus of idx[0 .. n) to the front and returns its size: the tokens whose strictly
     * greater candidates hold less than {@code limit} mass. Three-way partitions around a pivot
     * probability and descends into the side that holds the boundary.
     */
    private int nucleus(float[] probs, int off, int n, double limit) {
        int lo = 0;
        int hi = n;
        double above = 0; // mass of the candidates known to beat everything in [lo, hi)
        while (lo < hi) {
            float v = median(probs[off + idx[lo]], probs[off + idx[(lo + hi) >>> 1]], probs[off + idx[hi - 1]]);
            int lt = lo;
            int i = lo;
            int gt = hi;
            double greater = 0;
            double equal = 0;
            while (i < gt) {
                float x = probs[off + idx[i]];
                if (x > v) {
                    greater += x;
                    swap(lt++, i++);
                } else if (x < v) {
                    swap(i, --gt);
                } else {
                    equal += x;
                    i++;
                }
            }
            if (above + greater >= limit) {
                hi = lt;
            } else if (above + greater + equal >= limit) {
                return gt;
            } else {
                above += greater + equal;
                lo = gt;
            }
        }
        return lo;
    }

    private void swap(int a, int b) {
        int t = idx[a];
        idx[a] = idx[b];
        idx[b] = t;
    }

    private static float median(float a, float b, float c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    /** A uniform double in [0, 1) that depends only on (seed, row, step): SplitMix64 finalisers chained. */
    static double uniform(long seed, int row, int step) {
        long z = mix(seed + 0x9E3779B97F4A7C15L);
        z = mix(z + (row + 1L) * 0xBF58476D1CE4E5B9L);
        z = mix(z + (step + 1L) * 0x94D049BB133111EBL);
        return (z >>> 11) * 0x1.0p-53;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
