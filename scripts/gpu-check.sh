#!/usr/bin/env bash
# ONE-SHOT GPU check of the CUDA backend, for a session lent a GPU machine (H100/H200, CUDA 13
# driver, cuBLAS inside the Python packages, no Java, no network). Prepare here first:
#   scripts/gpu-bundle.sh                       # JRE + jars into build/gpu (about 30 MiB)
# then run through the device tool, from the repository root:
#   run(command="bash scripts/gpu-check.sh", carry=["build/gpu"], timeout_s=450)
# Budget: the stages below share CLP4J_GPU_BUDGET_S (default 400 s); each runs under `timeout` with
# min(its cap, what is left) and is skipped, saying so, when under 20 s are left, so the worst case
# stays under 7 minutes. In priority order, with caps and logs under $OUT:
#   find cuBLAS, headers     45 s  env.txt (also nvidia-smi.txt)
#   gpu tests               120 s  gpu-tests.log: every gpu-tagged JUnit test of engine-native (conformance
#                                  suite FP32 and TF32, lab checks, T5 v1.0/v1.1 golden forward+backward vs
#                                  the reference and the PyTorch fixture) and the header signature check
#   T5 step, Java           100 s  t5-train-java.log: T5TrainStepBench, t5-base (v1.0: relu, d_ff 3072, tied)
#                                  batch 32, source 512, target 64, TF32: 2 warm-up + 5 timed steps
#   T5 step, PyTorch         90 s  t5-train-torch.log: scripts/t5_train_bench.py, the same step in plain torch
#   kernel lab               90 s  kernel-lab.log: every kernel checked and timed
#   torch peer (lab shapes)  40 s  torch-peer.log: PyTorch on the lab's shapes
#   memcheck                 60 s  memcheck.log: compute-sanitizer over the lab's op checks (informative)
# summary.txt names each stage's result, the T5 golden worst errors and the Java/PyTorch step-time
# ratio (bar: <= 1.5). CLP4J_T5_BENCH_ARGS replaces the step's shape on both sides (e.g. "--batch 16"
# after an out-of-memory). Dry run without a GPU, on the CPU emulation (scripts/cuda-emulator-check.sh
# builds it): JAVA_TOOL_OPTIONS="-Dclp4j.cuda.driver=$emu/libcuda.so.1 -Dclp4j.cublas.path=$emu"
# CLP4J_T5_BENCH_ARGS="--model tiny --batch 2 --source 16 --target 8" bash scripts/gpu-check.sh
# (the lab and the full-size torch peer time out there; that is expected).
# Exit status 0 only if the tests, the Java T5 step and the lab pass.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bundle="$root/build/gpu"
out="${OUT:-$root/build/gpu-out}"
budget="${CLP4J_GPU_BUDGET_S:-400}"
mkdir -p "$out"
summary="$out/summary.txt"
: > "$summary"
note() { echo "$*" | tee -a "$summary"; }

# stage NAME CAP LOG COMMAND...: COMMAND under timeout min(CAP, budget left), output to LOG; 125 = skipped
stage() {
  local name="$1" cap="$2" log="$3"
  shift 3
  local left=$((budget - SECONDS))
  if [ "$left" -lt 20 ]; then
    note "$name: SKIPPED (budget spent: ${SECONDS} s of ${budget} s)"
    return 125
  fi
  local limit=$((cap < left ? cap : left))
  timeout "$limit" "$@" > "$log" 2>&1
  local rc=$?
  if [ "$rc" -eq 124 ]; then note "$name: TIMED OUT after ${limit} s (see $(basename "$log"))"; fi
  return "$rc"
}
verdict() { if [ "$1" -eq 0 ]; then echo PASS; else echo "FAIL (exit $1)"; fi; }

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
found="$(timeout 45 find / \( -path /proc -o -path /sys -o -path /dev \) -prune -o \( -name 'libcublas.so.1[23]' -o -name 'cublas_api.h' \
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
note "device: $(nvidia-smi --query-gpu=name,memory.total --format=csv,noheader 2>/dev/null | head -n 1)"
note "cublas: ${cublas:-NOT FOUND} (after ${SECONDS} s)"

stage "gpu tests" 120 "$out/gpu-tests.log" "${jvm[@]}" clp4j.nativ.cuda.GpuTestMain
rc_tests=$?
note "gpu tests: $(verdict $rc_tests) ($(grep -c '^PASS' "$out/gpu-tests.log") passed, $(grep -c '^FAIL' "$out/gpu-tests.log") failed, $(grep -c '^SKIP' "$out/gpu-tests.log") skipped; T5 golden: $(grep -c '^PASS .*MatchesTheReferenceAndPyTorch' "$out/gpu-tests.log") of 4 passed)"
grep 'worst relative norm error' "$out/gpu-tests.log" | sed 's/^/  T5 golden /' >> "$summary"

# The training-step timing and its PyTorch peer back to back, same shapes, same session.
# CLP4J_T5_BENCH_ARGS replaces the shape (e.g. "--model tiny --batch 2 --source 16 --target 8" for a dry run).
read -r -a shape <<< "${CLP4J_T5_BENCH_ARGS:---model t5-base --batch 32 --source 512 --target 64 --warmup 2 --steps 5 --tf32 true}"
stage "T5 step, Java" 100 "$out/t5-train-java.log" "${jvm[@]}" clp4j.nativ.cuda.lab.T5TrainStepBench "${shape[@]}"
rc_t5=$?
java_ms="$(sed -n 's/^RESULT java .*ms_per_step=\([0-9.]*\).*/\1/p' "$out/t5-train-java.log")"
note "T5 step, Java: $(verdict $rc_t5) $(grep '^RESULT' "$out/t5-train-java.log")"
torch_ms=""
if python3 -c 'import torch' > /dev/null 2>&1; then
  stage "T5 step, PyTorch" 90 "$out/t5-train-torch.log" python3 "$root/scripts/t5_train_bench.py" "${shape[@]}"
  rc=$?
  torch_ms="$(sed -n 's/^RESULT torch .*ms_per_step=\([0-9.]*\).*/\1/p' "$out/t5-train-torch.log")"
  note "T5 step, PyTorch: $(verdict $rc) $(grep '^RESULT' "$out/t5-train-torch.log")"
else
  note "T5 step, PyTorch: SKIPPED (python3 has no torch)"
fi
if [ -n "$java_ms" ] && [ -n "$torch_ms" ]; then
  note "T5 step ratio Java/PyTorch: $(awk -v j="$java_ms" -v t="$torch_ms" \
    'BEGIN { r = j / t; printf "%.2f (%s ms / %s ms): %s", r, j, t, r <= 1.5 ? "PASS (bar <= 1.5)" : "FAIL (bar <= 1.5)" }')"
else
  note "T5 step ratio Java/PyTorch: not available (a side gave no RESULT line)"
fi

stage "kernel lab" 90 "$out/kernel-lab.log" "${jvm[@]}" clp4j.nativ.cuda.lab.KernelLab
rc_lab=$?
note "kernel lab: $(verdict $rc_lab)"

# The PyTorch peer on the lab's shapes, same session: the baseline the lab's timings are quoted against.
if python3 -c 'import torch' > /dev/null 2>&1; then
  stage "torch peer" 40 "$out/torch-peer.log" python3 "$root/scripts/torch_peer_bench.py"
  rc=$?
  note "torch peer: $(verdict $rc)"
else
  note "torch peer: SKIPPED (python3 has no torch)"
fi

# Out-of-bounds or race checks on the op checks only (small sizes); informative, does not gate.
if command -v compute-sanitizer > /dev/null; then
  stage "memcheck" 60 "$out/memcheck.log" compute-sanitizer --tool memcheck --print-limit 20 "${jvm[@]}" \
    clp4j.nativ.cuda.lab.KernelLab --checks-only
  rc=$?
  note "memcheck: exit $rc ($(grep -c 'ERROR SUMMARY: 0 errors' "$out/memcheck.log" 2>/dev/null) clean summaries)"
else
  note "memcheck: SKIPPED (no compute-sanitizer)"
fi

note "total: ${SECONDS} s of a ${budget} s budget"
rm -rf "$jre_root"
[ "$rc_tests" -eq 0 ] && [ "$rc_t5" -eq 0 ] && [ "$rc_lab" -eq 0 ]
