#!/usr/bin/env bash
# Builds the image of Gantry with Gantry: image/Dockerfile over a context holding the CLI jar.
#   image/build.sh [TAG] [gantry build options...]
# e.g. image/build.sh gantry:dev -o type=docker,dest=target/gantry-image.tar
#      image/build.sh registry.example/tools/gantry:1 --push
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tag="${1:-gantry:dev}"
shift || true
"$here/bin/gantry" --version >/dev/null   # builds the CLI jar when it is missing or stale
ctx="$(mktemp -d)"
trap 'rm -rf "$ctx"' EXIT
cp "$here/src/cli/target/gantry.jar" "$ctx/gantry.jar"
exec "$here/bin/gantry" build -f "$here/image/Dockerfile" -t "$tag" "$@" "$ctx"
