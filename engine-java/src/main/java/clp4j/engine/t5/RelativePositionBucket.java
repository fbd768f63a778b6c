package clp4j.engine.t5;

/**
 * T5's relative-position buckets (HF {@code T5Attention._relative_position_bucket}, after Mesh
 * TensorFlow). Small distances get one bucket each, larger ones share log-spaced buckets up to
 * {@code maxDistance}; everything beyond shares the last bucket. The log step is computed in fp32
 * like the reference (float32 tensors divided by a double scalar), so the ids agree at every distance.
 */
public final class RelativePositionBucket {
    private RelativePositionBucket() { }

    /**
     * The bucket of {@code relativePosition = key_pos - query_pos}.
     *
     * @param bidirectional true for the encoder (future keys get their own half of the buckets),
     *                      false for the decoder (future keys fall into bucket 0; they are masked anyway)
     */
    public static int bucket(int relativePosition, boolean bidirectional, int numBuckets, int maxDistance) {
        int nb = numBuckets;
        int bucket = 0;
        int n;
        if (bidirectional) {
            nb /= 2;
            if (relativePosition > 0) bucket += nb;
            n = Math.abs(relativePosition);
        } else {
            n = Math.max(-relativePosition, 0);
        }
        int maxExact = nb / 2;
        if (n < maxExact) return bucket + n;
        // fp32 as in the reference: log(float32(n) / max_exact) / float32(log(max_distance / max_exact)) * (nb - max_exact)
        float logRatio = (float) Math.log((float) n / (float) maxExact);
        float logRange = (float) Math.log((double) maxDistance / maxExact);
        int large = maxExact + (int) (logRatio / logRange * (float) (nb - maxExact));
        return bucket + Math.min(large, nb - 1);
    }

    /**
     * Bucket ids of a [qLen, kLen] block of query positions {@code qStart .. qStart + qLen - 1} against
     * key positions {@code 0 .. kLen - 1}, row-major, into {@code out} (length at least qLen * kLen).
     */
    public static void fill(int[] out, int qStart, int qLen, int kLen, boolean bidirectional, int numBuckets, int maxDistance) {
        if (out.length < qLen * kLen) {
            throw new IllegalArgumentException("bucket id buffer of " + out.length + " is smaller than " + qLen + " x " + kLen);
        }
        for (int i = 0; i < qLen; i++) {
            for (int j = 0; j < kLen; j++) {
                out[i * kLen + j] = bucket(j - (qStart + i), bidirectional, numBuckets, maxDistance);
            }
        }
    }
}
