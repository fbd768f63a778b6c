package clp4j.engine.t5.generate;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Top-k / top-p filtering and drawing against a straightforward sort-based computation, as HF's warpers do it. */
class TokenSamplerTest {
    private static final int V = 500;

    /** A fixed row of probabilities: softmax of N(0, 2.5^2) logits (no ties). */
    private static float[] probs(long seed) {
        Random r = new Random(seed);
        double[] logits = new double[V];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < V; i++) max = Math.max(max, logits[i] = 2.5 * r.nextGaussian());
        double sum = 0;
        for (int i = 0; i < V; i++) sum += Math.exp(logits[i] - max);
        float[] p = new float[V];
        for (int i = 0; i < V; i++) p[i] = (float) (Math.exp(logits[i] - max) / sum);
        return p;
    }

    /** HF: top-k keeps probs >= the k-th largest; top-p sorts ascending and removes cumsum <= 1 - p (renormalised after top-k). */
    private static TreeSet<Integer> reference(float[] p, int k, float topP) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < V; i++) ids.add(i);
        if (k > 0 && k < V) {
            Integer[] sorted = ids.toArray(new Integer[0]);
            Arrays.sort(sorted, Comparator.comparingDouble(i -> -p[i]));
            float kth = p[sorted[k - 1]];
            ids.removeIf(i -> p[i] < kth);
        }
        if (topP < 1f) {
            double mass = 0;
            for (int i : ids) mass += p[i];
            ids.sort(Comparator.comparingDouble(i -> p[i])); // ascending
            double cum = 0;
            List<Integer> kept = new ArrayList<>();
            for (int j = 0; j < ids.size(); j++) {
                cum += p[ids.get(j)] / mass;
                if (cum > 1 - topP || j == ids.size() - 1) kept.add(ids.get(j));
            }
            ids = kept;
        }
        return new TreeSet<>(ids);
    }

    private static TreeSet<Integer> kept(TokenSampler s, float[] p) {
        int n = s.filter(p, 0);
        TreeSet<Integer> out = new TreeSet<>();
        for (int i = 0; i < n; i++) out.add(s.kept(i));
        return out;
    }

    @Test
    void topKAndTopPKeepTheReferenceSets() {
        for (long seed : new long[] {1, 2, 3}) {
            float[] p = probs(seed);
            for (int k : new int[] {0, 1, 2, 7, 40, 499, 500, 10_000}) {
                for (float topP : new float[] {0.05f, 0.3f, 0.5f, 0.8f, 0.95f, 1f}) {
                    TokenSampler s = new TokenSampler(V, SamplingConfig.sample(1f, k, topP));
                    TreeSet<Integer> want = reference(p, k, topP);
                    assertEquals(want, kept(s, p), "seed " + seed + " top-k " + k + " top-p " + topP);
                    if (k == 0 && topP == 1f) assertEquals(V, want.size());
                }
            }
        }
    }

    @Test
    void filterKeepsTiesAtTheTopKBoundary() {
        float[] p = new float[V];
        Arrays.fill(p, 0.5f / (V - 3));
        p[10] = 0.2f;
        p[20] = 0.15f;
        p[30] = 0.15f;
        TokenSampler s = new TokenSampler(V, SamplingConfig.sample(1f, 2, 1f));
        assertEquals(new TreeSet<>(List.of(10, 20, 30)), kept(s, p));
    }

    @Test
    void drawsFollowTheRenormalisedKeptDistribution() {
        float[] p = probs(4);
        TokenSampler s = new TokenSampler(V, SamplingConfig.sample(1f, 5, 0.9f));
        TreeSet<Integer> kept = reference(p, 5, 0.9f);
        double mass = 0;
        for (int i : kept) mass += p[i];
        int draws = 40_000;
        int[] counts = new int[V];
        for (int i = 0; i < draws; i++) {
            int tok = s.sample(p, 0, TokenSampler.uniform(99, 0, i));
            assertTrue(kept.contains(tok), "drew a filtered token " + tok);
            assertEquals(Math.log(p[tok] / mass), s.lastLogProb(), 1e-6, "log-prob of token " + tok);
            counts[tok]++;
        }
        for (int tok : kept) {
            double expected = p[tok] / mass;
            double sd = Math.sqrt(expected * (1 - expected) / draws);
            assertEquals(expected, counts[tok] / (double) draws, 5 * sd + 1e-3, "frequency of token " + tok);
        }
    }

    @Test
    void uniformsAreInRangeAndDependOnSeedRowAndStep() {
        double a = TokenSampler.uniform(1, 0, 0);
        assertTrue(a >= 0 && a < 1);
        assertTrue(a != TokenSampler.uniform(2, 0, 0) && a != TokenSampler.uniform(1, 1, 0) && a != TokenSampler.uniform(1, 0, 1));
        assertEquals(a, TokenSampler.uniform(1, 0, 0));
    }

    @Test
    void invalidSamplingSettingsAreRejectedWithTheValue() {
        var t = assertThrows(IllegalArgumentException.class, () -> SamplingConfig.sample(0f));
        assertTrue(t.getMessage().contains("temperature is 0.0"), t.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SamplingConfig.sample(-1f));
        assertThrows(IllegalArgumentException.class, () -> SamplingConfig.sample(Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> SamplingConfig.sample(Float.POSITIVE_INFINITY));
        t = assertThrows(IllegalArgumentException.class, () -> SamplingConfig.sample(1f, -1, 1f));
        assertTrue(t.getMessage().contains("topK is -1"), t.getMessage());
        t = assertThrows(IllegalArgumentException.class, () -> SamplingConfig.sample(1f, 0, 0f));
        assertTrue(t.getMessage().contains("topP is 0.0"), t.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SamplingConfig.sample(1f, 0, 1.5f));
        assertThrows(IllegalArgumentException.class, () -> SamplingConfig.sample(1f, 0, Float.NaN));
        t = assertThrows(IllegalArgumentException.class, () -> GenerationConfig.greedy(0));
        assertTrue(t.getMessage().contains("maxNewTokens is 0"), t.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GenerationConfig(4, null, 0, true));
    }
}
