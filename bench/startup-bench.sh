#!/usr/bin/env bash
# Start-up benchmark of the gantry command: 'gantry --version' and a no-op rebuild of examples/hello
# (every step cached), with and without the class-data-sharing archive bin/gantry creates.
# Usage: bench/startup-bench.sh [runs]
set -euo pipefail
runs="${1:-10}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/bin/gantry" --version >/dev/null   # builds the jar and the CDS archive when needed
jar="$here/src/cli/target/gantry.jar"
jsa="$here/src/cli/target/gantry.jsa"
store="$(mktemp -d)"
trap 'rm -rf "$store"' EXIT
base=(java -XX:+UseSerialGC)
"${base[@]}" -jar "$jar" build -q --cache-dir "$store" "$here/examples/hello" >/dev/null

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
measure() {
  for _ in $(seq 1 "$runs"); do
    s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 ))
  done | median
}
printf '%-34s %8s\n' case median_ms
printf '%-34s %8s\n' "--version (no CDS)" "$(measure "${base[@]}" -Xshare:auto -jar "$jar" --version)"
printf '%-34s %8s\n' "--version (CDS)" "$(measure "${base[@]}" -XX:SharedArchiveFile="$jsa" -jar "$jar" --version)"
printf '%-34s %8s\n' "no-op rebuild (no CDS)" "$(measure "${base[@]}" -Xshare:auto -jar "$jar" build -q --cache-dir "$store" "$here/examples/hello")"
printf '%-34s %8s\n' "no-op rebuild (CDS)" "$(measure "${base[@]}" -XX:SharedArchiveFile="$jsa" -jar "$jar" build -q --cache-dir "$store" "$here/examples/hello")"
printf '%-34s %8s\n' "no-op rebuild via bin/gantry" "$(measure "$here/bin/gantry" build -q --cache-dir "$store" "$here/examples/hello")"
