package clp4j.engine.backend;

import clp4j.engine.tensor.Storage;

/** CPU tensor memory: a float array. */
public final class CpuStorage implements Storage {
    public final float[] data;

    public CpuStorage(float[] data) {
        this.data = data;
    }

    @Override
    public long capacity() {
        return data.length;
    }
}
