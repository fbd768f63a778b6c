#!/usr/bin/env bash
# ONE-SHOT GPU check of the CUDA backend, for a session lent a GPU machine (H100/H200, CUDA 13
# driver, cuBLAS inside the Python packages, no Java, no network). Prepare here first:
#   scripts/gpu-bundle.sh                       # JRE + jars into build/gpu (about 30 MiB)
# then run through the device tool, from the repository root:
#   run(command="bash scripts/gpu-check.sh", carry=["build/gpu"], timeout_s=450)
# (worst case 7 minutes: find 60 s, tests 120 s, lab 120 s, torch peer 60 s, memcheck 60 s, each
# under `timeout`; a normal run is far shorter, which leaves device time for a second run).
# It writes under $OUT: nvidia-smi.txt, env.txt, gpu-tests.log (gpu-tagged JUnit tests and the
# header signature check), kernel-lab.log (every kernel checked and timed), torch-peer.log (PyTorch
# on the same shapes), memcheck.log (compute-sanitizer over the op checks) and summary.txt.
# Exit status 0 only if the tests and the lab pass.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bundle="$root/build/gpu"
out="${OUT:-$root/build/gpu-out}"
mkdir -p "$out"
summary="$out/summary.txt"
: > "$summary"
note() { echo "$*" | tee -a "$summary"; }

if [ ! -f "$bundle/jre.tar.gz" ] || [ ! -d "$bundle/lib" ]; then
  note "gpu-check.sh: $bundle/jre.tar.gz or $bundle/lib is missing: run scripts/gpu-bundle.sh here and carry build/gpu"
  exit 2
fi

nvidia-smi > "$out/nvidia-smi.txt" 2>&1 || note "nvidia-smi failed (see nvidia-smi.txt)"

jre_root="$(mktemp -d /tmp/clp4j-jre.XXXXXX)"
tar xzf "$bundle/jre.tar.gz" -C "$jre_root"
java="$jre_root/jre/bin/java"

# cuBLAS ships inside the Python packages there: find it, never hard-code it.
# One pass over the file system (it is large there); CUDA 13 preferred over 12.
found="$(timeout 60 find / \( -path /proc -o -path /sys -o -path /dev \) -prune -o \( -name 'libcublas.so.1[23]' -o -name 'cublas_api.h' \
  -o -name 'libcuda.so*' -o -name 'libcublasLt.so*' \) -print 2>/dev/null | sort)"
cublas="$(grep -E '/libcublas\.so\.13$' <<< "$found" | head -n 1)"
[ -n "$cublas" ] || cublas="$(grep -E '/libcublas\.so\.12$' <<< "$found" | head -n 1)"
headers="$(grep -E '/cublas_api\.h$' <<< "$found" | head -n 1)"
if [ -n "$headers" ]; then export CLP4J_CUDA_INCLUDE; CLP4J_CUDA_INCLUDE="$(dirname "$headers")"; fi
jvm=("$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss8m -Xmx24g)
if [ -n "$cublas" ]; then
  cublas_dir="$(dirname "$cublas")"
  export LD_LIBRARY_PATH="$cublas_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  jvm+=("-Dclp4j.cublas.path=$cublas_dir")
fi
jvm+=(-cp "$bundle/lib/*")
{
  echo "java: $("$java" -version 2>&1 | head -n 1)"
  echo "cublas: ${cublas:-NOT FOUND}"
  echo "cublas_api.h: ${headers:-not found}"
  echo "LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"
  echo "found:"; echo "$found"
} > "$out/env.txt" 2>&1
note "cublas: ${cublas:-NOT FOUND}"

timeout 120 "${jvm[@]}" clp4j.nativ.cuda.GpuTestMain > "$out/gpu-tests.log" 2>&1
rc_tests=$?
note "gpu tests: exit $rc_tests ($(grep -c '^PASS' "$out/gpu-tests.log") passed, $(grep -c '^FAIL' "$out/gpu-tests.log") failed, $(grep -c '^SKIP' "$out/gpu-tests.log") skipped)"

timeout 120 "${jvm[@]}" clp4j.nativ.cuda.lab.KernelLab > "$out/kernel-lab.log" 2>&1
rc_lab=$?
note "kernel lab: exit $rc_lab"

# The PyTorch peer on the same shapes, same session: the baseline the lab's timings are quoted against.
if python3 -c 'import torch' > /dev/null 2>&1; then
  timeout 60 python3 "$root/scripts/torch_peer_bench.py" > "$out/torch-peer.log" 2>&1
  note "torch peer: exit $?"
else
  note "torch peer: python3 has no torch, skipped"
fi

# Out-of-bounds or race checks on the op checks only (small sizes); informative, does not gate.
if command -v compute-sanitizer > /dev/null; then
  timeout 60 compute-sanitizer --tool memcheck --print-limit 20 "${jvm[@]}" clp4j.nativ.cuda.lab.KernelLab --checks-only \
    > "$out/memcheck.log" 2>&1
  note "memcheck: exit $? ($(grep -c 'ERROR SUMMARY: 0 errors' "$out/memcheck.log") clean summaries)"
fi

rm -rf "$jre_root"
[ "$rc_tests" -eq 0 ] && [ "$rc_lab" -eq 0 ]
