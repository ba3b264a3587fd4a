#!/usr/bin/env bash
# Build benchmark: Gantry and buildah side by side on generated contexts, in one run.
#   contexts: 20,000 small files; 4 x 64 MiB files; a two-layer app where one source file changes
#   for each: cold build, no-op rebuild, rebuild after changing one file (wall seconds, best of N)
# Usage: bench/build-bench.sh [runs]      (needs buildah; run as root)
set -euo pipefail
runs="${1:-1}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
command -v buildah >/dev/null || { echo "buildah is not installed" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

gen_app() {
  mkdir -p "$1/lib" "$1/app"
  for i in $(seq 0 499); do head -c 20000 /dev/urandom | base64 > "$1/lib/dep$i.jar"; done
  for i in $(seq 0 49); do printf 'class C%s {}\n' "$i" > "$1/app/C$i.java"; done
  printf 'FROM scratch\nCOPY lib/ /app/lib/\nCOPY app/ /app/classes/\nENTRYPOINT ["java","-cp","/app/lib/*:/app/classes","Main"]\n' > "$1/Dockerfile"
}
change() { case "$1" in small) echo changed >> "$2/src/d7/f7.txt" ;; big) head -c 1024 /dev/urandom >> "$2/blob4.bin" ;; app) echo '// changed' >> "$2/app/C3.java" ;; esac; }

gantry() { "$here/bin/gantry" build -q --cache-dir "$work/gstore-$1" -t "bench-$1" "$2"; }
buildah_b() { buildah --root "$work/broot-$1" --runroot "$work/brun-$1" --storage-driver vfs build --isolation chroot --layers -q -t "bench-$1" "$2"; }

printf '%-8s %-10s %10s %10s %8s\n' context phase gantry_s buildah_s ratio
for kind in small big app; do
  for r in $(seq 1 "$runs"); do
    ctx="$work/ctx-$kind-$r"; "gen_$kind" "$ctx"
    rm -rf "$work/gstore-$kind" "$work/broot-$kind" "$work/brun-$kind"
    g_cold=$(t gantry "$kind" "$ctx"); b_cold=$(t buildah_b "$kind" "$ctx")
    g_noop=$(t gantry "$kind" "$ctx"); b_noop=$(t buildah_b "$kind" "$ctx")
    change "$kind" "$ctx"
    g_one=$(t gantry "$kind" "$ctx"); b_one=$(t buildah_b "$kind" "$ctx")
    echo "$kind cold $g_cold $b_cold" >> "$work/results"
    echo "$kind noop $g_noop $b_noop" >> "$work/results"
    echo "$kind onefile $g_one $b_one" >> "$work/results"
    rm -rf "$ctx"
  done
done
for kind in small big app; do
  for phase in cold noop onefile; do
    g=$(awk -v k="$kind" -v p="$phase" '$1==k && $2==p {print $3}' "$work/results" | best)
    b=$(awk -v k="$kind" -v p="$phase" '$1==k && $2==p {print $4}' "$work/results" | best)
    printf '%-8s %-10s %10.2f %10.2f %7.1fx\n' "$kind" "$phase" "$g" "$b" "$(echo "$b / $g" | bc -l)"
  done
done
