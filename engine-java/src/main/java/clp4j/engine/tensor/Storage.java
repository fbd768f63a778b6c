package clp4j.engine.tensor;

/**
 * The memory behind a tensor. Each backend has its own kind (a float[] on the CPU,
 * a device pointer on CUDA) and only that backend reads it.
 */
public interface Storage {
    /** Number of F32 elements this storage holds. */
    long capacity();
}
