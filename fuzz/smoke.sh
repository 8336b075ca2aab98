#!/bin/sh
# smoke.sh SRC BUILD SECONDS - builds the libFuzzer targets with clang under
# ASan+UBSan and runs each for SECONDS from its corpus (fixed seed). Prints
# TAP. The regression gate is the corpus replay in the normal test run;
# this is exploration, so a new crash it finds is reported as a TAP TODO
# ("not ok ... # TODO") with the input saved under BUILD/fuzz-findings/ for
# triage (fix the bug, then add the input to fuzz/corpus/<target>/).
set -u
src=$1 build=$2 secs=$3
if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" "$src" --buildtype=debug -Dfuzz=enabled \
		-Db_sanitize=address,undefined -Db_lundef=false >/dev/null || { echo "not ok 1 - fuzz build setup"; echo 1..1; exit 1; }
fi
ninja -C "$build" >/dev/null || { echo "not ok 1 - fuzz build"; echo 1..1; exit 1; }
n=0 fail=0
findings="$build/fuzz-findings"
mkdir -p "$findings"
for bin in "$build"/fuzz/fuzz_*; do
	[ -f "$bin" ] && [ -x "$bin" ] || continue
	name=$(basename "$bin")
	corpus="$src/fuzz/corpus/${name#fuzz_}"
	work=$(mktemp -d)
	cp -r "$corpus"/. "$work"/ 2>/dev/null
	n=$((n + 1))
	if "$bin" -seed=1 -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=0 -artifact_prefix="$findings/$name-" "$work" >"$work.log" 2>&1; then
		echo "ok $n - $name ran ${secs}s without a crash ($(grep -c . "$work.log") log lines)"
	else
		echo "not ok $n - $name: exploration found a new crash # TODO triage $(ls "$findings" | grep "^$name-" | head -1)"
		grep -E 'ERROR|SUMMARY|Test unit written' "$work.log" | head -5 | sed 's/^/# /'
	fi
	rm -rf "$work" "$work.log"
done
[ $n -gt 0 ] || { echo "not ok 1 - no fuzz targets built"; n=1; fail=1; }
echo "1..$n"
[ $fail -eq 0 ]
