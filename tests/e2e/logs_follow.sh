#!/bin/sh
# logs_follow.sh - mamori logs follow on a file that is written, rotated by
# rename, rotated by copytruncate, rotated while mamori is stopped, and
# followed across restarts (inotify and polling): every line must reach the
# detections exactly once. Each line is an SSH failure for a unique user
# name; a Sigma rule alerts on every SSH failure, so the alerts' user
# names tell which lines were read and how often. Then the correlation
# windows across restarts: a brute force split by a restart (clean, or
# kill -9 after a checkpoint) raises exactly one alert. Then alerts and
# read positions committed together.
set -u
. "$(dirname "$0")/logs_live.inc"
mkdir -p "$tmp/log"
log="$tmp/log/app.log"
lines() { # from to [file]: SSH failures for users u<from>..u<to>
	i=$1
	while [ "$i" -le "$2" ]; do
		echo "Mar  1 10:00:01 srv sshd[10]: Failed password for u$i from 203.0.113.$((i % 250 + 1)) port 1 ssh2"
		i=$((i + 1))
	done >>"${3:-$log}"
}

# The file does not exist yet: it is picked up when it appears.
start follow "$log"
lines 1 100
t "file that appears later is read (100 lines)" wait_seen 100
# logrotate's default: rename, the writer goes on briefly in the old file, new file.
mv "$log" "$log.1"
lines 101 110 "$log.1"
lines 111 200
t "rename rotation: old file's last lines and the new file read" wait_seen 200
# copytruncate: copy, then truncate in place and go on writing.
cp "$log" "$log.2"
: >"$log"
lines 201 230
t "copytruncate: lines after the truncation read" wait_seen 230
t "SIGTERM: clean exit 0" stop
t "stats count one rotation and one truncation" grep -q "1 rotations, 1 truncations" "$tmp/err.$run"
t "230 lines, each exactly once" exactly_once 230
"$MAMORI" --db "$db" alerts list --all --json >"$tmp/stored.json" 2>/dev/null
t "alerts stored in the database (230 Sigma alerts)" [ "$(grep -c '"rule.name":"Each SSH failure"' "$tmp/stored.json")" -eq 230 ]

# Stopped: more lines, a partial last line, then a rotation.
lines 231 260
printf 'Mar  1 10:00:01 srv sshd[10]: Failed password for u26' >>"$log"
start follow "$log"
t "restart reads only the new lines (260)" wait_seen 260
t "restart: resumed at the saved position" stop
t "resumed is counted" grep -q " 1 resumed" "$tmp/err.$run"
t "a partial last line is not read before its newline" exactly_once 260
printf '1 from 203.0.113.9 port 1 ssh2\n' >>"$log"
lines 262 280
mv "$log" "$log.3"
lines 281 300
start follow "$log"
t "rotated while stopped: rest of the old file, then the new one (300)" wait_seen 300
t "stop" stop
t "the old file was found by its inode" grep -q "rotated while mamori was stopped; reading the rest" "$tmp/err.$run"
t "300 lines each once, the partial line whole (u261)" exactly_once 300

# Polling instead of inotify.
lines 301 320
start follow --poll "$log"
lines 321 340
t "--poll: lines before and during the run (340)" wait_seen 340
t "polling is announced" grep -q "(polling)" "$tmp/err.$run"
t "stop" stop
t "340 lines each once" exactly_once 340

# Rotated while stopped and the old file deleted: the loss is reported, not hidden.
lines 341 350
mv "$log" "$log.4"
lines 351 360
rm "$log.4"
start follow "$log"
t "new file read after a lost rotation (350 alerts)" wait_seen 350
t "stop" stop
t "the lost rest is reported" grep -q "old file is gone" "$tmp/err.$run"

# Rewritten in place while stopped (shorter than the saved position): read from the start.
: >"$log"
lines 361 365
start follow "$log"
t "rewritten while stopped: read again from its start (355 alerts)" wait_seen 355
t "stop" stop
t "the rewrite is reported" grep -q "rewritten while mamori was stopped" "$tmp/err.$run"

# The position belongs to the file, not to how it is named: a relative path resumes too.
(cd "$tmp/log" && "$MAMORI" --db "$db" logs follow --duration 1 app.log >/dev/null 2>"$tmp/rel.err")
t "relative path: resumed, nothing read again" grep -q "follow: 0 lines, .* 1 resumed" "$tmp/rel.err"

# The correlation windows survive restarts: a brute force split by a
# restart is one alert, counted whole (users b1..b5: the alert names the
# 5th failure as the last, so nothing was counted twice or lost).
bf="$tmp/log/bf.log"
bfl() { # ip n...: SSH failures for users b<n> from ip, at 10:01:0<n>
	ip=$1; shift
	for i; do echo "Mar  1 10:01:0$i srv sshd[20]: Failed password for b$i from $ip port 1 ssh2"; done >>"$bf"
}
F() { "$MAMORI" --db "$db" logs follow --json --tick 200 --duration 1 "$@" "$bf"; }
bfs() { grep -c '"rule.id":"mamori.bruteforce.ssh"' "$@"; }
bfl 198.51.100.7 1 2 3
F >"$tmp/bf1.json" 2>"$tmp/bf1.err"
t "3 SSH failures, then a clean stop: no brute force yet" [ "$(bfs "$tmp/bf1.json")" -eq 0 ]
bfl 198.51.100.7 4 5
F >"$tmp/bf2.json" 2>"$tmp/bf2.err"
t "restarted, 2 more: exactly one brute-force alert" [ "$(bfs "$tmp/bf2.json")" -eq 1 ]
t "it counts 5 failures, the 5th (b5) last" grep -q '5 failed ssh logins from 198.51.100.7 within 10 minutes (last user: b5)' "$tmp/bf2.json"
t "the restored windows are reported" grep -q "open correlation windows restored" "$tmp/bf2.err"
bfl 198.51.100.7 6 7
F >"$tmp/bf3.json" 2>"$tmp/bf3.err"
t "restarted again within 10 minutes: the alert's suppression was kept too" [ "$(bfs "$tmp/bf3.json")" -eq 0 ]
# kill -9: the windows of the last checkpoint (--state-every, written with
# the read positions) come back; what was read is not read again.
q() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$db" "$1"; }
bfl 198.51.100.9 1 2 3
# one brute-force window per address: wait for .9's to be checkpointed (the
# database also holds the windows of the other file followed above)
w0=$(q "SELECT count(*) FROM log_windows WHERE tbl = 0")
"$MAMORI" --db "$db" logs follow --json --tick 200 --state-every 1 "$bf" >"$tmp/bf4.json" 2>"$tmp/bf4.err" &
pid=$!
k=0
while [ "$(q "SELECT count(*) FROM log_windows WHERE tbl = 0")" -le "$w0" ] && [ $k -lt 300 ]; do
	sleep 0.2; k=$((k + 1))
done
kill -KILL "$pid"; wait "$pid" 2>/dev/null; pid=""
t "killed -9 after a checkpoint of the 3 failures from .9" [ $k -lt 300 ]
bfl 198.51.100.9 4 5
F >"$tmp/bf5.json" 2>"$tmp/bf5.err"
t "after kill -9 and 2 more: exactly one alert, for .9" [ "$(bfs "$tmp/bf5.json")" -eq 1 ] && grep -q '"source.ip":"198.51.100.9"' "$tmp/bf5.json"
t "it counts 5 failures, b5 last: nothing read twice" grep -q '5 failed ssh logins from 198.51.100.9 within 10 minutes (last user: b5)' "$tmp/bf5.json"
"$MAMORI" --db "$db" logs follow --state-every x "$bf" >/dev/null 2>&1; rc=$?
t "bad --state-every: usage error 2" [ $rc -eq 2 ]

# Alerts and the read position commit together: read in one transaction
# while 3,000 alerting lines arrive in 30 writes, the stored alerts never
# run ahead of the lines the saved position covers (a crash would then
# read those lines again and store their alerts twice).
tx="$tmp/log/tx.log"
: >"$tx"
"$MAMORI" --db "$tmp/tx.db" logs follow --json --tick 200 --rules "$tmp/rules" "$tx" \
    >"$tmp/tx.json" 2>"$tmp/tx.err" &
pid=$!
k=0
while ! grep -q following "$tmp/tx.err" && [ $k -lt 300 ]; do sleep 0.1; k=$((k + 1)); done
python3 - "$tmp/tx.db" "$tx" >"$tmp/tx.out" <<'PY'
import sqlite3, sys, time
db, path = sys.argv[1], sys.argv[2]
line = lambda i: b"Mar  1 10:00:01 srv sshd[10]: Failed password for t%05d from 203.0.113.9 port 1 ssh2\n" % i
size = len(line(0))
ahead = samples = 0
alerts = lines = 0
def sample():
    global ahead, samples, alerts, lines
    try:
        con = sqlite3.connect("file:%s?mode=ro" % db, uri=True, isolation_level=None)
        con.execute("BEGIN")
        alerts = con.execute("SELECT count(*) FROM alerts WHERE rule_id = "
                             "'5f0e1c8a-0000-4000-8000-0000000000f1'").fetchone()[0]
        row = con.execute("SELECT offset FROM log_positions WHERE input LIKE '%/tx.log'").fetchone()
        con.execute("COMMIT")
        con.close()
    except sqlite3.OperationalError:
        return
    lines = (row[0] if row else 0) // size
    samples += 1
    ahead += alerts > lines
with open(path, "ab") as f:
    for w in range(30):
        f.write(b"".join(line(w * 100 + i) for i in range(100)))
        f.flush()
        for _ in range(5):
            sample()
            time.sleep(0.01)
deadline = time.time() + 60
while (alerts < 3000 or lines < 3000) and time.time() < deadline:
    sample()
    time.sleep(0.005)
print(samples, ahead, alerts, lines)
PY
kill -TERM "$pid"; wait "$pid"; pid=""
read -r samples ahead alerts covered <"$tmp/tx.out"
t "all 3,000 alerts stored and the position past all 3,000 lines" [ "$alerts" -eq 3000 ] && [ "$covered" -eq 3000 ]
t "in $samples reads, the alerts never ran ahead of the saved position ($ahead did)" [ "$ahead" -eq 0 ] && [ "$samples" -ge 100 ]

# Bad input: a directory, a usage error.
"$MAMORI" --db "$db" logs follow >/dev/null 2>"$tmp/u.err"; rc=$?
t "follow without a file: usage error 2" [ $rc -eq 2 ]
"$MAMORI" --db "$db" logs follow --tick x "$log" >/dev/null 2>&1; rc=$?
t "bad --tick: usage error 2" [ $rc -eq 2 ]

echo "1..$n"
[ $fail -eq 0 ]
