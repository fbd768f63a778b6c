package clp4j.nativ.cuda;

import clp4j.engine.backend.Backend;
import clp4j.engine.backend.BackendProvider;

/** Registers the CUDA backend as "cuda" with {@code clp4j.engine.backend.Backends} (ServiceLoader). */
public final class CudaBackendProvider implements BackendProvider {
    private volatile String reason;

    @Override
    public String name() { return CudaBackend.NAME; }

    @Override
    public boolean isAvailable() { return unavailableReason().isEmpty(); }

    /** Empty when a GPU, the driver and cuBLAS are all usable; else what is missing and where it was looked for. */
    @Override
    public String unavailableReason() {
        String r = reason;
        if (r == null) reason = r = probe();
        return r;
    }

    private static String probe() {
        try {
            CudaDriver cu = CudaDriver.get();
            if (cu.deviceCount() == 0) return "the NVIDIA driver reports no CUDA device";
            CublasLocator.Found f = CublasLocator.locate();
            if (f.file() == null && !CublasOnLoaderPath.present()) {
                return "cuBLAS (" + CublasLocator.SONAMES + ") not found; looked in " + f.searched()
                        + " and on the loader path; set -D" + CublasLocator.PROPERTY + " or " + CublasLocator.ENV;
            }
            return "";
        } catch (CudaException e) {
            return e.getMessage();
        }
    }

    @Override
    public Backend create() { return new CudaBackend(); }
}
