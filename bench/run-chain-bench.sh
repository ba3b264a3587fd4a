#!/usr/bin/env bash
# RUN-chain benchmark: Gantry, buildah (overlay and vfs) and, when dockerd is installed, BuildKit,
# side by side in the same run, wall seconds, best of N.
#   cold:    a fresh store, build and OCI layout export
#   changed: the same store, one file in src/ rewritten, build and OCI layout export again
# The Dockerfile: a busybox base (ADD base.tar /), a RUN writing 5,000 files, a RUN deleting half of
# them, COPY src /src, a RUN concatenating its 20 small files.
# Usage: bench/run-chain-bench.sh [--no-buildkit] [runs]
# Needs root, runc, busybox-static and buildah; BuildKit needs Debian's docker.io (dockerd), started
# privately here. GANTRY_STEPS=1 prints Gantry's per-step timings of the last cold and changed builds;
# BENCH_TOOLS="gantry buildah_vfs" picks tools (default: gantry buildah_overlay buildah_vfs).
set -euo pipefail
buildkit=1
if [ "${1:-}" = --no-buildkit ]; then buildkit=0; shift; fi
runs="${1:-1}"
command -v buildah >/dev/null || { echo "buildah is not installed" >&2; exit 1; }
if [ "$buildkit" = 1 ] && ! command -v dockerd >/dev/null; then
  echo "dockerd is not installed (apt-get install -y docker.io), or pass --no-buildkit" >&2; exit 1
fi
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
work="$(mktemp -d)"
dockerd_pid=""
cleanup() {
  if [ -n "$dockerd_pid" ]; then kill "$dockerd_pid" 2>/dev/null || true; wait "$dockerd_pid" 2>/dev/null || true; fi
  for m in $(awk -v w="$work" 'index($2, w) == 1 { print $2 }' /proc/mounts | sort -r); do umount -l "$m" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# the context: a small busybox root filesystem as base.tar and src/ with 20 small files
r="$work/rootfs"; mkdir -p "$r/bin" "$r/etc" "$r/tmp"; chmod 1777 "$r/tmp"
cp /bin/busybox "$r/bin/busybox"
for a in sh ls cat echo mkdir rm touch seq true; do ln -sf busybox "$r/bin/$a"; done
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$r/etc/passwd"; printf 'root:x:0:\n' > "$r/etc/group"
ctx="$work/ctx"; mkdir -p "$ctx/src"
tar -C "$r" -cf "$ctx/base.tar" .
for i in $(seq 1 20); do printf 'line %s\n' "$i" > "$ctx/src/f$i.txt"; done
cat > "$ctx/Dockerfile" <<'EOF'
FROM scratch
ADD base.tar /
RUN mkdir /data && cd /data && for i in $(seq 1 5000); do echo "$i" > f$i; done
RUN cd /data && for i in $(seq 1 2 5000); do rm f$i; done
COPY src /src
RUN cat /src/*.txt > /all.txt
EOF
change() { printf 'changed %s\n' "$(date +%s%N)" > "$ctx/src/f7.txt"; }

# each tool: "<tool> cold|changed STORE"; a cold build gets a fresh store, the changed build reuses it
gantry() {
  rm -rf "$work/oci-g"
  "$here/bin/gantry" build --progress=plain --cache-dir "$2" -o type=oci,dest="$work/oci-g" "$ctx" > "$work/gantry-$1.log" 2>&1
}
buildah_with() {
  local driver="$1" store="$3"
  rm -rf "$work/oci-b"
  buildah --root "$store" --runroot "$store-run" --storage-driver "$driver" build --isolation chroot --layers \
    -q -t chain "$ctx"
  buildah --root "$store" --runroot "$store-run" --storage-driver "$driver" push -q chain "oci:$work/oci-b:chain"
}
buildah_overlay() { buildah_with overlay "$@"; }
buildah_vfs() { buildah_with vfs "$@"; }
# BuildKit keeps one store (the private dockerd's): a cold build starts from a pruned build cache and
# no image. dockerd's BuildKit has no OCI exporter: the image goes to its store and out by docker save.
buildkit() {
  if [ "$1" = cold ]; then dk rmi -f chain >/dev/null 2>&1 || true; dk builder prune -af >/dev/null 2>&1; fi
  rm -rf "$work/out-k.tar"
  DOCKER_BUILDKIT=1 dk build --network=none -q -t chain "$ctx"
  dk save -o "$work/out-k.tar" chain
}
# what each tool must have written (the timing helper hides failures)
output_of() {
  case "$1" in
    gantry) echo "$work/oci-g/index.json" ;;
    buildah_*) echo "$work/oci-b/index.json" ;;
    buildkit) echo "$work/out-k.tar" ;;
  esac
}
timed() {
  local s out; out="$(output_of "$1")"; rm -rf "$out"
  s="$(t "$@")"
  [ -s "$out" ] || { echo "$1 $2 build failed (no $out)" >&2; exit 1; }
  echo "$s"
}

read -r -a tools <<< "${BENCH_TOOLS:-gantry buildah_overlay buildah_vfs}"
if [ "$buildkit" = 1 ]; then
  start_dockerd "$work/dockerd"
  tools+=(buildkit)
fi

printf '%-16s %8s %8s\n' tool cold changed
for tool in "${tools[@]}"; do
  cold=(); changed=()
  for i in $(seq 1 "$runs"); do
    store="$work/$tool-$i"
    cold+=("$(timed "$tool" cold "$store")")
    change
    changed+=("$(timed "$tool" changed "$store")")
  done
  printf '%-16s %8.2f %8.2f\n' "$tool" "$(printf '%s\n' "${cold[@]}" | best)" "$(printf '%s\n' "${changed[@]}" | best)"
done
if [ "${GANTRY_STEPS:-0}" = 1 ]; then
  for phase in cold changed; do echo "gantry $phase:"; grep -E 'DONE|CACHED|^#[0-9]+ \[' "$work/gantry-$phase.log" || cat "$work/gantry-$phase.log"; done
fi
