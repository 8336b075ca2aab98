#!/bin/sh
# run.sh [mamori arguments] - installs what is missing, builds a release
# binary and runs the main job (for now: mamori scan of this computer).
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
"$src/tools/deps.sh" run
[ -f "$src/build/build.ninja" ] || meson setup "$src/build" "$src" --buildtype=release >/dev/null
ninja -C "$src/build" >/dev/null
[ $# -gt 0 ] || set -- scan
exec "$src/build/mamori" "$@"
