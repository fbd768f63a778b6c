#!/usr/bin/env bash
# scripts/ab.sh BASE_REV WORKLOAD [ROUNDS]: times engine-java at BASE_REV (A) against the working
# tree (B) in one JVM, alternating run by run (see benchmarks/.../ab/SameJvmAB.java for why).
# WORKLOAD: train (T5-small step), greedy (32 greedy tokens x 8 rows), encode (greedy's encoder
# forward), gemm (1024^3) or lmhead
# ([8, 512] x [32128, 512]^T); the last two in ms per call.
# Example: scripts/ab.sh 74960ff greedy 12
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/scripts/java25.sh"
if [ $# -lt 2 ]; then
  echo "usage: scripts/ab.sh BASE_REV train|greedy|encode|gemm|lmhead [ROUNDS]" >&2
  exit 2
fi
base="$1" workload="$2" rounds="${3:-10}"
git -C "$root" rev-parse --verify -q "$base^{commit}" > /dev/null || { echo "scripts/ab.sh: '$base' is not a commit here" >&2; exit 2; }
"$root/mvnw" -B -q -ntp -pl benchmarks -am compile -DskipTests >&2
tree="$(mktemp -d /tmp/clp4j-ab.XXXXXX)"
trap 'git -C "$root" worktree remove --force "$tree/src" > /dev/null 2>&1 || true; rm -rf "$tree"' EXIT
git -C "$root" worktree add -q --detach "$tree/src" "$base"
"$root/mvnw" -B -q -ntp -f "$tree/src/pom.xml" -pl engine-java compile -DskipTests >&2
echo "A = $base ($(git -C "$root" log -1 --format=%s "$base" | cut -c1-60)), B = working tree" >&2
java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss8m -Xmx12g \
  -cp "$root/benchmarks/target/classes" clp4j.bench.ab.SameJvmAB "$workload" "$rounds" \
  "$root/benchmarks/target/classes" "$tree/src/engine-java/target/classes" "$root/engine-java/target/classes"
