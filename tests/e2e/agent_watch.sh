#!/bin/sh
# agent_watch.sh - an enrolled remote agent watches its computer the way
# `mamori up` watches the manager's: the real manager on 127.0.0.1, a real
# agent in its run mode with the ransomware and file watch on a folder
# (--fim DIR) and the log watch on a file (--logs FILE). The ransomware
# simulator in the watched folder and the real sshd brute force of
# CrowdSec's ssh-bf test appended to the watched log become alerts in the
# manager for the agent's host, sent through the spool with sequence numbers.
# The file watch's response comes from the configuration (ransom.respond:
# kill, as root where fanotify names the process). Lines written while the
# agent is stopped are sent after its restart (the read position is kept in
# the agent's database), and nothing is read twice. The watches end with
# the agent, even when it is killed -9.
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}" "${MAMORI_BUILD:?}"
. "$(dirname "$0")/tap.inc"
spid= apid=
cleanup() {
	for p in $apid $spid; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
if ! command -v python3 >/dev/null; then echo "1..0 # SKIP python3 missing (tools/deps.sh test)"; exit 0; fi
respond=none
[ "$(id -u)" -eq 0 ] && respond=kill
cat >"$tmp/mamori.yaml" <<YAML
agent:
  scan_interval_seconds: 0
ransom:
  respond: $respond
YAML
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
M() { "$MAMORI" --config "$tmp/mamori.yaml" "$@"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
sql() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1], timeout=10); print(c.execute(sys.argv[2]).fetchone()[0])' "$1" "$2"; }
# A wait ends as soon as its condition holds; the limit only bounds a
# failure, so it is generous: under a load of 13 with the sanitizers an
# ASan child took over 10 s to exit.
wait_for() { # seconds (at least 60), command: polls every 0.2 s
	limit=$(($1 * 5)); shift
	[ "$limit" -ge 300 ] || limit=300
	i=0
	while [ $i -lt "$limit" ]; do "$@" && return 0; i=$((i + 1)); sleep 0.2; done
	return 1
}

db="$tmp/m.db"
port=$(free_port)
: >"$tmp/serve.log"
"$MAMORI" --config "$tmp/mamori.yaml" --db "$db" serve --listen "127.0.0.1:$port" 2>>"$tmp/serve.log" &
spid=$!
t "the manager starts" wait_for 30 grep -q 'listening on' "$tmp/serve.log"
tok=$(M --db "$db" token create --ttl 10m 2>/dev/null)
t "the agent enrols" [ "$(M agent --state "$tmp/a" --enrol "https://127.0.0.1:$port" "$tok" 2>/dev/null)" = 1 ]

M agent --state "$tmp/a" --fim docs >/dev/null 2>&1
t "a relative --fim folder is a usage error (2)" [ $? -eq 2 ]
M agent --state "$tmp/a" --logs /var/log/a,relative.log >/dev/null 2>&1
t "a relative --logs file in a list is a usage error (2)" [ $? -eq 2 ]

SIM="$MAMORI_BUILD/tests/ransom_sim"
"$SIM" gen "$tmp/docs" 300 >/dev/null 2>&1
: >"$tmp/auth.log"
start_agent() { # stderr file
	# Not through M(): $! must be the agent itself, for ps, kill and wait.
	"$MAMORI" --config "$tmp/mamori.yaml" --log-level info agent --state "$tmp/a" --fim "$tmp/docs" \
	    --logs "$tmp/auth.log" 2>"$1" &
	apid=$!
}
start_agent "$tmp/agent1.err"
t "the agent starts the file and ransomware watch on the folder" \
    wait_for 30 grep -q '^mamori agent: file and ransomware watch on 1 folder' "$tmp/agent1.err"
t "and the log watch on the file" grep -q '^mamori agent: watching 1 log source for break-ins' "$tmp/agent1.err"
t "the file watch is ready" wait_for 30 grep -q '^mamori fim watch: watching' "$tmp/agent1.err"
t "the log watch is ready" wait_for 30 grep -q '^mamori logs: following 1 file' "$tmp/agent1.err"
sleep 1	# the follower is at the (empty) file's end before the lines come

host=$(hostname)
alerts() { # rule -> count of the agent's alerts of that rule for this host in the manager
	sql "$db" "SELECT count(*) FROM alerts WHERE source = 'agent' AND host_name = '$host' AND rule_id = '$1'" 2>/dev/null
}
# CrowdSec's lines name their host sd-126005; on the agent's computer its auth.log names it.
bf="$MAMORI_SRC"/tests/data/logs/crowdsec/ssh-bf/ssh-bf.log
sed "s/ sd-126005 / $host /" "$bf" >>"$tmp/auth.log"
ssh_alert() { [ "$(alerts mamori.bruteforce.ssh)" -ge 1 ]; }
t "sshd brute force appended to the watched log is an alert in the manager for the agent's host" \
    wait_for 30 ssh_alert
t "from the attacking address" [ "$(sql "$db" "SELECT source_ip FROM alerts WHERE rule_id = 'mamori.bruteforce.ssh'")" = 35.188.49.176 ]

"$SIM" run "$tmp/docs" >/dev/null 2>&1
simrc=$?
fim_alert() { [ "$(sql "$db" "SELECT count(*) FROM alerts WHERE source = 'agent' AND host_name = '$host' AND rule_id = 'mamori.fim.ransomware' AND severity = 4" 2>/dev/null)" -ge 1 ]; }
t "the simulated ransomware in the watched folder is a critical alert in the manager" wait_for 30 fim_alert
body=$(sql "$db" "SELECT body FROM alerts WHERE rule_id = 'mamori.fim.ransomware'")
if [ "$respond" = kill ]; then
	t "the response came from ransom.respond: the simulator was killed (exit $simrc)" [ "$simrc" -ge 128 ]
	t "and the stored alert says the process was stopped" python3 -c 'import json,sys; sys.exit(0 if json.loads(sys.argv[1])["mamori.response"]["stopped"] else 1)' "$body"
else
	echo "# not root: fanotify (the writing process) is needed to kill; alerting only"
fi
t "the alert keeps its Japanese text for the owner" python3 -c 'import json,sys; sys.exit(0 if "電源" in json.loads(sys.argv[1])["mamori.text"]["ja"]["action"] else 1)' "$body"

# The path: spooled alert events with sequence numbers, acknowledged by the manager.
evs=$(sql "$db" "SELECT count(*) FROM events WHERE agent_id = 1 AND kind = 'alert'")
t "the alerts came as numbered alert events ($evs)" [ "$evs" -ge 2 ]
t "numbered 1..N without a hole" [ "$(sql "$db" "SELECT max(seq) - min(seq) + 1 = count(*) AND min(seq) = 1 FROM events WHERE agent_id = 1")" = 1 ]
acked_all() { [ "$(sql "$db" "SELECT acked_seq FROM agents WHERE id = 1")" = "$(sql "$db" "SELECT max(seq) FROM events WHERE agent_id = 1")" ]; }
# Both alerts the first attack raises (brute force, and spraying: seven
# user names) are in the manager before the agent stops, so none of them
# can be sent from the spool after the restart and look like a second read.
spray_alert() { [ "$(alerts mamori.auth.spray)" -ge 1 ]; }
t "the same lines are a password-spraying alert too" wait_for 30 spray_alert
t "and acknowledged" wait_for 10 acked_all
t "the agent's own database keeps the read position, not the alerts" \
    [ "$(sql "$tmp/a/agent.db" "SELECT count(*) FROM alerts")" = 0 ]

children=$(ps -o pid= --ppid "$apid" | tr -d ' ' | tr '\n' ' ')
t "the watches run as children of the agent ($children)" [ "$(echo $children | wc -w)" -eq 2 ]
pipe_size() { # pid: the size of the pipe on its standard output (F_GETPIPE_SZ)
	python3 -c 'import fcntl,os,sys; print(fcntl.fcntl(os.open("/proc/%s/fd/1" % sys.argv[1], os.O_WRONLY | os.O_NONBLOCK), 1032))' "$1"
}
big=0
for c in $children; do [ "$(pipe_size "$c")" -ge 1048576 ] && big=$((big + 1)); done
t "their pipes hold 1 MiB, so a busy agent (scanning) does not stall them" [ $big -eq 2 ]
kill -TERM "$apid"
wait "$apid"; rc=$?
apid=
t "SIGTERM stops the agent (exit 0)" [ $rc -eq 0 ]
left=""
for c in $children; do kill -0 "$c" 2>/dev/null && left="$left $c"; done
t "no watch is left running" [ -z "$left" ]

# Written while the agent is stopped: the same attack from another address
# (CrowdSec's lines with the address changed); sent after the restart.
before=$(sql "$db" "SELECT count(*) FROM events WHERE agent_id = 1")
sed -e 's/35\.188\.49\.176/198.51.100.23/' -e "s/ sd-126005 / $host /" "$bf" >>"$tmp/auth.log"
start_agent "$tmp/agent2.err"
ip_alerts() { # address rule -> its alerts from the agent
	sql "$db" "SELECT count(*) FROM alerts WHERE source = 'agent' AND source_ip = '$1' AND rule_id = '$2'" 2>/dev/null
}
second() { [ "$(ip_alerts 198.51.100.23 mamori.bruteforce.ssh)" -ge 1 ]; }
t "lines written while the agent was stopped are an alert after its restart" wait_for 30 second
# Not a sleep: a third attack appended now is read after everything before
# it, and the agent sends its alerts in order (sequence numbers), so once
# its alert is in the manager, anything read twice would be there too.
sed -e 's/35\.188\.49\.176/203.0.113.77/' -e "s/ sd-126005 / $host /" "$bf" >>"$tmp/auth.log"
third() { [ "$(ip_alerts 203.0.113.77 mamori.auth.spray)" -ge 1 ] && [ "$(ip_alerts 203.0.113.77 mamori.bruteforce.ssh)" -ge 1 ]; }
t "a later attack is an alert too" wait_for 30 third
t "the lines read before are not read again (one brute-force alert per address)" \
    [ "$(alerts mamori.bruteforce.ssh)" = 3 ] && [ "$(sql "$db" "SELECT count(*) FROM events WHERE agent_id = 1 AND kind = 'alert' AND body LIKE '%35.188.49.176%'")" = \
    "$(sql "$db" "SELECT count(*) FROM events WHERE agent_id = 1 AND kind = 'alert' AND seq <= $before AND body LIKE '%35.188.49.176%'")" ]
t "the shipped Sigma rules (on by default) add no second alert for these attacks" \
    [ "$(sql "$db" "SELECT count(*) FROM alerts WHERE rule_id NOT LIKE 'mamori.%'")" = 0 ]
children=$(ps -o pid= --ppid "$apid" | tr -d ' ' | tr '\n' ' ')
kill -KILL "$apid"; wait "$apid"; apid=
# A child that has exited but is not yet reaped by its new parent (a zombie)
# has ended too: kill -0 alone would still find it.
gone() {
	for c in $children; do
		[ -r "/proc/$c/stat" ] && [ "$(sed 's/^.*) //' "/proc/$c/stat" 2>/dev/null | cut -c1)" != Z ] && return 1
	done
	return 0
}
t "when the agent is killed -9 its watches end too ($children)" wait_for 10 gone
t "the manager's database is intact" [ "$(sql "$db" 'PRAGMA integrity_check')" = ok ]

tap_end
