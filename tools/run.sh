#!/bin/sh
# run.sh [mamori arguments] - installs what is missing, builds a release
# binary and runs the main job: mamori up (the dashboard, scans of this
# computer and the network sensor; stop with Ctrl-C). Other arguments run
# that command instead, e.g. tools/run.sh scan.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
"$src/tools/deps.sh" run
log=$(mktemp)
# Quiet when it works; the whole output (npm, compiler) when it does not.
quiet() { "$@" >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; echo "run.sh: '$*' failed" >&2; exit 1; }; }
[ -f "$src/build/build.ninja" ] || quiet meson setup "$src/build" "$src" --buildtype=release
# Only the program and its PDF module: the tests and fuzz replays are for tools/test.sh.
quiet ninja -C "$src/build" mamori mamori-pdf.so
rm -f "$log"
[ $# -gt 0 ] || set -- up
exec "$src/build/mamori" "$@"
