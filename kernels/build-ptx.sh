#!/usr/bin/env bash
# Compiles every kernels/src/main/cuda/*.cu to PTX for sm_90 and records the SHA-256 of the
# sources it was built from. The PTX is committed (why: clp4j.kernels.KernelPtx): a jar built where nvcc
# is absent still carries the kernels, and PtxResourcesTest fails when the PTX is stale.
# Usage: kernels/build-ptx.sh [output folder]   (default: the committed resources folder)
# NVCC overrides the compiler (default: nvcc on PATH, else /usr/local/cuda/bin/nvcc).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src="$here/src/main/cuda"
out="${1:-$here/src/main/resources/clp4j/kernels/ptx}"
nvcc="${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}"
if [ ! -x "$nvcc" ]; then
  echo "build-ptx.sh: nvcc not found (looked at \$NVCC, PATH and /usr/local/cuda/bin/nvcc); install the CUDA toolkit or set NVCC" >&2
  exit 1
fi
mkdir -p "$out"
modules=()
for cu in "$src"/*.cu; do
  name="$(basename "$cu" .cu)"
  # -Werror all-warnings: a kernel that compiles with warnings is not committed.
  "$nvcc" -ptx -arch=sm_90 -O3 -std=c++17 -Werror all-warnings -o "$out/$name.ptx" "$cu"
  # Assemble it once as the driver's JIT will, so register or syntax trouble shows up here.
  "$(dirname "$nvcc")/ptxas" -arch=sm_90 -Werror -o /dev/null "$out/$name.ptx"
  modules+=("$name")
done
(cd "$src" && sha256sum -- *.cuh *.cu) > "$out/SOURCES.sha256"
printf '%s\n' "${modules[@]}" > "$out/modules.txt"
echo "build-ptx.sh: ${#modules[@]} modules -> $out"
