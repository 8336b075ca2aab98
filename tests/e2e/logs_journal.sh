#!/bin/sh
# logs_journal.sh - mamori logs follow --journal-dir on real journal files
# written by systemd-journal-remote (from journal export format), while
# mamori runs and while it is stopped: every entry exactly once, the
# cursor kept in the database. The running system's journal (--journal)
# is tested only where journald runs; CI containers have none, so that
# part is a TAP skip there.
set -u
: "${MAMORI:?}"
tmp=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
n=0 fail=0
t() { # description, then a command that must succeed
	n=$((n + 1)); d=$1; shift
	if "$@"; then echo "ok $n - $d"; else echo "not ok $n - $d"; fail=$((fail + 1)); fi
}
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
remote=/lib/systemd/systemd-journal-remote
[ -x "$remote" ] || remote=/usr/lib/systemd/systemd-journal-remote
if [ ! -x "$remote" ]; then
	echo "1..0 # SKIP systemd-journal-remote is not installed (tools/deps.sh test)"
	exit 0
fi
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
mkdir -p "$tmp/rules" "$tmp/j"
cat >"$tmp/rules/each.yml" <<'YML'
title: Each SSH failure
id: 5f0e1c8a-0000-4000-8000-0000000000f2
logsource:
  product: linux
  service: sshd
detection:
  selection:
    event.outcome: failure
    service.type: ssh
  condition: selection
level: low
YML
db="$tmp/m.db"
run=0
entries() { # from to [extra]: journal entries (sshd failures for u<from>..u<to>) into the journal files
	python3 - "$1" "$2" "${3:-}" >"$tmp/e.export" <<'PY'
import struct, sys, time
a, b, extra = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
out = sys.stdout.buffer
now = int(time.time() * 1e6)
def field(k, v):
    v = v.encode()
    if b"\n" in v:   # binary-safe form of the export format
        out.write(k.encode() + b"\n" + struct.pack("<Q", len(v)) + v + b"\n")
    else:
        out.write(k.encode() + b"=" + v + b"\n")
def entry(i, msg):
    field("__REALTIME_TIMESTAMP", str(now + i))
    field("__MONOTONIC_TIMESTAMP", str(i))
    field("_BOOT_ID", "0123456789abcdef0123456789abcdef")
    field("_HOSTNAME", "srv")
    field("SYSLOG_IDENTIFIER", "sshd")
    field("_PID", "10")
    field("MESSAGE", msg)
    out.write(b"\n")
for i in range(a, b + 1):
    entry(i, "Failed password for u%d from 203.0.113.%d port 1 ssh2" % (i, i % 250 + 1))
if extra == "odd":
    entry(b + 1, "Failed password for multi\nline from 203.0.113.7 port 1 ssh2")
    entry(b + 2, "x" * 100000)
PY
	"$remote" --output="$tmp/j/remote.journal" --split-mode=none "$tmp/e.export" 2>>"$tmp/remote.err"
}
start() {
	run=$((run + 1))
	"$MAMORI" --db "$db" logs follow --json --tick 200 --rules "$tmp/rules" "$@" \
	    >"$tmp/out.$run" 2>"$tmp/err.$run" &
	pid=$!
}
stop() {
	kill -TERM "$pid"; wait "$pid"; rc=$?; pid=""
	[ $rc -eq 0 ]
}
seen() { cat "$tmp"/out.* 2>/dev/null | grep -c '"rule.name":"Each SSH failure"'; }
wait_seen() { # count: waits (at most 60 s) until that many alerts arrived
	k=0
	while [ "$(seen)" -lt "$1" ] && [ $k -lt 300 ]; do sleep 0.2; k=$((k + 1)); done
	[ "$(seen)" -ge "$1" ]
}
exactly_once() { # n: users u1..un alerted on exactly once each
	cat "$tmp"/out.* | python3 -c '
import collections, json, sys
n = int(sys.argv[1])
c = collections.Counter(json.loads(l).get("user.name") for l in sys.stdin
                        if "\"Each SSH failure\"" in l)
want = collections.Counter("u%d" % i for i in range(1, n + 1))
if c != want:
    print("# missing:", sorted(want - c)[:10], "twice or unknown:", sorted(c - want)[:10])
    sys.exit(1)
' "$1"
}

entries 1 40
start --journal-dir "$tmp/j"
t "journal files: 40 entries read" wait_seen 40
entries 41 60
t "entries written while running arrive (60)" wait_seen 60
t "SIGTERM: exit 0" stop
entries 61 80
start --journal-dir "$tmp/j"
t "restart: only the 20 new entries (80)" wait_seen 80
t "stop" stop
t "resumed after the saved cursor" grep -q "20 entries after the saved cursor" "$tmp/err.$run"
t "80 entries, each exactly once" exactly_once 80
t "journal lines are syslog-shaped (host, RFC 3339 time)" grep -q '"host.name":"srv"' "$tmp/out.1"

# Odd entries: a message with a newline, a 100 KB message.
entries 81 81 odd
start --journal-dir "$tmp/j"
t "entry after odd ones read" wait_seen 81
t "stop" stop
t "the 100 KB message is cut and counted" grep -q "0 without message, 1 cut" "$tmp/err.$run"
t "a multi-line message is one line" grep -q '"user.name":"multi line"' "$tmp/out.$run"

"$MAMORI" --db "$db" logs follow --journal-dir "$tmp/nope" --duration 1 >/dev/null 2>"$tmp/bad.err"; rc=$?
t "journal directory that does not exist: exit 66 or nothing read" sh -c "[ $rc -eq 66 ] || grep -q 'journal: 0 entries' '$tmp/bad.err'"

# The running system's journal, only where journald runs.
if [ -S /run/systemd/journal/socket ] && command -v logger >/dev/null; then
	start --journal --from-end
	sleep 1
	tag="mamori-e2e-$$"
	logger -t sshd "Failed password for $tag from 203.0.113.99 port 1 ssh2"
	k=0; while ! grep -q "$tag" "$tmp/out.$run" && [ $k -lt 100 ]; do sleep 0.2; k=$((k + 1)); done
	t "system journal: a logger line reaches the detections" grep -q "$tag" "$tmp/out.$run"
	stop
else
	skip "system journal: no journald here (/run/systemd/journal/socket missing, as in CI containers); covered by the journal files above"
fi

echo "1..$n"
[ $fail -eq 0 ]
