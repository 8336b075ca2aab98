#!/bin/sh
# scan.sh [RUNS] - mamori scan of this machine beside its anchors, in one
# run: lynis audit system --quick (Debian lynis) and dpkg-query -W (the floor
# for reading the package list). Prints medians of RUNS (default 5) for wall
# time and peak memory, and the ratios. Run as root for a full scan.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
"$src/tools/deps.sh" bench
build="$src/build-bench"
[ -f "$build/build.ninja" ] || meson setup "$build" "$src" --buildtype=release >/dev/null
ninja -C "$build" >/dev/null
out="$src/bench/out"
mkdir -p "$out"
db="$out/bench.db"
rm -f "$db" "$db-wal" "$db-shm"
exec python3 "$src/bench/measure.py" --runs "$runs" \
	"mamori scan (stored)=$build/mamori --db $db scan" \
	"mamori scan --json --no-store=$build/mamori scan --json --no-store" \
	"dpkg-query -W=dpkg-query -W" \
	"lynis audit system --quick=lynis audit system --quick --no-colors --no-log"
