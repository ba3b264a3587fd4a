#!/usr/bin/env bash
# Registry cache benchmark: a fresh CI runner (empty store) that reuses another runner's cache through
# a local docker-registry, Gantry, buildah and BuildKit side by side, in one run.
#   scenarios: small (one COPY of 20,000 small files), app (FROM a busybox base pulled from the
#              registry / COPY deps/ (30 x 1 MiB) / COPY app.jar (2 MiB)), run (ADD base.tar / two RUN)
#   seed:      a fresh store builds, exports its cache and pushes the image (untimed)
#   nochange:  a fresh store builds with the cache and pushes the image to a new tag
#   onechange: the same after one file (app.jar, one small file, the RUN's input) changed
#   gantry:    --cache-to type=registry,ref=REG/gcache-KIND:c,mode=max / --cache-from the same / --push
#   buildah:   build --layers --cache-to/--cache-from REG/bcache-KIND (vfs) or REG/ocache-KIND (overlay),
#              then push; fresh --root each time, with either storage driver
#   buildkit:  Debian's docker.io dockerd (20.10), started privately: the seed builds with
#              BUILDKIT_INLINE_CACHE=1 and pushes REG/kcache-KIND:c (inline cache: mode=min, the only
#              mode that daemon's builder exports to a registry); a build uses --cache-from that image,
#              then docker push. A fresh runner is a fresh daemon: stopped, its data-root wiped and
#              started again before each build, outside the timing (the daemon start is not counted)
#              RUN gets --network=none (the daemon has no bridge). A cache hit still downloads the
#              layer (its image store holds every layer of the image it pushes) and docker push
#              uploads it again (no cross-repository mount from the cache image)
#   columns:   wall seconds (JVM start included) and layer bytes the runner downloaded (registry log),
#              for Gantry, buildah overlay, buildah vfs and BuildKit; peer/g: the fastest of the three
#              peers over Gantry;
#              n/a where the tool is missing or its image did not reach the registry
# Usage: bench/cache-bench.sh [runs]     (needs docker-registry, buildah, busybox-static; RUN and
#        BuildKit need root, BuildKit needs docker.io). BENCH_KINDS="small app" picks scenarios.
set -euo pipefail
runs="${1:-1}"
for tool in docker-registry buildah; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 1; }
done
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
work="$(mktemp -d)"
dockerd_pid=""
stop_dockerd() {
  [ -n "$dockerd_pid" ] || return 0
  kill "$dockerd_pid" 2>/dev/null || true; wait "$dockerd_pid" 2>/dev/null || true; dockerd_pid=""
  for m in $(awk -v w="$work/dockerd" 'index($2, w) == 1 { print $2 }' /proc/mounts | sort -r); do umount -l "$m" 2>/dev/null || true; done
}
unmount_all() { for m in $(awk -v w="$work" 'index($2, w) == 1 { print $2 }' /proc/mounts | sort -r); do umount -l "$m" 2>/dev/null || true; done; }
trap 'stop_dockerd; unmount_all; kill "$(cat "$work/registry/pid")" 2>/dev/null || true; rm -rf "$work"' EXIT
reg=$(start_registry "$work/registry")
buildkit=0
if [ "$(id -u)" = 0 ] && command -v dockerd >/dev/null && [ -x /usr/bin/docker ]; then buildkit=1; fi

# bytes of the blob GETs the registry answered since line $1 of its access log (config and document
# blobs included: a few KiB)
pulled() { tail -n +"$(( $1 + 1 ))" "$work/registry/log" | awk '/"GET \/v2\/[^ ]*\/blobs\/sha256:/ && $9 == 200 {s += $10} END {print s + 0}'; }
lines() { wc -l < "$work/registry/log"; }
# whether the registry holds REPO:TAG ($1)
pushed() {
  curl -fsI -o /dev/null "http://$reg/v2/${1%:*}/manifests/${1##*:}" \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json'
}

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
buildah_build() { # driver root ctx tag
  local c="$reg/bcache-$kind"; [ "$1" = overlay ] && c="$reg/ocache-$kind"
  buildah --root "$work/$2" --runroot "$work/$2-run" --storage-driver "$1" build -q --layers --tls-verify=false \
    --cache-from "$c" --cache-to "$c" -t "$reg/$4" "$3" &&
  buildah --root "$work/$2" --runroot "$work/$2-run" --storage-driver "$1" push -q --tls-verify=false "$reg/$4"
}
# a buildah root ($1) whose overlay mounts are undone before it is deleted
buildah_rm() {
  for m in $(awk -v w="$work/$1" 'index($2, w) == 1 { print $2 }' /proc/mounts | sort -r); do umount -l "$m" 2>/dev/null || true; done
  rm -rf "$work/$1" "$work/$1-run"
}
# the private daemon's client (its own configuration: buildah reads DOCKER_CONFIG too, so it is set here only)
dk() { DOCKER_HOST="unix://$work/dockerd/sock" DOCKER_CONFIG="$work/docker-config" DOCKER_BUILDKIT=1 /usr/bin/docker "$@"; }
# stops the private dockerd if it runs, wipes its data-root and starts it again: an empty runner
fresh_dockerd() {
  local d="$work/dockerd"
  stop_dockerd; rm -rf "$d"; mkdir -p "$d"
  dockerd --iptables=false --ip6tables=false --ip-masq=false --bridge=none --storage-driver=overlay2 \
    --insecure-registry "$reg" --data-root "$d/data" --exec-root "$d/exec" --pidfile "$d/pid" \
    -H "unix://$d/sock" > "$d/log" 2>&1 &
  dockerd_pid=$!
  for _ in $(seq 1 150); do dk version >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "dockerd did not start:" >&2; tail -5 "$d/log" >&2; exit 1
}
buildkit_build() { # ctx tag [seed]: the seed writes the inline cache, the others read it
  local cache=(--cache-from "$reg/kcache-$kind:c"); [ -n "${3:-}" ] && cache=(--build-arg BUILDKIT_INLINE_CACHE=1)
  dk build -q --network=none "${cache[@]}" -t "$reg/$2" "$1" && dk push "$reg/$2"
}
phase() { # REPO:TAG tool args -> "seconds bytes", or "n/a n/a" when the image did not reach the registry
  local n s ref="$1"; shift
  n=$(lines); s=$(t "$@")
  if pushed "$ref"; then echo "$s $(pulled "$n")"; else echo "n/a n/a"; fi
}
# BuildKit's phase $1 on a fresh daemon (started here, in this shell, untimed): sets k and kb
buildkit_phase() {
  k=n/a kb=n/a; [ "$buildkit" = 1 ] || return 0
  fresh_dockerd
  read -r k kb <<< "$(phase "kout-$kind:$1" buildkit_build "$ctx" "kout-$kind:$1")"
}

read -r -a kinds <<< "${BENCH_KINDS:-small app run}"
for kind in "${kinds[@]}"; do
  if [ "$kind" = run ] && ! [ "$(id -u)" = 0 ]; then continue; fi
  for r in $(seq 1 "$runs"); do
    ctx="$work/ctx-$kind-$r"; "gen_$kind" "$ctx"
    gantry "g-seed-$r" "$ctx" "g-$kind:seed" export >/dev/null
    buildah_build vfs "b-seed-$r" "$ctx" "b-$kind:seed" >/dev/null
    buildah_build overlay "o-seed-$r" "$ctx" "o-$kind:seed" >/dev/null
    if [ "$buildkit" = 1 ]; then
      fresh_dockerd; buildkit_build "$ctx" "kcache-$kind:c" seed >/dev/null 2>&1 || true
      pushed "kcache-$kind:c" || echo "buildkit: the $kind seed did not reach the registry" >&2
    fi
    for p in nochange onechange; do
      [ "$p" = onechange ] && change "$kind" "$ctx"
      read -r g gb <<< "$(phase "g-$kind:$p-$r" gantry "g-$p-$r" "$ctx" "g-$kind:$p-$r")"
      read -r b bb <<< "$(phase "b-$kind:$p-$r" buildah_build vfs "b-$p-$r" "$ctx" "b-$kind:$p-$r")"
      read -r o ob <<< "$(phase "o-$kind:$p-$r" buildah_build overlay "o-$p-$r" "$ctx" "o-$kind:$p-$r")"
      buildkit_phase "$p-$r"
      echo "$kind $p $g $gb $b $bb $k $kb $o $ob" >> "$work/results"
    done
    for d in "$work"/o-*-"$r"; do buildah_rm "${d##*/}"; done
    rm -rf "$ctx" "$work"/g-*-"$r" "$work"/b-*-"$r" "$work"/b-*-"$r"-run
  done
done
stop_dockerd

# the best (smallest) number of column $3 for scenario $1 and phase $2, n/a when no run has one
col() { awk -v k="$1" -v p="$2" -v c="$3" '$1==k && $2==p && $c != "n/a" {print $c}' "$work/results" | best | grep . || echo n/a; }
sec() { if [ "$1" = n/a ]; then echo n/a; else printf '%.2f' "$1"; fi; }
ratio() { if [ "$1" = n/a ] || [ "$2" = n/a ]; then echo n/a; else printf '%.1fx' "$(echo "$1 / $2" | bc -l)"; fi; }
# the best peer: the fastest of buildah (either driver) and BuildKit
fastest() { printf '%s\n' "$@" | grep -v n/a | best | grep . || echo n/a; }
printf '%-6s %-10s %8s %9s %8s %11s %8s %11s %8s %11s %7s\n' \
  scene phase gantry g_bytes b_ovl o_bytes b_vfs b_bytes buildkit k_bytes peer/g
for kind in "${kinds[@]}"; do
  for p in nochange onechange; do
    grep -q "^$kind $p " "$work/results" 2>/dev/null || continue
    g=$(col "$kind" "$p" 3); b=$(col "$kind" "$p" 5); k=$(col "$kind" "$p" 7); o=$(col "$kind" "$p" 9)
    printf '%-6s %-10s %8s %9s %8s %11s %8s %11s %8s %11s %7s\n' "$kind" "$p" "$(sec "$g")" "$(col "$kind" "$p" 4)" \
      "$(sec "$o")" "$(col "$kind" "$p" 10)" "$(sec "$b")" "$(col "$kind" "$p" 6)" "$(sec "$k")" "$(col "$kind" "$p" 8)" \
      "$(ratio "$(fastest "$b" "$k" "$o")" "$g")"
  done
done
