package clp4j.nativ.cuda.lab;

import clp4j.nativ.cuda.CudaBackend;
import clp4j.nativ.cuda.CudaEvent;

/** Times work on the backend's stream with CUDA events: warm-up, then enough runs for about 50 ms. */
public final class LabTimer {
    private LabTimer() { }

    /** Milliseconds per run of {@code op}. */
    public static double millis(CudaBackend b, Runnable op) {
        try (CudaEvent start = new CudaEvent(b.driver()); CudaEvent end = new CudaEvent(b.driver())) {
            op.run();
            op.run();
            start.record(b.stream());
            op.run();
            end.record(b.stream());
            end.synchronize();
            double once = Math.max(end.elapsedSince(start), 1e-3);
            int runs = (int) Math.max(3, Math.min(200, Math.ceil(50 / once)));
            start.record(b.stream());
            for (int i = 0; i < runs; i++) op.run();
            end.record(b.stream());
            end.synchronize();
            return end.elapsedSince(start) / runs;
        }
    }
}
