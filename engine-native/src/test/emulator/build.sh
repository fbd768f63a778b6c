#!/usr/bin/env bash
# Builds the CPU emulation of libcuda.so.1 and libcublas.so.13 (test doubles, see cuda_emu.cpp) into
# the given folder (default: engine-native/target/cuda-emulator). Needs g++ with C++20.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
out="${1:-$root/engine-native/target/cuda-emulator}"
mkdir -p "$out"
g++ -std=c++20 -O1 -g -fPIC -shared -Wall -Wno-unknown-pragmas -I "$root/kernels/src/main/cuda" -I "$here" \
  -o "$out/libcuda.so.1" "$here/cuda_emu.cpp"
g++ -std=c++20 -O2 -fPIC -shared -Wall -o "$out/libcublas.so.13" "$here/cublas_emu.cpp"
echo "$out"
