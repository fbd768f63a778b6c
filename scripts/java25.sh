# Sourced by ./mvnw, ./bench and .ci/run: selects a JDK 25 or newer without touching the
# machine's default java. Honours JAVA_HOME when it already points at 25+.
_clp4j_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'; }
_clp4j_ok() { [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && [ "$(_clp4j_major "$1")" -ge 25 ] 2>/dev/null; }
if [ -n "${JAVA_HOME:-}" ] && _clp4j_ok "$JAVA_HOME"; then
  :
else
  _found=""
  for _d in /usr/lib/jvm/temurin-25* /usr/lib/jvm/*25* /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    if [ -d "$_d" ] && _clp4j_ok "$_d"; then _found="$_d"; break; fi
  done
  if [ -z "$_found" ]; then
    echo "clp4j needs a JDK 25 or newer (with jdk.incubator.vector); none found in JAVA_HOME or /usr/lib/jvm." >&2
    echo "Install one, e.g. 'apt-get install temurin-25-jdk' (Adoptium repository) or unpack a JDK 25 and set JAVA_HOME to it." >&2
    return 1 2>/dev/null || exit 1
  fi
  export JAVA_HOME="$_found"
fi
export PATH="$JAVA_HOME/bin:$PATH"
