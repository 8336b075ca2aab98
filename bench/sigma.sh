#!/bin/sh
# sigma.sh [EVENTS] - Sigma engine microbenchmark on a release build: ~100
# generated rules + 2 correlations over synthetic sshd / web / Windows events
# (tests/unit/t_sigma_bench.c). Prints events per CPU second; target > 1M.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${MAMORI_BENCH_BUILD:-$src/build-bench-sigma}
[ -d "$build" ] || meson setup "$build" "$src" --buildtype=release >/dev/null
ninja -C "$build" tests/t_sigma_bench >/dev/null
for run in 1 2 3; do
	MAMORI_SIGMA_BENCH_EVENTS=${1:-1000000} "$build/tests/t_sigma_bench" | grep '^# sigma bench'
done
