#!/bin/sh
# fim.sh [TREE] [RUNS] - integrity baseline of TREE (default /usr) beside its
# anchors, in one run, on the same files:
#   mamori fim init TREE      (walk, SHA-256, store in SQLite)
#   aide --init               (Debian aide, a config that checks only
#                              permissions/inode/owner/size/mtime + sha256)
#   find | xargs sha256sum    (the hash floor: the same bytes, no database)
# Warm cache: median of RUNS (default 3) after a warm-up (bench/measure.py).
# Cold cache (root only): COLD_RUNS rounds (default 3) of the three, the
# page cache dropped before each run; median, with the 1-minute load
# average before each run (on a shared machine CPU time is the steadier
# figure; a cold mamori run is CPU-bound in a VM). Not while someone else
# is timing: dropping the cache slows their runs.
# Idle watch: CPU and RSS of `mamori fim watch TREE` over IDLE_SECONDS
# (default 60) with nothing to do (fanotify marks the whole mount: other
# writers on it still cost events).
# Targets (issue 5): mamori >= 4x faster than AIDE, >= 80% of sha256sum;
# idle watch < 1% CPU and < 15 MB.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
tree=${1:-/usr}
runs=${2:-3}
build="$src/build-bench"
[ -f "$build/build.ninja" ] || meson setup "$build" "$src" --buildtype=release >/dev/null
ninja -C "$build" mamori >/dev/null
command -v aide >/dev/null || { echo "fim.sh: needs aide (apt-get install aide)" >&2; exit 1; }
out="$src/bench/out/fim"
mkdir -p "$out"
cat >"$out/aide.conf" <<EOT
database_out=file:$out/aide.db.new
gzip_dbout=no
report_url=stdout
Sha = p+i+n+u+g+s+m+sha256
$tree Sha
EOT
cat >"$out/sha256sum.sh" <<EOT
#!/bin/sh
find "$tree" -xdev -type f -print0 | xargs -0 -r sha256sum >/dev/null
EOT
chmod +x "$out/sha256sum.sh"
mamori="$build/mamori --db $out/fim.db fim init $tree"
aide="aide --init --config $out/aide.conf"

echo "# tree: $tree, $(find "$tree" -xdev -type f | wc -l) files, $(du -sxh "$tree" | cut -f1)"
if [ "$(id -u)" -eq 0 ] && [ -w /proc/sys/vm/drop_caches ]; then
	cold_runs=${COLD_RUNS:-3}
	echo "# cold cache (page cache dropped before each), $cold_runs rounds:"
	: >"$out/cold.txt"
	r=0
	while [ $r -lt "$cold_runs" ]; do
		r=$((r + 1))
		for c in "mamori fim init=$mamori" "aide --init=$aide" "sha256sum=$out/sha256sum.sh"; do
			label=${c%%=*}; cmd=${c#*=}
			sync; echo 3 >/proc/sys/vm/drop_caches
			load=$(cut -d' ' -f1 /proc/loadavg)
			t0=$(date +%s%N)
			/usr/bin/time -f "%U %S" -o "$out/cold.cpu" sh -c "$cmd" >/dev/null 2>&1 || true
			t1=$(date +%s%N)
			cpu=$(awk '{printf "%.0f", ($1 + $2) * 1000}' "$out/cold.cpu")
			echo "#   round $r $label: $(( (t1 - t0) / 1000000 )) ms, cpu $cpu ms, load $load"
			echo "$label	$(( (t1 - t0) / 1000000 ))	$cpu" >>"$out/cold.txt"
		done
	done
	for label in "mamori fim init" "aide --init" "sha256sum"; do
		awk -F'\t' -v l="$label" '$1 == l { w[++n] = $2; c[n] = $3 }
			function med(a, n,   i, j, t) {
				for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
					if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
				return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
			END { printf "# cold median %s: %d ms wall, %d ms cpu\n", l, med(w, n), med(c, n) }' "$out/cold.txt"
	done
fi
idle=${IDLE_SECONDS:-60}
"$build/mamori" --db "$out/fim.db" fim watch "$tree" --json --respond none --no-canaries \
	>"$out/watch.out" 2>"$out/watch.err" &
wpid=$!
i=0
while ! grep -q watching "$out/watch.err" 2>/dev/null && [ $i -lt 600 ]; do i=$((i + 1)); sleep 0.1; done
ticks() { awk '{print $14 + $15}' "/proc/$wpid/stat"; }
c0=$(ticks); t0=$(date +%s%N)
sleep "$idle"
c1=$(ticks); t1=$(date +%s%N)
rss=$(awk '/^VmRSS/ {print $2}' "/proc/$wpid/status")
hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$wpid/status")
kill -TERM "$wpid"; wait "$wpid" 2>/dev/null || true
hz=$(getconf CLK_TCK)
echo "# idle fim watch $tree for ${idle} s: CPU $(echo "scale=3; ($c1 - $c0) * 100 / $hz / (($t1 - $t0) / 1000000000)" | bc)%," \
	"RSS $((rss / 1024)) MB (peak $((hwm / 1024)) MB); $(tail -1 "$out/watch.err")"
echo "# warm cache:"
exec python3 "$src/bench/measure.py" --runs "$runs" \
	"mamori fim init=$mamori" \
	"aide --init (sha256 only)=$aide" \
	"find | xargs sha256sum=$out/sha256sum.sh"
