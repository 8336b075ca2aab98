#!/bin/sh
# intake.sh [RUNS] - the manager's agent intake over loopback, release build:
#   1. throughput: 100 simulated agents (one process, bench/intake_sim.c,
#      4 TLS keep-alive connections) send 2,000 numbered events each in
#      zstd batches of 500 as fast as the manager acknowledges; events/s
#      acknowledged (= durably committed), then zero loss and zero
#      duplicates checked in the database (per agent: count = max(seq) =
#      2,000). Median of RUNS (default 3), a fresh database each. Batches
#      of 1,000 are the agent's default (agent.batch_events). Also the
#      manager's CPU time: events per CPU second tells the cost apart from
#      a busy machine's waits.
#      Anchor: the same rows inserted by python3's sqlite3 straight into the
#      same schema (WAL, synchronous=FULL, 500 per transaction): the storage
#      ceiling without TLS, HTTP, zstd or JSON.
#   2. steady load: 100 agents x 20 events/s for 30 s (one batch per agent
#      per second); the manager's CPU (utime+stime over wall time) and peak
#      RSS (VmHWM).
# Targets (issue 6): >= 50,000 events/s stored with zero loss; 100 x 20/s
# within 1 vCPU and 512 MB.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-3}
build="$src/build-bench"
[ -f "$build/build.ninja" ] || meson setup "$build" "$src" --buildtype=release >/dev/null
ninja -C "$build" mamori intake_sim >/dev/null
out="$src/bench/out/intake"
rm -rf "$out"
mkdir -p "$out"
spid=
trap '[ -n "$spid" ] && kill "$spid" 2>/dev/null; true' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
serve() { # dir -> starts the manager, sets spid and url
	port=$(free_port)
	"$build/mamori" --db "$1/m.db" serve --listen "127.0.0.1:$port" 2>"$1/serve.log" &
	spid=$!
	for _ in $(seq 1 100); do grep -q 'listening on' "$1/serve.log" && break; sleep 0.1; done
	url="https://127.0.0.1:$port"
}
stop() { kill "$spid"; wait "$spid" 2>/dev/null || true; spid=; }
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

agents=100 per=2000 batch=1000
echo "# machine: $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# 1. throughput: $agents agents x $per events, batches of $batch, 4 connections, $runs runs"
for r in $(seq 1 "$runs"); do
	d="$out/run$r"
	mkdir -p "$d"
	serve "$d"
	c0=$(awk '{print $14 + $15}' "/proc/$spid/stat")
	res=$("$build/intake_sim" "$url" "$d/m.db" "$agents" "$per" "$batch" 4)
	c1=$(awk '{print $14 + $15}' "/proc/$spid/stat")
	stop
	cpu_s=$(python3 -c "print('%.2f' % (($c1 - $c0) / $(getconf CLK_TCK)))")
	check=$(sqlite3 "$d/m.db" "SELECT count(*) FROM (SELECT agent_id FROM events GROUP BY agent_id
	    HAVING count(*) = $per AND count(DISTINCT seq) = $per AND max(seq) = $per)")
	total=$(sqlite3 "$d/m.db" "SELECT count(*) FROM events")
	rate=$(field "$res" acked_per_s)
	echo "run $r: $rate events/s acknowledged; stored $total; agents complete and without duplicates: $check/$agents; batch mean $(field "$res" batch_ms_mean) ms, max $(field "$res" batch_ms_max) ms; manager CPU $cpu_s s = $(python3 -c "print('%.0f' % ($total / max($cpu_s, 0.01)))") events per CPU second; load $(cut -d' ' -f1 /proc/loadavg)"
	[ "$check" = "$agents" ] && [ "$total" = $((agents * per)) ] || echo "LOSS OR DUPLICATES in run $r"
	echo "$rate" >>"$out/rates"
done
mamori_rate=$(median <"$out/rates")

# The anchor: the same rows, straight into SQLite.
cp "$out/run1/m.db" "$out/anchor.db"
anchor_rate=$(python3 - "$out/anchor.db" "$agents" "$per" "$batch" <<'PY'
import sqlite3, sys, time
db, agents, per, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
c = sqlite3.connect(db, isolation_level=None)
c.execute("PRAGMA journal_mode=WAL"); c.execute("PRAGMA synchronous=FULL")
c.execute("DELETE FROM events")
ts = int(time.time())
rows = []
for a in range(1, agents + 1):
    for s in range(1, per + 1):
        body = ('{"seq":%d,"ts":%d,"kind":"event","data":{"n":%d,"message":"sshd[%d]: Failed password for invalid user admin from 203.0.113.%d port %d ssh2","host":"sim-%d"}}'
                % (s, ts, s, 1000 + s % 30000, s % 250, 40000 + s % 20000, a))
        rows.append((1, a, s, "event", ts, ts, body))
t0 = time.monotonic()
for i in range(0, len(rows), batch):
    c.execute("BEGIN IMMEDIATE")
    c.executemany("INSERT INTO events (tenant_id, agent_id, seq, kind, ts, received_at, body) VALUES (?,?,?,?,?,?,?) ON CONFLICT (agent_id, seq) DO NOTHING", rows[i:i + batch])
    c.execute("COMMIT")
print("%.0f" % (len(rows) / (time.monotonic() - t0)))
PY
)
echo "mamori intake: median $mamori_rate events/s stored (target >= 50000)"
echo "anchor (python3 sqlite3, same schema and commits, no network): $anchor_rate events/s"
echo "ratio mamori/anchor: $(python3 -c "print('%.2f' % ($mamori_rate / $anchor_rate))")"

echo "# 2. steady load: 100 agents x 20 events/s for 30 s"
d="$out/steady"
mkdir -p "$d"
serve "$d"
tck=$(getconf CLK_TCK)
cpu0=$(awk '{print $14 + $15}' "/proc/$spid/stat")
t0=$(date +%s.%N)
res=$("$build/intake_sim" "$url" "$d/m.db" 100 600 20 4 20)
t1=$(date +%s.%N)
cpu1=$(awk '{print $14 + $15}' "/proc/$spid/stat")
hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$spid/status")
stop
total=$(sqlite3 "$d/m.db" "SELECT count(*), count(DISTINCT agent_id || ':' || seq) FROM events")
echo "sent $(field "$res" acked_events) events in $(field "$res" seconds) s ($(field "$res" acked_per_s)/s), stored (rows|distinct): $total, errors $(field "$res" errors)"
echo "manager CPU: $(python3 -c "print('%.1f%% of one core' % (100.0 * ($cpu1 - $cpu0) / $tck / ($t1 - $t0)))"), peak RSS $((hwm / 1024)) MB; batch mean $(field "$res" batch_ms_mean) ms, max $(field "$res" batch_ms_max) ms"
