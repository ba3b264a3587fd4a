# Shared by the benchmark scripts (sourced after `set -euo pipefail`): the project's paths, the CLI
# built and its launcher warmed outside any timing, the timing helpers and the generated contexts.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$here/src/cli/target/gantry.jar"
[ -f "$jar" ] || (cd "$here" && ./mvnw -B -q -DskipTests -pl src/cli -am package)
"$here/bin/gantry" --version >/dev/null   # builds the jar and its class-data archive when needed, untimed

# the smallest of the numbers on standard input
best() { sort -n | head -1; }
# the median of the numbers on standard input
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) exit; if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
# wall seconds of a command; sync first: the page cache writes back what the previous step left (a
# generated context, a store) outside the timed region, so neither tool pays for what ran before it
t() { local s e; sync; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }

# 20,000 small files in 100 directories, copied by one COPY
gen_small() {
  mkdir -p "$1/src"
  for d in $(seq 0 99); do
    mkdir -p "$1/src/d$d"
    for f in $(seq 0 199); do printf 'file %s %s\n' "$d" "$f" > "$1/src/d$d/f$f.txt"; done
  done
  printf 'FROM scratch\nCOPY src/ /data/\n' > "$1/Dockerfile"
}
# 4 x 64 MiB of random bytes, one COPY (and one layer) each
gen_big() {
  mkdir -p "$1"
  for i in 1 2 3 4; do head -c $((64 * 1024 * 1024)) /dev/urandom > "$1/blob$i.bin"; done
  printf 'FROM scratch\nCOPY blob1.bin /b/\nCOPY blob2.bin /b/\nCOPY blob3.bin /b/\nCOPY blob4.bin /b/\n' > "$1/Dockerfile"
}

# RUN scenarios (they need $work): a small busybox root filesystem with /etc/passwd in base.tar, and
# contexts that ADD it and run the Dockerfile lines given on standard input
mkrootfs() {
  local r="$work/rootfs"; mkdir -p "$r/bin" "$r/etc" "$r/tmp"; chmod 1777 "$r/tmp"
  cp /bin/busybox "$r/bin/busybox"
  for a in sh ls cat echo mkdir rm touch seq true; do ln -sf busybox "$r/bin/$a"; done
  printf 'root:x:0:0:root:/root:/bin/sh\n' > "$r/etc/passwd"; printf 'root:x:0:\n' > "$r/etc/group"
  tar -C "$r" -cf "$work/base.tar" .
}
mkctx() { mkdir -p "$work/$1"; cp "$work/base.tar" "$work/$1/"; printf 'FROM scratch\nADD base.tar /\n' > "$work/$1/Dockerfile"; cat >> "$work/$1/Dockerfile"; }
# the RUN scenarios: base (no RUN), runs10 (ten trivial RUN steps), files (one RUN writing 5,000
# files, then one deleting half of them)
run_scenarios() {
  mkrootfs
  mkctx base < /dev/null
  for i in $(seq 1 10); do echo "RUN echo step$i > /s$i"; done | mkctx runs10
  mkctx files <<'EOF2'
RUN mkdir /data && cd /data && for i in $(seq 1 5000); do echo "$i" > f$i; done
RUN cd /data && for i in $(seq 1 2 5000); do rm f$i; done
EOF2
}

# a free loopback TCP port
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# starts a docker-registry storing below DIR ($1), its access log in DIR/log and its pid in DIR/pid
# (stop it with: kill "$(cat DIR/pid)"); prints HOST:PORT once it answers
start_registry() {
  local port; port=$(free_port)
  mkdir -p "$1"
  printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
    "$1/data" "$port" > "$1/config.yml"
  docker-registry serve "$1/config.yml" > "$1/log" 2>&1 &
  echo $! > "$1/pid"
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
  echo "127.0.0.1:$port"
}

# docker.io's client (a docker found first on PATH may be a newer one that wants the buildx plugin)
dk() { if [ -x /usr/bin/docker ]; then /usr/bin/docker "$@"; else docker "$@"; fi; }
# start_dockerd DIR: a private dockerd (no iptables, no bridge: builds run with --network=none)
# storing under DIR; sets dockerd_pid and DOCKER_HOST. The caller stops it (kill, wait) on exit.
start_dockerd() {
  mkdir -p "$1"
  dockerd --iptables=false --ip6tables=false --ip-masq=false --bridge=none --storage-driver=overlay2 \
    --data-root "$1/data" --exec-root "$1/exec" --pidfile "$1/pid" -H "unix://$1/sock" > "$1/log" 2>&1 &
  dockerd_pid=$!
  export DOCKER_HOST="unix://$1/sock"
  for _ in $(seq 1 100); do dk version >/dev/null 2>&1 && break; sleep 0.2; done
  dk version >/dev/null 2>&1 || { echo "dockerd did not start:" >&2; tail -5 "$1/log" >&2; exit 1; }
}
