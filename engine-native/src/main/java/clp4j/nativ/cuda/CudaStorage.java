package clp4j.nativ.cuda;

import clp4j.engine.tensor.Storage;
import clp4j.engine.tensor.Tensor;

/** Device memory behind CUDA tensors: a block of the backend's {@link DeviceAllocator}. */
public final class CudaStorage implements Storage {
    private final DeviceAllocator.Block block;
    private final long capacity;
    private final CudaBackend owner;
    private boolean released;

    CudaStorage(CudaBackend owner, DeviceAllocator.Block block, long capacity) {
        this.owner = owner;
        this.block = block;
        this.capacity = capacity;
    }

    @Override
    public long capacity() { return capacity; }

    DeviceAllocator.Block block() { return block; }

    CudaBackend owner() { return owner; }

    /** True the first time only: a storage goes back to the pool once. */
    boolean markReleased() {
        if (released) return false;
        released = true;
        return true;
    }

    /** The CUdeviceptr of a CUDA tensor's first element (storage start plus its offset). */
    static long ptr(Tensor t) {
        if (!(t.storage() instanceof CudaStorage s)) {
            throw new IllegalArgumentException("tensor " + t + " does not live on the GPU (storage "
                    + t.storage().getClass().getSimpleName() + "); create it with the cuda backend or copy it there");
        }
        if (s.released) throw new IllegalStateException("tensor " + t + " uses device memory that was already released");
        return s.block.ptr() + t.offset() * Float.BYTES;
    }

    /** Like {@link #ptr} but 0 (NULL) for a null tensor (optional operands). */
    static long ptrOrNull(Tensor t) { return t == null ? 0 : ptr(t); }
}
