package clp4j.engine.backend.vector;

/**
 * Splits [0, total) into blocks of whole units for tasks handed out in order, as OpenMP's guided
 * schedule does: each block about 1 / (2 threads) of what is left, at most {@code maxUnits} and
 * at least {@code minUnits} units, so the blocks are large while much is left and small at the
 * end. On this kind of VM one core can run at half speed for milliseconds (its host sibling
 * busy); equal blocks then leave the fast core idle for most of the last block, small last blocks
 * let it take over the slow core's share. With {@code minUnits == maxUnits} the blocks are equal.
 *
 * <p>Computed from the block index rather than stored, so a parallel op allocates nothing for
 * it (products run per token in generation); there are a few dozen blocks at most.
 */
final class GuidedBlocks {
    private GuidedBlocks() { }

    /** Number of blocks. */
    static int count(int total, int unit, int minUnits, int maxUnits, int threads) {
        int units = VectorGemm.ceilDiv(total, unit);
        int blocks = 0;
        for (int u = 0; u < units; blocks++) u += size(units, u, minUnits, maxUnits, threads);
        return blocks;
    }

    /** First index of block {@code block}; {@code start(count(..))} is total. */
    static int start(int block, int total, int unit, int minUnits, int maxUnits, int threads) {
        int units = VectorGemm.ceilDiv(total, unit);
        int u = 0;
        for (int b = 0; b < block && u < units; b++) u += size(units, u, minUnits, maxUnits, threads);
        return Math.min(total, u * unit);
    }

    private static int size(int units, int done, int minUnits, int maxUnits, int threads) {
        return Math.min(maxUnits, Math.max(minUnits, VectorGemm.ceilDiv(units - done, 2 * threads)));
    }
}
