#!/usr/bin/env bash
# Push benchmark: Gantry and skopeo pushing the same images to local docker-registry instances, in
# one run.
#   images: 4 x 64 MiB layers; one layer of 20,000 small files
#   for each: first push (every blob uploaded), second push (every blob already there)
#   gantry_push: 'gantry push oci-layout://DIR REF', the same OCI layout skopeo copies
#                ('skopeo copy oci:DIR docker://REF'); both times are whole commands (JVM start included)
#   build_push:  'gantry build --push' on a cached build (JVM start + no-op rebuild + push)
# Usage: bench/push-bench.sh [runs]     (needs docker-registry and skopeo)
set -euo pipefail
runs="${1:-1}"
command -v docker-registry >/dev/null || { echo "docker-registry is not installed" >&2; exit 1; }
command -v skopeo >/dev/null || { echo "skopeo is not installed" >&2; exit 1; }
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
work="$(mktemp -d)"
cleanup() {
  for r in reg-gantry reg-build reg-skopeo; do [ -f "$work/$r/pid" ] && kill "$(cat "$work/$r/pid")" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

gantry() { "$here/bin/gantry" build -q --cache-dir "$work/gstore-$1" "${@:2}"; }

greg=$(start_registry "$work/reg-gantry")
breg=$(start_registry "$work/reg-build")
sreg=$(start_registry "$work/reg-skopeo")
printf '%-6s %-6s %12s %12s %10s %8s\n' image push gantry_push build_push skopeo ratio
for kind in big small; do
  for r in $(seq 1 "$runs"); do
    ctx="$work/ctx-$kind-$r"; "gen_$kind" "$ctx"
    rm -rf "$work/gstore-$kind" "$work/oci-$kind"
    gantry "$kind" -o "type=oci,dest=$work/oci-$kind" -t "$kind:1" "$ctx" >/dev/null
    gref="$greg/$kind-$r:1"; bref="$breg/$kind-$r:1"; sref="docker://$sreg/$kind-$r:1"
    p() { "$here/bin/gantry" push -q "oci-layout://$work/oci-$kind:1" "$gref"; }
    g1=$(t p)
    b1=$(t gantry "$kind" --push -t "$bref" "$ctx")
    s1=$(t skopeo --insecure-policy copy --dest-tls-verify=false "oci:$work/oci-$kind:1" "$sref")
    g2=$(t p)
    b2=$(t gantry "$kind" --push -t "$bref" "$ctx")
    s2=$(t skopeo --insecure-policy copy --dest-tls-verify=false "oci:$work/oci-$kind:1" "$sref")
    sd=$(skopeo inspect --tls-verify=false "$sref" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Digest"])')
    for ref in "docker://$gref" "docker://$bref"; do
      d=$(skopeo inspect --tls-verify=false "$ref" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Digest"])')
      [ "$d" = "$sd" ] || { echo "digests differ: $ref $d, skopeo $sd" >&2; exit 1; }
    done
    echo "$kind first $g1 $b1 $s1" >> "$work/results"
    echo "$kind again $g2 $b2 $s2" >> "$work/results"
    rm -rf "$ctx"
  done
done
for kind in big small; do
  for phase in first again; do
    g=$(awk -v k="$kind" -v p="$phase" '$1==k && $2==p {print $3}' "$work/results" | best)
    b=$(awk -v k="$kind" -v p="$phase" '$1==k && $2==p {print $4}' "$work/results" | best)
    s=$(awk -v k="$kind" -v p="$phase" '$1==k && $2==p {print $5}' "$work/results" | best)
    printf '%-6s %-6s %12.2f %12.2f %10.2f %7.2fx\n' "$kind" "$phase" "$g" "$b" "$s" "$(echo "$g / $s" | bc -l)"
  done
done
