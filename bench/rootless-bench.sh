#!/usr/bin/env bash
# Rootless RUN benchmark: Gantry as root, Gantry rootless and buildah rootless side by side, cold
# builds (fresh stores), wall seconds, best of N, and the ratios rootless / root.
#   base:   ADD of a busybox rootfs only (no RUN)
#   runs10: ten trivial RUN steps
#   files:  one RUN writing 5,000 files, then a RUN deleting half of them
# The rootless builds run as a user this script creates (with 65536 subordinate ids) and deletes.
# Usage (as root): bench/rootless-bench.sh [runs]. Needs runc, uidmap, busybox-static and buildah.
set -euo pipefail
runs="${1:-1}"
command -v buildah >/dev/null || { echo "buildah is not installed" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root: the script creates the unprivileged user it builds as" >&2; exit 1; }
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
user=gantry-bench
work="$(mktemp -d)"
cleanup() { userdel -f "$user" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
userdel -f "$user" 2>/dev/null || true
useradd -M -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$user"
usermod --add-subuids 500000-565535 --add-subgids 500000-565535 "$user"
chmod 755 "$work"
jar="$work/gantry.jar"
cp "$here/src/cli/target/gantry.jar" "$jar"

run_scenarios
chmod -R a+rX "$work"
home="$work/home"; mkdir -p "$home"; chown "$user:" "$home"

n=0
as_user() { runuser -u "$user" -- env HOME="$home" XDG_RUNTIME_DIR="$home/run" "$@"; }
gantry_root() { n=$((n+1)); java -jar "$jar" build -q --cache-dir "$work/g$n" "$work/$1"; }
gantry_rootless() { n=$((n+1)); as_user java -jar "$jar" build -q --cache-dir "$home/g$n" "$work/$1"; }
buildah_rootless() {
  n=$((n+1))
  as_user buildah --root "$home/b$n" --runroot "$home/br$n" --storage-driver vfs build --isolation rootless --layers \
    -q "$work/$1"
}

printf '%-8s %10s %10s %10s %16s %16s\n' case root rootless buildah rootless/root buildah/rootless
for c in base runs10 files; do
  r=$(for i in $(seq 1 "$runs"); do t gantry_root "$c"; done | best)
  g=$(for i in $(seq 1 "$runs"); do t gantry_rootless "$c"; done | best)
  b=$(for i in $(seq 1 "$runs"); do t buildah_rootless "$c"; done | best)
  printf '%-8s %10.2f %10.2f %10.2f %16.2f %16.2f\n' "$c" "$r" "$g" "$b" "$(echo "$g / $r" | bc -l)" \
    "$(echo "$b / $g" | bc -l)"
done
