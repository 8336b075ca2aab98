#!/bin/sh
# logs_journal.sh - mamori logs follow --journal-dir on real journal files
# written by systemd-journal-remote (from journal export format), while
# mamori runs and while it is stopped: every entry exactly once, the
# cursor kept in the database. The running system's journal (--journal)
# is tested only where journald runs; CI containers have none, so that
# part is a TAP skip there.
set -u
. "$(dirname "$0")/logs_live.inc"
remote=/lib/systemd/systemd-journal-remote
[ -x "$remote" ] || remote=/usr/lib/systemd/systemd-journal-remote
if [ ! -x "$remote" ]; then
	echo "1..0 # SKIP systemd-journal-remote is not installed (tools/deps.sh test)"
	exit 0
fi
mkdir -p "$tmp/j"
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

entries 1 40
start follow --journal-dir "$tmp/j"
t "journal files: 40 entries read" wait_seen 40
entries 41 60
t "entries written while running arrive (60)" wait_seen 60
t "SIGTERM: exit 0" stop
entries 61 80
start follow --journal-dir "$tmp/j"
t "restart: only the 20 new entries (80)" wait_seen 80
t "stop" stop
t "resumed after the saved cursor" grep -q "20 entries after the saved cursor" "$tmp/err.$run"
t "80 entries, each exactly once" exactly_once 80
t "journal lines are syslog-shaped (host, RFC 3339 time)" grep -q '"host.name":"srv"' "$tmp/out.1"

# Odd entries: a message with a newline, a 100 KB message.
entries 81 81 odd
start follow --journal-dir "$tmp/j"
t "entry after odd ones read" wait_seen 81
t "stop" stop
t "the 100 KB message is cut and counted" grep -q "0 without message, 1 cut" "$tmp/err.$run"
t "a multi-line message is one line" grep -q '"user.name":"multi line"' "$tmp/out.$run"

"$MAMORI" --db "$db" logs follow --journal-dir "$tmp/nope" --duration 1 >/dev/null 2>"$tmp/bad.err"; rc=$?
t "journal directory that does not exist: exit 66 or nothing read" sh -c "[ $rc -eq 66 ] || grep -q 'journal: 0 entries' '$tmp/bad.err'"

# The running system's journal, only where journald runs.
if [ -S /run/systemd/journal/socket ] && command -v logger >/dev/null; then
	start follow --journal --from-end
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
