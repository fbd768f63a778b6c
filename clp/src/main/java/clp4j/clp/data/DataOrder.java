package clp4j.clp.data;

import java.util.SplittableRandom;

/**
 * The order in which training examples are visited: epoch after epoch, each a fresh permutation drawn
 * from {@code (seed, epoch)} alone. Sample number {@code i} of the run (counting from 0 over all
 * steps) is therefore a pure function of the seed, so resuming at any step replays exactly the
 * order an uninterrupted run would have seen, with nothing but the step count to save.
 */
public final class DataOrder {
    private final int size;
    private final long seed;
    private long cachedEpoch = -1;
    private int[] permutation;

    public DataOrder(int size, long seed) {
        if (size < 1) throw new IllegalArgumentException("data order over " + size + " examples; need at least one");
        this.size = size;
        this.seed = seed;
    }

    /** The example index of sample {@code i} of the run. */
    public int exampleAt(long i) {
        if (i < 0) throw new IllegalArgumentException("sample number " + i + " is negative");
        long epoch = i / size;
        if (epoch != cachedEpoch) {
            permutation = permutation(epoch);
            cachedEpoch = epoch;
        }
        return permutation[(int) (i % size)];
    }

    /** The epoch sample {@code i} belongs to. */
    public long epochOf(long i) { return i / size; }

    /** Position of sample {@code i} inside its epoch. */
    public int cursorOf(long i) { return (int) (i % size); }

    private int[] permutation(long epoch) {
        int[] p = new int[size];
        for (int k = 0; k < size; k++) p[k] = k;
        // a distinct stream per epoch: SplittableRandom seeded by a mix of (seed, epoch); Fisher-Yates
        SplittableRandom rng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1)));
        for (int k = size - 1; k > 0; k--) {
            int j = rng.nextInt(k + 1);
            int t = p[k];
            p[k] = p[j];
            p[j] = t;
        }
        return p;
    }
}
