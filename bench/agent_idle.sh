#!/bin/sh
# agent_idle.sh [FOLDER [SECONDS [LOGS]]] - what the enrolled agent costs while it
# only watches: a manager on 127.0.0.1 and an agent enrolled with it, with
# its file watch on FOLDER (default /home) and its log watch on LOGS (default
# auto: this system's logs; or FILE[,FILE]), no scans. After the watches are
# ready, CPU of the agent and its two watch processes over SECONDS (default
# 60) and each one's resident memory. Issue 5's target for idle watching:
# under 1% CPU and 15 MB.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
folder=${1:-/home}
idle=${2:-60}
logs=${3:-auto}
build="$src/build-bench"
[ -f "$build/build.ninja" ] || meson setup "$build" "$src" --buildtype=release >/dev/null
ninja -C "$build" mamori >/dev/null
M="$build/mamori"
tmp=$(mktemp -d)
spid= apid=
trap 'for p in $apid $spid; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$tmp"' EXIT
printf 'agent:\n  scan_interval_seconds: 0\n' >"$tmp/c.yaml"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$M" --config "$tmp/c.yaml" --db "$tmp/m.db" serve --listen "127.0.0.1:$port" 2>"$tmp/serve.err" &
spid=$!
i=0
while ! grep -q 'listening on' "$tmp/serve.err" && [ $i -lt 300 ]; do i=$((i + 1)); sleep 0.1; done
tok=$("$M" --config "$tmp/c.yaml" --db "$tmp/m.db" token create 2>/dev/null)
"$M" --config "$tmp/c.yaml" agent --state "$tmp/a" --enrol "https://127.0.0.1:$port" "$tok" >/dev/null 2>&1
"$M" --config "$tmp/c.yaml" agent --state "$tmp/a" --fim "$folder" --logs "$logs" 2>"$tmp/agent.err" &
apid=$!
i=0
while ! grep -q '^mamori fim watch: watching' "$tmp/agent.err" && [ $i -lt 600 ]; do i=$((i + 1)); sleep 0.1; done
sleep 2
pids="$apid $(ps -o pid= --ppid "$apid" | tr -d ' ' | tr '\n' ' ')"
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
for p in $pids; do eval "c0_$p=$(ticks "$p")"; done
t0=$(date +%s%N)
sleep "$idle"
t1=$(date +%s%N)
hz=$(getconf CLK_TCK)
pct() { echo "scale=3; $1 * 100 / $hz / (($t1 - $t0) / 1000000000)" | bc; }
watched=$(grep -o 'watching [0-9]* log source[s]*' "$tmp/agent.err" || echo 'no log watch (no readable system log)')
echo "# agent idle-watching $folder ($watched) for ${idle} s:"
total=0 cpu=0
for p in $pids; do
	eval "d=\$(( $(ticks "$p") - c0_$p ))"
	rss=$(awk '/^VmRSS/ {print $2}' "/proc/$p/status")
	# PSS: the pages of the one binary and its libraries the three share count once in the sum
	pss=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup")
	total=$((total + rss)) cpu=$((cpu + d)) ptotal=$((${ptotal:-0} + pss))
	echo "#   $(tr '\0' ' ' <"/proc/$p/cmdline" | cut -c1-100): CPU $(pct "$d")%, RSS $((rss / 1024)) MB, PSS $((pss / 1024)) MB"
done
echo "# together: CPU $(pct "$cpu")% of one core, RSS $((total / 1024)) MB, PSS $((ptotal / 1024)) MB"
