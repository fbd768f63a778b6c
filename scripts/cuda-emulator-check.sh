#!/usr/bin/env bash
# Runs the gpu-tagged tests of engine-native WITHOUT a GPU, against a CPU emulation of libcuda.so.1
# and libcublas.so.13 (engine-native/src/test/emulator: the kernels of kernels/src/main/cuda
# compiled as C++, one fiber per CUDA thread; column-major SGEMM, inputs rounded to TF32 under the TF32
# compute type: CLP4J_EMU_TF32=rna (default, to nearest), rz (truncated) or off). This exercises the whole CUDA
# backend (FFM calls, kernel argument buffers, allocator, staging, cuBLAS mapping) and the kernels'
# logic against the reference backend before a GPU session. It proves nothing about real-GPU
# behaviour (concurrency, memory model, PTX JIT, performance): scripts/gpu-check.sh does that.
# Needs g++ with C++20. Usage: scripts/cuda-emulator-check.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
emu="$root/engine-native/target/cuda-emulator"
reports="$root/engine-native/target/surefire-reports"
"$root/engine-native/src/test/emulator/build.sh" "$emu" > /dev/null
rm -rf "$reports"
"$root/mvnw" -B -q -ntp -f "$root/pom.xml" verify -pl engine-native -am -Dgroups=gpu \
  -Dsurefire.failIfNoSpecifiedTests=false -Dclp4j.cuda.driver="$emu/libcuda.so.1" -Dclp4j.cublas.path="$emu"
gpu_reports=("$reports"/*GpuTest.txt "$reports"/clp4j.nativ.cuda.CudaBackendTest.txt "$reports"/clp4j.nativ.cuda.CudaBackendTf32Test.txt)
grep -h 'Tests run' "${gpu_reports[@]}"
if grep -q 'Skipped: [1-9]' "${gpu_reports[@]}"; then
  echo "cuda-emulator-check.sh: GPU tests were skipped: the emulator did not load" >&2
  exit 1
fi
