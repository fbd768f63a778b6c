package clp4j.engine.backend.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector width every VectorBackend kernel uses, chosen once per JVM from
 * {@code -Dclp4j.vectorBits} (128, 256 or 512; default: the platform's preferred width).
 * It is a static final so that the JIT sees a constant species, which the Vector API needs to
 * compile to plain SIMD instructions.
 */
public final class Simd {
    public static final String PROPERTY = "clp4j.vectorBits";

    public static final VectorSpecies<Float> F = select(System.getProperty(PROPERTY));
    /** Lanes per vector. */
    public static final int L = F.length();

    private Simd() { }

    static VectorSpecies<Float> select(String bits) {
        if (bits == null || bits.isBlank()) return FloatVector.SPECIES_PREFERRED;
        VectorSpecies<Float> s = switch (bits.trim()) {
            case "128" -> FloatVector.SPECIES_128;
            case "256" -> FloatVector.SPECIES_256;
            case "512" -> FloatVector.SPECIES_512;
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + bits
                    + " is not a vector width; use 128, 256 or 512 (or leave it unset for the platform's preferred width)");
        };
        if (s.vectorBitSize() > FloatVector.SPECIES_PREFERRED.vectorBitSize()) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + bits + " is wider than this CPU's widest vectors ("
                    + FloatVector.SPECIES_PREFERRED.vectorBitSize() + " bits); use a smaller width");
        }
        return s;
    }

    /** The element index where the vector loop over [0, n) ends and the scalar tail starts. */
    public static int bound(int n) {
        return F.loopBound(n);
    }
}
