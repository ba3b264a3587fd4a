#!/usr/bin/env bash
# Registry cache benchmark: a fresh CI runner (empty store) that reuses another runner's cache through
# a local docker-registry, Gantry and buildah side by side, in one run.
#   scenarios: small (one COPY of 20,000 small files), app (FROM a busybox base pulled from the
#              registry / COPY deps/ (30 x 1 MiB) / COPY app.jar (2 MiB)), run (ADD base.tar / two RUN)
#   seed:      a fresh store builds, exports its cache and pushes the image (untimed)
#   nochange:  a fresh store builds with the cache and pushes the image to a new tag
#   onechange: the same after one file (app.jar, one small file, the RUN's input) changed
#   gantry:    --cache-to type=registry,ref=REG/gcache-KIND:c,mode=max / --cache-from the same / --push
#   buildah:   build --layers --cache-to/--cache-from REG/bcache-KIND, then push; fresh --root each time
#   columns:   wall seconds (JVM start included) and layer bytes the runner downloaded (registry log)
# Usage: bench/cache-bench.sh [runs]     (needs docker-registry, buildah, busybox-static; RUN needs root)
set -euo pipefail
runs="${1:-1}"
for tool in docker-registry buildah; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 1; }
done
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
work="$(mktemp -d)"
trap 'kill "$(cat "$work/registry/pid")" 2>/dev/null || true; rm -rf "$work"' EXIT
reg=$(start_registry "$work/registry")

# bytes of the blob GETs the registry answered since line $1 of its access log (config and document
# blobs included: a few KiB)
pulled() { tail -n +"$(( $1 + 1 ))" "$work/registry/log" | awk '/"GET \/v2\/[^ ]*\/blobs\/sha256:/ && $9 == 200 {s += $10} END {print s + 0}'; }
lines() { wc -l < "$work/registry/log"; }

rootfs() {
  local r="$work/rootfs"; rm -rf "$r"; mkdir -p "$r/bin" "$r/etc" "$r/tmp"; chmod 1777 "$r/tmp"
  cp /bin/busybox "$r/bin/busybox"
  for a in sh cat echo mkdir rm seq true wc; do ln -sf busybox "$r/bin/$a"; done
  printf 'root:x:0:0:root:/root:/bin/sh\n' > "$r/etc/passwd"; printf 'root:x:0:\n' > "$r/etc/group"
  tar -C "$r" -cf "$1" .
}
rootfs "$work/base.tar"
mkdir -p "$work/basectx" && cp "$work/base.tar" "$work/basectx/" && printf 'FROM scratch\nADD base.tar /\n' > "$work/basectx/Dockerfile"
"$here/bin/gantry" build -q --cache-dir "$work/seed-store" -t "$reg/base:1" --push "$work/basectx" >/dev/null

gen_app() {
  mkdir -p "$1/deps"
  for i in $(seq 1 30); do head -c $((1024 * 1024)) /dev/urandom > "$1/deps/dep$i.jar"; done
  head -c $((2 * 1024 * 1024)) /dev/urandom > "$1/app.jar"
  printf 'FROM %s/base:1\nCOPY deps/ /app/deps/\nCOPY app.jar /app/\nCMD ["/bin/sh"]\n' "$reg" > "$1/Dockerfile"
}
gen_run() {
  mkdir -p "$1" && cp "$work/base.tar" "$1/"
  echo 1 > "$1/input.txt"
  printf 'FROM scratch\nADD base.tar /\nRUN mkdir /data && for i in $(seq 1 2000); do echo $i > /data/f$i; done\nCOPY input.txt /\nRUN cat /input.txt /data/f1 > /out\n' > "$1/Dockerfile"
}
change() {
  case "$1" in
    small) echo changed >> "$2/src/d7/f7.txt" ;;
    app) head -c $((2 * 1024 * 1024)) /dev/urandom > "$2/app.jar" ;;
    run) echo 2 > "$2/input.txt" ;;
  esac
}

gantry() { # store ctx tag [cache-to]
  local to=(); [ -n "${4:-}" ] && to=(--cache-to "type=registry,ref=$reg/gcache-$kind:c,mode=max")
  "$here/bin/gantry" build -q --cache-dir "$work/$1" --cache-from "type=registry,ref=$reg/gcache-$kind:c" \
    "${to[@]}" -t "$reg/$3" --push "$2"
}
buildah_build() { # root ctx tag
  buildah --root "$work/$1" --runroot "$work/$1-run" --storage-driver vfs build -q --layers --tls-verify=false \
    --cache-from "$reg/bcache-$kind" --cache-to "$reg/bcache-$kind" -t "$reg/$3" "$2" &&
  buildah --root "$work/$1" --runroot "$work/$1-run" --storage-driver vfs push -q --tls-verify=false "$reg/$3"
}
phase() { # tool phase -> "seconds bytes"
  local n s; n=$(lines); s=$(t "$@"); echo "$s $(pulled "$n")"
}

printf '%-6s %-10s %9s %12s %9s %12s %8s\n' scene phase gantry g_bytes buildah b_bytes speedup
for kind in small app run; do
  if [ "$kind" = run ] && ! [ "$(id -u)" = 0 ]; then continue; fi
  for r in $(seq 1 "$runs"); do
    ctx="$work/ctx-$kind-$r"; "gen_$kind" "$ctx"
    gantry "g-seed-$r" "$ctx" "g-$kind:seed" export >/dev/null
    buildah_build "b-seed-$r" "$ctx" "b-$kind:seed" >/dev/null
    read -r g gb <<< "$(phase gantry "g-nochange-$r" "$ctx" "g-$kind:nochange")"
    read -r b bb <<< "$(phase buildah_build "b-nochange-$r" "$ctx" "b-$kind:nochange")"
    echo "$kind nochange $g $gb $b $bb" >> "$work/results"
    change "$kind" "$ctx"
    read -r g gb <<< "$(phase gantry "g-onechange-$r" "$ctx" "g-$kind:onechange")"
    read -r b bb <<< "$(phase buildah_build "b-onechange-$r" "$ctx" "b-$kind:onechange")"
    echo "$kind onechange $g $gb $b $bb" >> "$work/results"
    rm -rf "$ctx" "$work"/g-*-"$r" "$work"/b-*-"$r" "$work"/b-*-"$r"-run
  done
done
for kind in small app run; do
  for p in nochange onechange; do
    grep -q "^$kind $p " "$work/results" 2>/dev/null || continue
    g=$(awk -v k="$kind" -v p="$p" '$1==k && $2==p {print $3}' "$work/results" | best)
    gb=$(awk -v k="$kind" -v p="$p" '$1==k && $2==p {print $4}' "$work/results" | best)
    b=$(awk -v k="$kind" -v p="$p" '$1==k && $2==p {print $5}' "$work/results" | best)
    bb=$(awk -v k="$kind" -v p="$p" '$1==k && $2==p {print $6}' "$work/results" | best)
    printf '%-6s %-10s %9.2f %12s %9.2f %12s %7.1fx\n' "$kind" "$p" "$g" "$gb" "$b" "$bb" "$(echo "$b / $g" | bc -l)"
  done
done
