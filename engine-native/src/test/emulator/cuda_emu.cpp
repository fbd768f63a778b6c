// A libcuda.so.1 for machines without a GPU: the driver API subset clp4j binds, with "device"
// memory in host memory and kernels compiled from kernels/src/main/cuda as C++ (emu_cuda.h), run
// block by block with one fiber per CUDA thread. Test double only: lets the CUDA backend's Java
// code (FFM calls, argument buffers, allocator, staging) and the kernels' logic run end to end
// against the reference backend before a GPU session. Timings from it mean nothing.
#include "emu_cuda.h"
#include "common.cuh"
#include "elementwise.cu"
#include "layout.cu"
#include "mix.cu"
#include "norm.cu"
#include "optim.cu"
#include "reduce.cu"
#include "softmax.cu"

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>
#include <ucontext.h>

dim3 threadIdx, blockIdx, blockDim, gridDim;

namespace emu {

static ucontext_t scheduler;
static std::vector<ucontext_t> fibers;
static std::vector<char> stacks;
static std::vector<char> done;
static int current, nthreads;
static std::function<void()> body;
static float fslot[1024];
static long long lslot[1024];
static const size_t STACK = 256 * 1024;

static void set_index(int t) {
    threadIdx = dim3{t % blockDim.x, (t / blockDim.x) % blockDim.y, t / (blockDim.x * blockDim.y)};
}

void syncthreads() {
    swapcontext(&fibers[current], &scheduler);   // back to the scheduler; resumed in the next phase
    set_index(current);
}

template <class T> static T shfl(T* slots, T v, int o) {
    int t = current;
    slots[t] = v;
    syncthreads();
    T r = slots[t ^ o];
    syncthreads();
    return r;
}
float shfl_xor(float v, int o) { return shfl(fslot, v, o); }
long long shfl_xor(long long v, int o) { return shfl(lslot, v, o); }

static void entry() {
    set_index(current);
    body();
    done[current] = 1;
}

// Runs one block: phases separated by barriers, every live fiber advanced once per phase.
static void run_block(int n) {
    nthreads = n;
    fibers.resize(n);
    done.assign(n, 0);
    if (stacks.size() < STACK * n) stacks.resize(STACK * n);
    for (int t = 0; t < n; t++) {
        getcontext(&fibers[t]);
        fibers[t].uc_stack.ss_sp = stacks.data() + STACK * t;
        fibers[t].uc_stack.ss_size = STACK;
        fibers[t].uc_link = &scheduler;
        makecontext(&fibers[t], entry, 0);
    }
    for (;;) {
        bool live = false;
        for (int t = 0; t < n; t++) {
            if (done[t]) continue;
            current = t;
            swapcontext(&scheduler, &fibers[t]);
            live = live || !done[t];
        }
        if (!live) return;
    }
}

using Kernel = std::function<void(void**)>;

template <class... A, size_t... I>
static void call(void (*f)(A...), void** p, std::index_sequence<I...>) {
    f(*reinterpret_cast<std::remove_cv_t<std::remove_reference_t<A>>*>(p[I])...);
}
template <class... A> static Kernel kernel(void (*f)(A...)) {
    return [f](void** p) { call(f, p, std::index_sequence_for<A...>{}); };
}

#define K(name) {#name, kernel(name)}
static std::map<std::string, Kernel> kernels = {
    K(clp_scale), K(clp_axpy), K(clp_unary), K(clp_unary_backward), K(clp_binary), K(clp_sum_to_shape),
    K(clp_sum_to_shape_block), K(clp_dropout), K(clp_embedding_gather), K(clp_embedding_scatter_add),
    K(clp_permute), K(clp_mix), K(clp_mix_vec4), K(clp_mix_backward), K(clp_mix_backward_vec4), K(clp_rms_norm),
    K(clp_rms_norm_backward_x), K(clp_rms_norm_backward_w), K(clp_adamw), K(clp_sumsq), K(clp_adafactor_row),
    K(clp_adafactor_col), K(clp_adafactor_row_mean), K(clp_adafactor_v), K(clp_adafactor_ysq),
    K(clp_adafactor_apply), K(clp_reduce_last), K(clp_reduce_last_backward_spread),
    K(clp_reduce_last_backward_max), K(clp_softmax), K(clp_softmax_backward), K(clp_log_softmax_backward),
    K(clp_cross_entropy), K(clp_cross_entropy_backward),
};
}  // namespace emu

typedef int CUresult;
typedef unsigned long long CUdeviceptr;
static int dummy_handle;

extern "C" {
CUresult cuInit(unsigned) { return 0; }
CUresult cuDriverGetVersion(int* v) { *v = 13000; return 0; }
CUresult cuDeviceGetCount(int* n) { *n = 1; return 0; }
CUresult cuDeviceGet(int* d, int ordinal) { if (ordinal != 0) return 101; *d = 0; return 0; }
CUresult cuDeviceGetName(char* name, int len, int) { std::strncpy(name, "clp4j CPU emulator", len); return 0; }
CUresult cuDeviceGetAttribute(int* v, int attr, int) {
    switch (attr) {
        case 1: *v = 1024; break;         // max threads per block
        case 13: *v = 1000000; break;     // clock kHz
        case 16: *v = 1; break;           // one "SM": few blocks per grid-stride launch
        case 36: *v = 1000000; break;     // memory clock kHz
        case 37: *v = 256; break;         // bus width bits
        case 38: *v = 1 << 20; break;
        case 75: *v = 9; break;
        case 76: *v = 0; break;
        default: return 1;
    }
    return 0;
}
CUresult cuDevicePrimaryCtxRetain(void** ctx, int) { *ctx = &dummy_handle; return 0; }
CUresult cuDevicePrimaryCtxRelease_v2(int) { return 0; }
CUresult cuCtxSetCurrent(void*) { return 0; }
CUresult cuMemGetInfo_v2(size_t* free, size_t* total) { *free = size_t(8) << 30; *total = size_t(16) << 30; return 0; }
CUresult cuMemAlloc_v2(CUdeviceptr* p, size_t bytes) {
    if (bytes > (size_t(1) << 40)) return 2;   // CUDA_ERROR_OUT_OF_MEMORY
    void* m = std::aligned_alloc(256, (bytes + 255) / 256 * 256);
    if (m == nullptr) return 2;
    std::memset(m, 0xA5, bytes);                // garbage, as fresh device memory is
    *p = reinterpret_cast<CUdeviceptr>(m);
    return 0;
}
CUresult cuMemFree_v2(CUdeviceptr p) { std::free(reinterpret_cast<void*>(p)); return 0; }
CUresult cuMemcpyHtoD_v2(CUdeviceptr d, const void* s, size_t n) { std::memcpy((void*) d, s, n); return 0; }
CUresult cuMemcpyDtoH_v2(void* d, CUdeviceptr s, size_t n) { std::memcpy(d, (void*) s, n); return 0; }
CUresult cuMemcpyDtoD_v2(CUdeviceptr d, CUdeviceptr s, size_t n) { std::memmove((void*) d, (void*) s, n); return 0; }
CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr d, const void* s, size_t n, void*) { return cuMemcpyHtoD_v2(d, s, n); }
CUresult cuMemcpyDtoHAsync_v2(void* d, CUdeviceptr s, size_t n, void*) { return cuMemcpyDtoH_v2(d, s, n); }
CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr d, CUdeviceptr s, size_t n, void*) { return cuMemcpyDtoD_v2(d, s, n); }
CUresult cuMemsetD32_v2(CUdeviceptr d, unsigned v, size_t n) {
    unsigned* p = reinterpret_cast<unsigned*>(d);
    for (size_t i = 0; i < n; i++) p[i] = v;
    return 0;
}
CUresult cuMemsetD32Async(CUdeviceptr d, unsigned v, size_t n, void*) { return cuMemsetD32_v2(d, v, n); }
CUresult cuStreamCreate(void** s, unsigned) { *s = &dummy_handle; return 0; }
CUresult cuStreamSynchronize(void*) { return 0; }
CUresult cuStreamDestroy_v2(void*) { return 0; }
CUresult cuEventCreate(void** e, unsigned) { *e = new double(0); return 0; }
CUresult cuEventRecord(void* e, void*) {
    *static_cast<double*>(e) = std::chrono::duration<double, std::milli>(
        std::chrono::steady_clock::now().time_since_epoch()).count();
    return 0;
}
CUresult cuEventSynchronize(void*) { return 0; }
CUresult cuEventElapsedTime_v2(float* ms, void* a, void* b) {
    *ms = float(*static_cast<double*>(b) - *static_cast<double*>(a));
    return 0;
}
CUresult cuEventDestroy_v2(void* e) { delete static_cast<double*>(e); return 0; }
CUresult cuModuleLoadData(void** m, const void* image) {
    if (std::strstr(static_cast<const char*>(image), ".target sm_90") == nullptr) return 200;   // INVALID_IMAGE
    *m = &dummy_handle;
    return 0;
}
CUresult cuModuleGetFunction(void** f, void*, const char* name) {
    auto it = emu::kernels.find(name);
    if (it == emu::kernels.end()) return 500;   // CUDA_ERROR_NOT_FOUND
    *f = &it->second;
    return 0;
}
CUresult cuModuleUnload(void*) { return 0; }
CUresult cuLaunchKernel(void* f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                        unsigned, void*, void** params, void**) {
    unsigned n = bx * by * bz;
    if (n == 0 || n > 1024 || gx == 0 || gy == 0 || gz == 0 || gy > 65535 || gz > 65535) return 1;   // INVALID_VALUE
    emu::Kernel& k = *static_cast<emu::Kernel*>(f);
    ::gridDim = dim3{gx, gy, gz};
    ::blockDim = dim3{bx, by, bz};
    emu::body = [&k, params] { k(params); };
    for (unsigned z = 0; z < gz; z++)
        for (unsigned y = 0; y < gy; y++)
            for (unsigned x = 0; x < gx; x++) {
                ::blockIdx = dim3{x, y, z};
                emu::run_block(int(n));
            }
    return 0;
}
static const char* error_name(int e) {
    switch (e) {
        case 0: return "CUDA_SUCCESS";
        case 1: return "CUDA_ERROR_INVALID_VALUE";
        case 2: return "CUDA_ERROR_OUT_OF_MEMORY";
        case 101: return "CUDA_ERROR_INVALID_DEVICE";
        case 200: return "CUDA_ERROR_INVALID_IMAGE";
        case 500: return "CUDA_ERROR_NOT_FOUND";
        default: return nullptr;
    }
}
CUresult cuGetErrorName(int e, const char** s) { *s = error_name(e); return *s ? 0 : 1; }
CUresult cuGetErrorString(int e, const char** s) { *s = error_name(e); return *s ? 0 : 1; }
}
