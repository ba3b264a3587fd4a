#!/usr/bin/env bash
# Inner-loop benchmark: a Java app on a real JRE base, side by side in one run.
#   base:    Debian bookworm minbase + openjdk-17-jre-headless (mmdebstrap, cached under
#            ~/.cache/gantry-tests/), made an image by 'FROM scratch / ADD rootfs.tar /' and pushed to
#            a docker-registry on a free loopback port; every tool pulls it from there
#   app:     FROM <base> / COPY deps/ /app/deps/ (30 x 1 MiB jar-like files) / COPY app.jar /app/ (2 MiB)
#   phases:  cold (empty store: pull, both COPY steps), no-op rebuild, rebuild after app.jar is
#            rewritten (the inner loop); median of N rounds, wall seconds
#   tools:   gantry           bin/gantry build -t app (JVM start included)
#            gantry_warm      the library in one warm JVM, as from Maven (dev.gantry.bench.WarmBuilds:
#                             5 warm-up rounds, then WARM_ROUNDS rounds, default 20; no cold phase)
#            buildkit         Debian docker.io's dockerd, private and without networking, warm daemon:
#                             DOCKER_BUILDKIT=1 docker build --network=none -t app
#            buildah_overlay, buildah_vfs   buildah build --layers with either storage driver
#            jib              jib-maven-plugin jib:buildTar of a generated Maven project taking deps/
#                             and app.jar as extra directories (Maven start included; the tar it must
#                             write holds the base's layers too)
# Usage: bench/jre-app-bench.sh [rounds]   (default 3; run as root; needs mmdebstrap, docker-registry
#        and buildah; BuildKit needs docker.io (apt-get install -y docker.io), Jib needs mvn and, once,
#        Maven Central; a tool that is missing shows n/a)
set -euo pipefail
rounds="${1:-3}"
warm_rounds="${WARM_ROUNDS:-20}"
jib_version=3.4.4
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
classes="$here/src/core/target/test-classes"
[ -f "$classes/dev/gantry/bench/WarmBuilds.class" ] || (cd "$here" && ./mvnw -B -q -pl src/core test-compile)
work="$(mktemp -d)"
pids=()
dockerd_pid=""
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -n "$dockerd_pid" ]; then kill "$dockerd_pid" 2>/dev/null || true; wait "$dockerd_pid" 2>/dev/null || true; fi
  for m in $(awk -v w="$work" 'index($2, w) == 1 { print $2 }' /proc/mounts | sort -r); do umount -l "$m" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

reg=$(start_registry "$work/registry")
pids+=("$(cat "$work/registry/pid")")

base="$reg/jre:17"
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

# Jib: a Maven project with no sources of its own; deps/ and app.jar go to /app as extra directories
jibdir="$work/jib"
mkdir -p "$jibdir/target/classes"
cat > "$jibdir/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId>
  <artifactId>app</artifactId>
  <version>1</version>
  <build>
    <plugins>
      <plugin>
        <groupId>com.google.cloud.tools</groupId>
        <artifactId>jib-maven-plugin</artifactId>
        <version>$jib_version</version>
        <configuration>
          <from><image>$base</image></from>
          <to><image>app</image></to>
          <allowInsecureRegistries>true</allowInsecureRegistries>
          <outputPaths><tar>$work/jib-image.tar</tar></outputPaths>
          <extraDirectories>
            <paths>
              <path>
                <from>$ctx</from>
                <into>/app</into>
                <includes><include>deps/**</include><include>app.jar</include></includes>
              </path>
            </paths>
          </extraDirectories>
          <container><entrypoint>java,-cp,/app/app.jar:/app/deps/*,Main</entrypoint></container>
        </configuration>
      </plugin>
    </plugins>
  </build>
</project>
EOF

gantry() { "$here/bin/gantry" build -q --cache-dir "$work/gstore" -t app "$ctx"; }
buildah_overlay() { buildah --root "$work/broot-o" --runroot "$work/brun-o" --storage-driver overlay build --tls-verify=false --layers -q -t app "$ctx"; }
buildah_vfs() { buildah --root "$work/broot-v" --runroot "$work/brun-v" --storage-driver vfs build --tls-verify=false --layers -q -t app "$ctx"; }
buildkit() { DOCKER_BUILDKIT=1 dk build --network=none -q -t app "$ctx"; }
jib() {
  (cd "$jibdir" && mvn -B -q jib:buildTar -Djib.baseImageCache="$work/jib-base-cache" \
    -Djib.applicationCache="$work/jib-app-cache")
}
tools=(gantry buildah_overlay buildah_vfs)
columns=(gantry gantry_warm buildkit buildah_overlay buildah_vfs jib)
if command -v dockerd >/dev/null; then
  start_dockerd "$work/dockerd"
  tools+=(buildkit)
else
  echo "dockerd is not installed (apt-get install -y docker.io): no BuildKit column" >&2
fi
if command -v mvn >/dev/null && (cd "$jibdir" && mvn -B -q dependency:resolve-plugins -DincludeGroupIds=com.google.cloud.tools >/dev/null 2>&1); then
  tools+=(jib)
else
  echo "mvn is not installed or cannot fetch jib-maven-plugin $jib_version: no Jib column" >&2
fi

# each build is checked once (the timing helper hides failures): the image must exist afterwards
check() {
  case "$1" in
    gantry) "$here/bin/gantry" images --cache-dir "$work/gstore" | grep -q '^app' ;;
    buildkit) dk image inspect app >/dev/null ;;
    buildah_overlay) buildah --root "$work/broot-o" --runroot "$work/brun-o" --storage-driver overlay inspect app >/dev/null ;;
    buildah_vfs) buildah --root "$work/broot-v" --runroot "$work/brun-v" --storage-driver vfs inspect app >/dev/null ;;
    jib) [ -s "$work/jib-image.tar" ] ;;
  esac || { echo "$1 did not build the image" >&2; exit 1; }
}

for tool in "${tools[@]}"; do echo "$tool cold $(t "$tool")" >> "$work/results"; check "$tool"; done
for _ in $(seq 1 "$rounds"); do
  for tool in "${tools[@]}"; do echo "$tool noop $(t "$tool")" >> "$work/results"; done
done
for _ in $(seq 1 "$rounds"); do
  rewrite
  for tool in "${tools[@]}"; do echo "$tool onefile $(t "$tool")" >> "$work/results"; done
done
java -cp "$jar:$classes" dev.gantry.bench.WarmBuilds "$ctx" "$work/gstore-warm" app.jar "$warm_rounds" 5 \
  > "$work/warm.log"
awk '$1 == "median_ms" { split($2, n, "="); split($3, o, "=");
  printf "gantry_warm noop %.4f\ngantry_warm onefile %.4f\n", n[2] / 1000, o[2] / 1000 }' "$work/warm.log" >> "$work/results"

printf '%-8s' phase; printf ' %15s' "${columns[@]}"; printf '\n'
for phase in cold noop onefile; do
  printf '%-8s' "$phase"
  for tool in "${columns[@]}"; do
    v="$(awk -v k="$tool" -v p="$phase" '$1==k && $2==p {print $3}' "$work/results" | median)"
    if [ -n "$v" ]; then printf ' %15.3f' "$v"; else printf ' %15s' n/a; fi
  done
  printf '\n'
done
echo "seconds, median of $rounds round(s); gantry_warm: median of $warm_rounds builds in one JVM after 5 warm-up rounds"
