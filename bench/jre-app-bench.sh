#!/usr/bin/env bash
# Inner-loop benchmark: a Java app on a real JRE base, Gantry and buildah side by side in one run.
#   base:    Debian bookworm minbase + openjdk-17-jre-headless (mmdebstrap, cached under
#            ~/.cache/gantry-tests/), made an image by 'FROM scratch / ADD rootfs.tar /' and pushed to
#            a docker-registry on a free loopback port
#   app:     FROM <base> / COPY deps/ /app/deps/ (30 x 1 MiB jar-like files) / COPY app.jar /app/ (2 MiB)
#   phases:  cold (empty store: pull, both COPY steps), no-op rebuild (best of 3), rebuild after
#            app.jar is rewritten (the inner loop; best of N rewrites)
#   tools:   bin/gantry; buildah with --storage-driver overlay and vfs (--layers); wall seconds
# Usage: bench/jre-app-bench.sh [rewrites]   (needs mmdebstrap, docker-registry, buildah; run as root)
set -euo pipefail
rewrites="${1:-5}"
for tool in mmdebstrap docker-registry buildah; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 1; }
done
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cache="$HOME/.cache/gantry-tests"
rootfs="$cache/bookworm-jre17.tar"
if [ ! -f "$rootfs" ]; then
  mkdir -p "$cache"
  mmdebstrap --variant=minbase --format=tar --include=openjdk-17-jre-headless bookworm "$rootfs.tmp" >&2
  mv "$rootfs.tmp" "$rootfs"
fi
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
mkdir -p "$work/registry"
printf 'version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
  "$work/registry/data" "$port" > "$work/registry/config.yml"
docker-registry serve "$work/registry/config.yml" > "$work/registry/log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done

base="127.0.0.1:$port/jre:17"
mkdir -p "$work/base"
ln "$rootfs" "$work/base/rootfs.tar" 2>/dev/null || cp "$rootfs" "$work/base/rootfs.tar"
printf 'FROM scratch\nADD rootfs.tar /\nCMD ["java", "-version"]\n' > "$work/base/Dockerfile"
"$here/bin/gantry" build -q --cache-dir "$work/gstore-base" --push -t "$base" "$work/base" >/dev/null
rm -rf "$work/gstore-base" "$work/base"

ctx="$work/app"
mkdir -p "$ctx/deps"
for i in $(seq -w 1 30); do head -c $((1024 * 1024)) /dev/urandom > "$ctx/deps/dep-$i.jar"; done
head -c $((2 * 1024 * 1024)) /dev/urandom > "$ctx/app.jar"
printf 'FROM %s\nCOPY deps/ /app/deps/\nCOPY app.jar /app/\nCMD ["java", "-cp", "/app/app.jar:/app/deps/*", "Main"]\n' "$base" > "$ctx/Dockerfile"
rewrite() { head -c $((2 * 1024 * 1024)) /dev/urandom > "$ctx/app.jar"; }

gantry() { "$here/bin/gantry" build -q --cache-dir "$work/gstore" -t app "$ctx"; }
buildah_overlay() { buildah --root "$work/broot-o" --runroot "$work/brun-o" --storage-driver overlay build --tls-verify=false --layers -q -t app "$ctx"; }
buildah_vfs() { buildah --root "$work/broot-v" --runroot "$work/brun-v" --storage-driver vfs build --tls-verify=false --layers -q -t app "$ctx"; }
tools=(gantry buildah_overlay buildah_vfs)

for tool in "${tools[@]}"; do echo "$tool cold $(t "$tool")" >> "$work/results"; done
for _ in 1 2 3; do
  for tool in "${tools[@]}"; do echo "$tool noop $(t "$tool")" >> "$work/results"; done
done
for _ in $(seq 1 "$rewrites"); do
  rewrite
  for tool in "${tools[@]}"; do echo "$tool onefile $(t "$tool")" >> "$work/results"; done
done
printf '%-10s %10s %16s %12s\n' phase gantry_s buildah_overlay buildah_vfs
for phase in cold noop onefile; do
  row=()
  for tool in "${tools[@]}"; do row+=("$(awk -v k="$tool" -v p="$phase" '$1==k && $2==p {print $3}' "$work/results" | best)"); done
  printf '%-10s %10.2f %16.2f %12.2f\n' "$phase" "${row[@]}"
done
