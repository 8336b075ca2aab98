#!/bin/sh
# dashboard.sh BUILD_DIR [EVENTS] [RUNS] [ONLY] - the dashboard's requests on a large
# database: a real `mamori scan` of this machine grown by gen_dashboard_db.py to
# 100 computers x 10 scans, 200 CVEs per computer, 200,000 alerts and EVENTS
# intake events (default 10,000,000), served by BUILD_DIR's mamori (build it
# with --buildtype=release). Prints p50/p95/max per API call and per page (its
# calls at once) and each page's p95 against GET /api/health. Target: every
# page under 100 ms at the 95th percentile. ONLY (e.g. /api/vulns) times just the
# API calls that start with it.
set -eu
build=${1:?usage: dashboard.sh BUILD_DIR [EVENTS] [RUNS]}
events=${2:-10000000}
runs=${3:-100}
here=$(cd "$(dirname "$0")" && pwd)
mamori="$build/mamori"
out="$here/out/dashboard"
mkdir -p "$out"
db="$out/m.db"
if [ ! -s "$db" ] || [ "$(cat "$out/events" 2>/dev/null)" != "$events" ]; then
	rm -f "$db" "$db-wal" "$db-shm"
	"$mamori" --db "$db" scan >/dev/null
	/usr/bin/time -f 'generated in %e s' python3 "$here/gen_dashboard_db.py" "$db" "$events"
	echo "$events" >"$out/events"
fi
ls -la "$db" | awk '{printf "database: %.1f GB\n", $5 / 1e9}'
printf 'bench-password-1\n' | "$mamori" --db "$db" user add bench --role admin 2>/dev/null || true
"$mamori" --db "$db" serve --listen 127.0.0.1:0 2>"$out/serve.err" &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
port=
for _ in $(seq 1 100); do
	port=$(sed -n 's|.*listening on https://127.0.0.1:\([0-9]*\)/.*|\1|p' "$out/serve.err")
	[ -n "$port" ] && break
	sleep 0.1
done
[ -n "$port" ] || { cat "$out/serve.err"; exit 1; }
MAMORI_PID=$pid python3 "$here/dashboard_client.py" "https://127.0.0.1:$port" bench bench-password-1 "$runs" "${4:-}"
kill -TERM $pid; wait $pid 2>/dev/null || true
trap - EXIT
