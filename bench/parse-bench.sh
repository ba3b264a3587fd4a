#!/usr/bin/env bash
# Parse benchmark: times SyntaxParser on a generated 10,000-instruction Dockerfile in a warm JVM.
# Usage: bench/parse-bench.sh [instructions] [warm-up runs] [timed runs]
# Set GANTRY_MVN_FLAGS=-o to build offline.
set -euo pipefail
MVN_OPTS_EXTRA=(${GANTRY_MVN_FLAGS:-})
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
./mvnw -B -q -pl src/core test-compile "${MVN_OPTS_EXTRA[@]}"
repo="${MAVEN_REPO:-$HOME/.m2/repository}"
prop() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" pom.xml | head -1; }
antlr="$(prop antlr.version)"
jackson="$(prop jackson.version)"
cp="src/core/target/classes:src/core/target/test-classes"
cp="$cp:$repo/org/antlr/antlr4-runtime/$antlr/antlr4-runtime-$antlr.jar"
for a in jackson-databind jackson-core; do
  cp="$cp:$repo/com/fasterxml/jackson/core/$a/$jackson/$a-$jackson.jar"
done
exec java -cp "$cp" dev.gantry.parse.ParseBench "$@"
