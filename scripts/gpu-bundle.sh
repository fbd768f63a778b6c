#!/usr/bin/env bash
# Builds, here (no GPU needed), everything scripts/gpu-check.sh needs on the GPU machine, which has
# no Java and no Maven: a jlinked JRE (as .tar.gz) and every jar of engine-native's test class path,
# under build/gpu (git-ignored). Then run the check through the device tool with carry ["build/gpu"]
# (see scripts/gpu-check.sh). The bundle must stay under the tool's 64 MiB carry limit.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bundle="$root/build/gpu"
# shellcheck source=scripts/java25.sh
. "$root/scripts/java25.sh"
rm -rf "$bundle"
mkdir -p "$bundle/lib"

# Jars of kernels, engine-java (and its test-jar) and engine-native, plus their test-scope
# dependencies (JUnit, the platform launcher). SentencePiece (DJL) is not needed for the GPU checks.
"$root/mvnw" -B -q -ntp -f "$root/pom.xml" -pl engine-native -am package dependency:copy-dependencies \
  -DskipTests -DincludeScope=test -DexcludeGroupIds=ai.djl.sentencepiece,ai.djl \
  -DoutputDirectory="$bundle/lib"
cp "$root"/kernels/target/clp4j-kernels-*.jar "$root"/engine-native/target/clp4j-engine-native-*.jar "$bundle/lib/"
jar cf "$bundle/lib/clp4j-engine-native-gpu-tests.jar" -C "$root/engine-native/target/test-classes" .

jlink="$JAVA_HOME/bin/jlink"
# jdk.zipfs beyond the RUNBOOK's list: JUnit finds test classes inside jars through the zip file system.
"$jlink" --add-modules java.base,jdk.incubator.vector,java.logging,java.management,jdk.unsupported,jdk.zipfs \
  --strip-debug --no-man-pages --no-header-files --compress zip-9 --output "$bundle/jre"
tar czf "$bundle/jre.tar.gz" -C "$bundle" jre
rm -rf "$bundle/jre"

size=$(du -sb "$bundle" | cut -f1)
echo "gpu-bundle.sh: $(find "$bundle/lib" -name '*.jar' | wc -l) jars and a JRE in $bundle, $((size / 1048576)) MiB"
if [ "$size" -gt $((60 * 1048576)) ]; then
  echo "gpu-bundle.sh: the bundle exceeds 60 MiB; the device tool carries at most 64 MiB" >&2
  exit 1
fi
