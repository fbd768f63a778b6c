package clp4j.nativ.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The CUDA driver API ({@code libcuda.so.1}) through java.lang.foreign. Handles (CUcontext,
 * CUstream, CUmodule, CUfunction, CUevent) are {@link MemorySegment} addresses; CUdeviceptr is a
 * {@code long}. Every call checks its CUresult and throws a {@link CudaException} naming the call
 * and the CUDA error name.
 */
public final class CudaDriver {
    public static final String LIBRARY = "libcuda.so.1";
    /** Loads the driver from this file instead of the loader path (unusual installs; the CPU emulator in tests). */
    public static final String PATH_PROPERTY = "clp4j.cuda.driver";

    /** CUdevice_attribute values used by clp4j (cuda.h). */
    public static final int ATTR_MAX_THREADS_PER_BLOCK = 1, ATTR_CLOCK_RATE = 13, ATTR_MULTIPROCESSOR_COUNT = 16,
            ATTR_MEMORY_CLOCK_RATE = 36, ATTR_GLOBAL_MEMORY_BUS_WIDTH = 37, ATTR_L2_CACHE_SIZE = 38,
            ATTR_COMPUTE_CAPABILITY_MAJOR = 75, ATTR_COMPUTE_CAPABILITY_MINOR = 76;
    public static final int CUDA_ERROR_OUT_OF_MEMORY = 2;

    private static final MemoryLayout P = ADDRESS, I = JAVA_INT, L = JAVA_LONG;

    static final NativeSignature
            INIT = sig("cuInit", I),
            DRIVER_GET_VERSION = sig("cuDriverGetVersion", P),
            DEVICE_GET = sig("cuDeviceGet", P, I),
            DEVICE_GET_COUNT = sig("cuDeviceGetCount", P),
            DEVICE_GET_NAME = sig("cuDeviceGetName", P, I, I),
            DEVICE_GET_ATTRIBUTE = sig("cuDeviceGetAttribute", P, I, I),
            PRIMARY_CTX_RETAIN = sig("cuDevicePrimaryCtxRetain", P, I),
            PRIMARY_CTX_RELEASE = sig("cuDevicePrimaryCtxRelease_v2", I),
            CTX_SET_CURRENT = sig("cuCtxSetCurrent", P),
            MEM_GET_INFO = sig("cuMemGetInfo_v2", P, P),
            MEM_ALLOC = sig("cuMemAlloc_v2", P, L),
            MEM_FREE = sig("cuMemFree_v2", L),
            MEMCPY_HTOD_ASYNC = sig("cuMemcpyHtoDAsync_v2", L, P, L, P),
            MEMCPY_DTOH_ASYNC = sig("cuMemcpyDtoHAsync_v2", P, L, L, P),
            MEMCPY_DTOD_ASYNC = sig("cuMemcpyDtoDAsync_v2", L, L, L, P),
            MEMSET_D32_ASYNC = sig("cuMemsetD32Async", L, I, L, P),
            STREAM_CREATE = sig("cuStreamCreate", P, I),
            STREAM_SYNCHRONIZE = sig("cuStreamSynchronize", P),
            STREAM_DESTROY = sig("cuStreamDestroy_v2", P),
            EVENT_CREATE = sig("cuEventCreate", P, I),
            EVENT_RECORD = sig("cuEventRecord", P, P),
            EVENT_SYNCHRONIZE = sig("cuEventSynchronize", P),
            // CUDA 13 renamed the symbol; CUDA 12 drivers only export the plain name.
            EVENT_ELAPSED_TIME = NativeSignature.of("cuEventElapsedTime_v2", FunctionDescriptor.of(JAVA_INT, P, P, P),
                    "cuEventElapsedTime"),
            EVENT_DESTROY = sig("cuEventDestroy_v2", P),
            MODULE_LOAD_DATA = sig("cuModuleLoadData", P, P),
            MODULE_GET_FUNCTION = sig("cuModuleGetFunction", P, P, P),
            MODULE_UNLOAD = sig("cuModuleUnload", P),
            LAUNCH_KERNEL = sig("cuLaunchKernel", P, I, I, I, I, I, I, I, P, P, P),
            GET_ERROR_STRING = sig("cuGetErrorString", I, P),
            GET_ERROR_NAME = sig("cuGetErrorName", I, P);

    /** Every function bound here (checked against cuda.h by CudaHeaderSignaturesTest). */
    public static final List<NativeSignature> SIGNATURES = List.of(INIT, DRIVER_GET_VERSION, DEVICE_GET,
            DEVICE_GET_COUNT, DEVICE_GET_NAME, DEVICE_GET_ATTRIBUTE, PRIMARY_CTX_RETAIN, PRIMARY_CTX_RELEASE,
            CTX_SET_CURRENT, MEM_GET_INFO, MEM_ALLOC, MEM_FREE,
            MEMCPY_HTOD_ASYNC, MEMCPY_DTOH_ASYNC, MEMCPY_DTOD_ASYNC, MEMSET_D32_ASYNC, STREAM_CREATE,
            STREAM_SYNCHRONIZE, STREAM_DESTROY, EVENT_CREATE, EVENT_RECORD, EVENT_SYNCHRONIZE, EVENT_ELAPSED_TIME,
            EVENT_DESTROY, MODULE_LOAD_DATA, MODULE_GET_FUNCTION, MODULE_UNLOAD, LAUNCH_KERNEL, GET_ERROR_STRING,
            GET_ERROR_NAME);

    private static NativeSignature sig(String name, MemoryLayout... args) {
        return NativeSignature.of(name, FunctionDescriptor.of(JAVA_INT, args));
    }

    private static volatile CudaDriver instance;

    final MethodHandle init, driverGetVersion, deviceGet, deviceGetCount, deviceGetName, deviceGetAttribute,
            primaryCtxRetain, primaryCtxRelease, ctxSetCurrent, memGetInfo, memAlloc, memFree,
            memcpyHtoDAsync, memcpyDtoHAsync, memcpyDtoDAsync, memsetD32Async, streamCreate,
            streamSynchronize, streamDestroy, eventCreate, eventRecord, eventSynchronize, eventElapsedTime, eventDestroy,
            moduleLoadData, moduleGetFunction, moduleUnload, launchKernel, getErrorString, getErrorName;

    private CudaDriver(SymbolLookup lib) {
        init = INIT.bind(lib, LIBRARY);
        driverGetVersion = DRIVER_GET_VERSION.bind(lib, LIBRARY);
        deviceGet = DEVICE_GET.bind(lib, LIBRARY);
        deviceGetCount = DEVICE_GET_COUNT.bind(lib, LIBRARY);
        deviceGetName = DEVICE_GET_NAME.bind(lib, LIBRARY);
        deviceGetAttribute = DEVICE_GET_ATTRIBUTE.bind(lib, LIBRARY);
        primaryCtxRetain = PRIMARY_CTX_RETAIN.bind(lib, LIBRARY);
        primaryCtxRelease = PRIMARY_CTX_RELEASE.bind(lib, LIBRARY);
        ctxSetCurrent = CTX_SET_CURRENT.bind(lib, LIBRARY);
        memGetInfo = MEM_GET_INFO.bind(lib, LIBRARY);
        memAlloc = MEM_ALLOC.bind(lib, LIBRARY);
        memFree = MEM_FREE.bind(lib, LIBRARY);
        memcpyHtoDAsync = MEMCPY_HTOD_ASYNC.bind(lib, LIBRARY);
        memcpyDtoHAsync = MEMCPY_DTOH_ASYNC.bind(lib, LIBRARY);
        memcpyDtoDAsync = MEMCPY_DTOD_ASYNC.bind(lib, LIBRARY);
        memsetD32Async = MEMSET_D32_ASYNC.bind(lib, LIBRARY);
        streamCreate = STREAM_CREATE.bind(lib, LIBRARY);
        streamSynchronize = STREAM_SYNCHRONIZE.bind(lib, LIBRARY);
        streamDestroy = STREAM_DESTROY.bind(lib, LIBRARY);
        eventCreate = EVENT_CREATE.bind(lib, LIBRARY);
        eventRecord = EVENT_RECORD.bind(lib, LIBRARY);
        eventSynchronize = EVENT_SYNCHRONIZE.bind(lib, LIBRARY);
        eventElapsedTime = EVENT_ELAPSED_TIME.bind(lib, LIBRARY);
        eventDestroy = EVENT_DESTROY.bind(lib, LIBRARY);
        moduleLoadData = MODULE_LOAD_DATA.bind(lib, LIBRARY);
        moduleGetFunction = MODULE_GET_FUNCTION.bind(lib, LIBRARY);
        moduleUnload = MODULE_UNLOAD.bind(lib, LIBRARY);
        launchKernel = LAUNCH_KERNEL.bind(lib, LIBRARY);
        getErrorString = GET_ERROR_STRING.bind(lib, LIBRARY);
        getErrorName = GET_ERROR_NAME.bind(lib, LIBRARY);
    }

    /**
     * The driver, loaded and initialised once (cuInit). Throws {@link CudaUnavailableException}
     * when libcuda.so.1 is not on the loader path or cuInit fails (no device, no kernel module).
     */
    public static CudaDriver get() {
        CudaDriver d = instance;
        if (d != null) return d;
        synchronized (CudaDriver.class) {
            if (instance == null) {
                SymbolLookup lib;
                String path = System.getProperty(PATH_PROPERTY);
                try {
                    lib = path != null && !path.isBlank() ? SymbolLookup.libraryLookup(java.nio.file.Path.of(path), Arena.global())
                            : SymbolLookup.libraryLookup(LIBRARY, Arena.global());
                } catch (IllegalArgumentException e) {
                    throw new CudaUnavailableException(path != null && !path.isBlank()
                            ? "-D" + PATH_PROPERTY + "=" + path + " cannot be loaded as the CUDA driver library: " + e.getMessage()
                            : "the NVIDIA driver library " + LIBRARY + " was not found on the loader path (LD_LIBRARY_PATH="
                            + System.getenv("LD_LIBRARY_PATH") + ", ld.so.cache): install the NVIDIA driver or run on a"
                            + " machine with a GPU");
                }
                CudaDriver driver = new CudaDriver(lib);
                int rc;
                try {
                    rc = (int) driver.init.invokeExact(0);
                } catch (Throwable t) {
                    throw rethrow("cuInit", t);
                }
                if (rc != 0) {
                    throw new CudaUnavailableException("cuInit(0) failed with " + driver.errorName(rc) + " ("
                            + driver.errorString(rc) + "): no usable NVIDIA GPU on this machine");
                }
                instance = driver;
            }
            return instance;
        }
    }

    /** Throws a {@link CudaException} naming {@code call} and the CUDA error when rc != CUDA_SUCCESS. */
    public void check(int rc, String call) {
        if (rc != 0) {
            throw new CudaException(call + " failed: " + errorName(rc) + " (" + errorString(rc) + ")", rc, errorName(rc));
        }
    }

    public String errorName(int rc) { return errorText(getErrorName, rc); }

    public String errorString(int rc) { return errorText(getErrorString, rc); }

    private static String errorText(MethodHandle h, int rc) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            int r = (int) h.invokeExact(rc, out);
            MemorySegment s = out.get(ADDRESS, 0);
            if (r != 0 || s.equals(MemorySegment.NULL)) return "CUresult " + rc;
            return s.reinterpret(4096).getString(0);
        } catch (Throwable t) {
            return "CUresult " + rc;
        }
    }

    static RuntimeException rethrow(String call, Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException("native call " + call + " failed", t);
    }

    // ------------------------------------------------------------------ typed wrappers

    public int driverVersion() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_INT);
            check((int) driverGetVersion.invokeExact(out), "cuDriverGetVersion");
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) { throw rethrow("cuDriverGetVersion", t); }
    }

    public int deviceCount() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_INT);
            check((int) deviceGetCount.invokeExact(out), "cuDeviceGetCount");
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) { throw rethrow("cuDeviceGetCount", t); }
    }

    public int device(int ordinal) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_INT);
            check((int) deviceGet.invokeExact(out, ordinal), "cuDeviceGet(" + ordinal + ")");
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) { throw rethrow("cuDeviceGet", t); }
    }

    public String deviceName(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(256);
            check((int) deviceGetName.invokeExact(out, 256, device), "cuDeviceGetName");
            return out.getString(0);
        } catch (Throwable t) { throw rethrow("cuDeviceGetName", t); }
    }

    public int attribute(int attribute, int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_INT);
            check((int) deviceGetAttribute.invokeExact(out, attribute, device), "cuDeviceGetAttribute(" + attribute + ")");
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) { throw rethrow("cuDeviceGetAttribute", t); }
    }

    /** Retains the device's primary context and makes it current on this thread. */
    public MemorySegment retainPrimaryContext(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check((int) primaryCtxRetain.invokeExact(out, device), "cuDevicePrimaryCtxRetain");
            MemorySegment ctx = out.get(ADDRESS, 0);
            setCurrent(ctx);
            return ctx;
        } catch (Throwable t) { throw rethrow("cuDevicePrimaryCtxRetain", t); }
    }

    public void releasePrimaryContext(int device) {
        try { check((int) primaryCtxRelease.invokeExact(device), "cuDevicePrimaryCtxRelease"); }
        catch (Throwable t) { throw rethrow("cuDevicePrimaryCtxRelease", t); }
    }

    /** Makes ctx current on the calling thread (each thread that issues work needs it once). */
    public void setCurrent(MemorySegment ctx) {
        try { check((int) ctxSetCurrent.invokeExact(ctx), "cuCtxSetCurrent"); }
        catch (Throwable t) { throw rethrow("cuCtxSetCurrent", t); }
    }

    /** {free, total} device memory in bytes. */
    public long[] memInfo() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment free = a.allocate(JAVA_LONG), total = a.allocate(JAVA_LONG);
            check((int) memGetInfo.invokeExact(free, total), "cuMemGetInfo");
            return new long[] {free.get(JAVA_LONG, 0), total.get(JAVA_LONG, 0)};
        } catch (Throwable t) { throw rethrow("cuMemGetInfo", t); }
    }

    /** cuMemAlloc: returns the CUdeviceptr; the CudaException's code is 2 when the device is out of memory. */
    public long memAlloc(long bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_LONG);
            check((int) memAlloc.invokeExact(out, bytes), "cuMemAlloc(" + bytes + " bytes)");
            return out.get(JAVA_LONG, 0);
        } catch (Throwable t) { throw rethrow("cuMemAlloc", t); }
    }

    public void memFree(long ptr) {
        try { check((int) memFree.invokeExact(ptr), "cuMemFree"); }
        catch (Throwable t) { throw rethrow("cuMemFree", t); }
    }
}
