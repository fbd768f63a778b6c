package clp4j.nativ.cuda.lab;

import clp4j.engine.autodiff.TensorScope;
import clp4j.engine.backend.ReferenceBackend;
import clp4j.engine.tensor.Tensor;
import clp4j.nativ.cuda.CudaBackend;
import clp4j.nativ.cuda.GpuSupport;

import java.util.ArrayList;
import java.util.List;

/**
 * The CUDA kernel lab (llm.c dev/cuda style): every op checked against the reference backend at a
 * small size, then timed at T5-large sizes and printed as GB/s or GFLOP/s beside the device's
 * limits; the mixing op also beside a device-to-device copy of the same size.
 * Usage: {@code KernelLab [--checks-only] [filter]} (filter: a substring of case names; --checks-only
 * skips the timings, for compute-sanitizer). Fails (exception, non-zero exit)
 * when a check exceeds its tolerance: 1e-4, or GpuSupport.TF32_TOLERANCE for GEMM with TF32.
 */
public final class KernelLab {
    private KernelLab() { }

    public static void main(String[] args) {
        boolean checksOnly = args.length > 0 && args[0].equals("--checks-only");
        int first = checksOnly ? 1 : 0;
        String filter = args.length > first ? args[first] : "";
        ReferenceBackend ref = new ReferenceBackend();
        List<String> failures = new ArrayList<>();
        try (CudaBackend fp32 = new CudaBackend(0, false); CudaBackend tf32 = new CudaBackend(0, true)) {
            DeviceLimits lim = DeviceLimits.measure(fp32);
            System.out.println("device: " + lim);
            System.out.println("\n== checks against the reference (relative error |got - want| / (1 + |want|))");
            for (LabCase c : LabCases.all(false)) {
                if (!c.name().contains(filter)) continue;
                check(c, ref, fp32, GpuSupport.FP32_TOLERANCE, "", failures);
                if (c.gemm()) check(c, ref, tf32, GpuSupport.TF32_TOLERANCE, " [tf32]", failures);
            }
            if (checksOnly) {
                if (!failures.isEmpty()) throw new AssertionError("kernel lab checks failed: " + failures);
                return;
            }
            System.out.println("\n== timings (CUDA events; bytes = what a perfect kernel moves)");
            System.out.printf("%-44s %-34s %10s %10s %7s%n", "case", "shape", "us/run", "GB/s|GF/s", "%limit");
            for (LabCase c : LabCases.all(true)) {
                if (!c.name().contains(filter)) continue;
                time(c, fp32, lim, "");
                if (c.gemm()) time(c, tf32, lim, " [tf32]");
            }
        }
        if (!failures.isEmpty()) throw new AssertionError("kernel lab checks failed: " + failures);
        System.out.println("\nall checks passed");
    }

    private static void check(LabCase c, ReferenceBackend ref, CudaBackend b, double tol, String tag, List<String> failures) {
        double err = LabCheck.maxError(c, ref, b, 1234);
        boolean ok = err <= tol;
        if (!ok) failures.add(c.name() + tag + " error " + err);
        System.out.printf("%-4s %-48s %-30s max error %.2e (tolerance %.0e)%n", ok ? "ok" : "FAIL", c.name() + tag, c.shape(), err, tol);
    }

    private static void time(LabCase c, CudaBackend b, DeviceLimits lim, String tag) {
        try (TensorScope scope = TensorScope.open()) {
            LabCase.Instance inst = c.factory().create(b, new LabCase.Init(1, false));
            double ms = LabTimer.millis(b, inst::run);
            String rate, pct;
            if (c.flops() > 0) {
                double gf = c.flops() / (ms * 1e-3) / 1e9;
                rate = String.format("%.0f GF/s", gf);
                pct = tag.isEmpty() ? String.format("%.0f%%", 100 * gf / lim.fp32Gflops()) : "-";
            } else {
                double gbs = c.bytes() / (ms * 1e-3) / 1e9;
                rate = String.format("%.0f GB/s", gbs);
                pct = String.format("%.0f%%", 100 * gbs / lim.dramGBs());
            }
            System.out.printf("%-44s %-34s %10.1f %10s %7s%n", c.name() + tag, c.shape(), ms * 1e3, rate, pct);
            if (c.name().startsWith("mix")) {
                long n = inst.outputs()[0].numel();
                Tensor src = b.zeros(Math.toIntExact(n)), dst = b.zeros(Math.toIntExact(n));
                double copyMs = LabTimer.millis(b, () -> b.copy(src, dst));
                double copyGbs = 2.0 * n * Float.BYTES / (copyMs * 1e-3) / 1e9;
                double mixGbs = c.bytes() / (ms * 1e-3) / 1e9;
                System.out.printf("     vs D2D copy of the same %d floats: %.1f us, %.0f GB/s; mix reaches %.0f%% of copy bandwidth%n",
                        n, copyMs * 1e3, copyGbs, 100 * mixGbs / copyGbs);
            }
        } finally {
            b.allocator().emptyCache();
        }
    }
}
