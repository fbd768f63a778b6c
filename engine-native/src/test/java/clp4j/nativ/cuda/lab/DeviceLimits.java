package clp4j.nativ.cuda.lab;

import clp4j.engine.autodiff.TensorScope;
import clp4j.engine.tensor.Tensor;
import clp4j.nativ.cuda.CudaBackend;
import clp4j.nativ.cuda.CudaDriver;

/**
 * The machine's limits the lab compares against: DRAM bandwidth from the memory clock and bus width
 * (and measured with a device-to-device copy), FP32 peak from SMs x clock x 128 lanes (sm_90).
 */
public record DeviceLimits(String name, int sms, int ccMajor, int ccMinor, double dramGBs, double copyGBs,
                           double fp32Gflops, long freeBytes, long totalBytes) {

    public static DeviceLimits measure(CudaBackend b) {
        CudaDriver cu = b.driver();
        int dev = b.deviceHandle();
        int sms = cu.attribute(CudaDriver.ATTR_MULTIPROCESSOR_COUNT, dev);
        double memKHz = cu.attribute(CudaDriver.ATTR_MEMORY_CLOCK_RATE, dev);
        double busBits = cu.attribute(CudaDriver.ATTR_GLOBAL_MEMORY_BUS_WIDTH, dev);
        double clockKHz = cu.attribute(CudaDriver.ATTR_CLOCK_RATE, dev);
        long[] mem = cu.memInfo();
        double dram = 2 * memKHz * 1e3 * busBits / 8 / 1e9;
        double fp32 = sms * 128.0 * 2 * clockKHz * 1e3 / 1e9;
        return new DeviceLimits(b.deviceName(), sms, cu.attribute(CudaDriver.ATTR_COMPUTE_CAPABILITY_MAJOR, dev),
                cu.attribute(CudaDriver.ATTR_COMPUTE_CAPABILITY_MINOR, dev), dram, copyBandwidth(b, 1 << 28), fp32, mem[0], mem[1]);
    }

    /** GB/s of a device-to-device copy of n floats (bytes read + written). */
    public static double copyBandwidth(CudaBackend b, int n) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor src = b.zeros(n), dst = b.zeros(n);
            double ms = LabTimer.millis(b, () -> b.copy(src, dst));
            return 2.0 * n * Float.BYTES / (ms * 1e-3) / 1e9;
        } finally {
            b.allocator().emptyCache();
        }
    }

    @Override
    public String toString() {
        return String.format("%s (sm_%d%d, %d SMs, %.1f of %.1f GiB free): DRAM %.0f GB/s from clocks, D2D copy %.0f GB/s measured,"
                        + " FP32 peak %.1f TFLOP/s", name, ccMajor, ccMinor, sms, freeBytes / 1073741824.0,
                totalBytes / 1073741824.0, dramGBs, copyGBs, fp32Gflops / 1e3);
    }
}
