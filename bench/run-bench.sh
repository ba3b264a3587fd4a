#!/usr/bin/env bash
# RUN benchmark: Gantry and buildah side by side, cold builds (fresh stores), wall seconds, best of N.
#   runs10: ten trivial RUN steps (per-RUN overhead = (runs10 - base) / 10)
#   files:  one RUN writing 5,000 files, then a RUN deleting half of them
# Base: the busybox rootfs tar in the context (ADD base.tar /). Usage: bench/run-bench.sh [runs]
# Needs root, runc, busybox-static and buildah.
set -euo pipefail
runs="${1:-1}"
command -v buildah >/dev/null || { echo "buildah is not installed" >&2; exit 1; }
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

run_scenarios

n=0
gantry() { n=$((n+1)); "$here/bin/gantry" build -q --cache-dir "$work/g$n" "$work/$1"; }
buildah_b() { n=$((n+1)); buildah --root "$work/br$n" --runroot "$work/brr$n" --storage-driver vfs build --isolation chroot --layers -q "$work/$1"; }

printf '%-8s %10s %10s\n' case gantry buildah
for c in base runs10 files; do
  g=$(for i in $(seq 1 "$runs"); do t gantry "$c"; done | best)
  b=$(for i in $(seq 1 "$runs"); do t buildah_b "$c"; done | best)
  printf '%-8s %10.2f %10.2f\n' "$c" "$g" "$b"
done
