#!/bin/sh
# logs_sigma_windows.sh - Sigma correlation rules across restarts of
# mamori logs follow. Three correlations over SSH failures and logins from
# one address: 5 failures (event_count), 4 different user names
# (value_count), a failure and then a login (temporal). Half of the events,
# a stop (SIGTERM; kill -9 after a checkpoint), a restart, the rest: each
# correlation alerts exactly once, counting the events of both runs. The
# same events in one run alert the same way; a restart without the saved
# windows (a fresh database) does not alert, so the windows are what
# carries the count. Closed windows and those of an edited rule are dropped.
set -u
: "${MAMORI:?}"
. "$(dirname "$0")/tap.inc"
need python3
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
mkdir -p "$tmp/rules" "$tmp/log"
# Only the rules below: the shipped set's windows would be saved too.
printf 'logs:\n  sigma_shipped: false\n' >"$tmp/mamori.yaml"
cat >"$tmp/rules/corr.yml" <<'YML'
title: SSH failure (test)
id: 7a1c0b52-0000-4000-8000-00000000aa01
name: t_ssh_failure
logsource:
  product: linux
  service: sshd
detection:
  selection:
    event.outcome: failure
    service.type: ssh
  condition: selection
level: low
---
title: SSH login (test)
id: 7a1c0b52-0000-4000-8000-00000000aa05
name: t_ssh_login
logsource:
  product: linux
  service: sshd
detection:
  selection:
    event.outcome: success
    service.type: ssh
  condition: selection
level: low
---
title: Five SSH failures from one address
id: 7a1c0b52-0000-4000-8000-00000000aa02
correlation:
  type: event_count
  rules:
    - t_ssh_failure
  group-by:
    - source.ip
  timespan: 10m
  condition:
    gte: 5
level: high
---
title: Four user names tried from one address
id: 7a1c0b52-0000-4000-8000-00000000aa03
correlation:
  type: value_count
  rules:
    - t_ssh_failure
  group-by:
    - source.ip
  timespan: 10m
  condition:
    field: user.name
    gte: 4
level: high
---
title: SSH failure and login from one address
id: 7a1c0b52-0000-4000-8000-00000000aa04
correlation:
  type: temporal
  rules:
    - t_ssh_failure
    - t_ssh_login
  group-by:
    - source.ip
  timespan: 10m
level: critical
YML
db="$tmp/m.db"
fail_lines() { # file minute ip n...: SSH failures for users u<n> at 10:<minute>:0<n>
	f=$1 m=$2 ip=$3; shift 3
	for i; do
		echo "Mar  1 10:$m:0$i srv sshd[20]: Failed password for u$i from $ip port 1 ssh2"
	done >>"$f"
}
login_line() { # file minute ip
	echo "Mar  1 10:$2:09 srv sshd[21]: Accepted password for u5 from $3 port 2 ssh2" >>"$1"
}
F() { # database file output: one run of about a second, stopped by SIGTERM at its end
	"$MAMORI" --config "$tmp/mamori.yaml" --db "$1" logs follow --json --rules "$tmp/rules" --tick 200 --duration 1 "$2" \
	    >"$3" 2>"$3.err"
}
count() { # rule-title-word file: alerts of that correlation
	grep -c "\"rule.name\":\"$1" "$2"
}
each_once() { # files...: each correlation alerted exactly once over them
	cat "$@" >"$tmp/all.json"
	[ "$(count Five "$tmp/all.json")" -eq 1 ] && [ "$(count Four "$tmp/all.json")" -eq 1 ] &&
	    [ "$(count 'SSH failure and login' "$tmp/all.json")" -eq 1 ]
}
q() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$db" "$1"; }

# Without a restart: all the events in one run.
one="$tmp/log/one.log"
fail_lines "$one" 01 198.51.100.1 1 2 3 4 5
login_line "$one" 01 198.51.100.1
F "$db" "$one" "$tmp/one.json"
t "one run: each correlation alerts exactly once" each_once "$tmp/one.json"
t "one run: the event count names 5 failures" grep -q "Five SSH failures from one address': 5\"" "$tmp/one.json"

# Split by a clean stop (SIGTERM at the end of --duration).
ts="$tmp/log/term.log"
fail_lines "$ts" 02 198.51.100.2 1 2 3
F "$db" "$ts" "$tmp/term1.json"
t "3 failures, then SIGTERM: no correlation yet" [ "$(grep -c '"rule.name":"\(Five\|Four\|SSH failure and\)' "$tmp/term1.json")" -eq 0 ]
t "the open Sigma windows are saved (3 groups)" [ "$(q "SELECT count(*) FROM sigma_windows WHERE last_ms % 3600000 = 123000")" -eq 3 ]
fail_lines "$ts" 02 198.51.100.2 4 5
login_line "$ts" 02 198.51.100.2
F "$db" "$ts" "$tmp/term2.json"
t "restarted, the rest: each correlation alerts exactly once" each_once "$tmp/term1.json" "$tmp/term2.json"
t "the event count covers both runs (5 failures)" grep -q "Five SSH failures from one address': 5\"" "$tmp/term2.json"
t "the value count covers both runs (4 user names)" grep -q "Four user names tried from one address': 4\"" "$tmp/term2.json"
t "the restart reports the restored windows" grep -q "3 open Sigma correlation windows restored" "$tmp/term2.json.err"
# The control: the second half alone, on a database without the saved windows.
fail_lines "$tmp/log/half.log" 02 198.51.100.2 4 5
F "$tmp/fresh.db" "$tmp/log/half.log" "$tmp/fresh.json"
t "control: without the saved windows the second half does not alert" [ "$(grep -c '"rule.name":"\(Five\|Four\)' "$tmp/fresh.json")" -eq 0 ]
F "$db" "$ts" "$tmp/term3.json"
t "a third run reads nothing again and alerts nothing" [ "$(grep -c '"rule.name"' "$tmp/term3.json")" -eq 0 ]

# kill -9 after a checkpoint (--state-every 1): the windows of that
# checkpoint come back, the lines before it are not read again.
kl="$tmp/log/kill.log"
fail_lines "$kl" 03 198.51.100.3 1 2 3
"$MAMORI" --config "$tmp/mamori.yaml" --db "$db" logs follow --json --rules "$tmp/rules" --tick 200 --state-every 1 "$kl" \
    >"$tmp/kill1.json" 2>"$tmp/kill1.err" &
pid=$!
# 10:03:03 is the newest event of all three groups: wait for their checkpoint
k=0
while [ "$(q "SELECT count(*) FROM sigma_windows WHERE last_ms % 3600000 = 183000")" -lt 3 ] && [ $k -lt 300 ]; do
	sleep 0.2; k=$((k + 1))
done
kill -KILL "$pid"; wait "$pid" 2>/dev/null; pid=""
t "killed -9 after a checkpoint of the 3 failures" [ $k -lt 300 ]
fail_lines "$kl" 03 198.51.100.3 4 5
login_line "$kl" 03 198.51.100.3
F "$db" "$kl" "$tmp/kill2.json"
t "after kill -9 and the rest: each correlation alerts exactly once" each_once "$tmp/kill1.json" "$tmp/kill2.json"
t "the event count covers both runs (5 failures, nothing read twice)" grep -q "Five SSH failures from one address': 5\"" "$tmp/kill2.json"

# A window that closed (the events' clock moved 20 minutes on) is not
# saved again, and late failures are not counted with the old ones.
ex="$tmp/log/expired.log"
fail_lines "$ex" 04 198.51.100.4 1 2 3
F "$db" "$ex" "$tmp/ex1.json"
t "3 failures at 10:04: their 3 windows saved" [ "$(q "SELECT count(*) FROM sigma_windows WHERE last_ms % 3600000 = 243000")" -eq 3 ]
echo "Mar  1 10:25:00 srv sshd[22]: Failed password for z from 192.0.2.99 port 1 ssh2" >>"$ex"
F "$db" "$ex" "$tmp/ex2.json"
t "restored, then closed by an event 20 minutes later: not saved again" [ "$(q "SELECT count(*) FROM sigma_windows WHERE last_ms % 3600000 = 243000")" -eq 0 ]
fail_lines "$ex" 25 198.51.100.4 4 5
F "$db" "$ex" "$tmp/ex3.json"
t "2 late failures: no alert (the closed window's 3 do not count)" [ "$(grep -c '"rule.name":"\(Five\|Four\)' "$tmp/ex3.json")" -eq 0 ]

# A rule edited between the runs (threshold 5 -> 6) does not take the old windows.
ed="$tmp/log/edited.log"
fail_lines "$ed" 05 198.51.100.5 1 2 3
F "$db" "$ed" "$tmp/ed1.json"
sed -i 's/gte: 5/gte: 6/' "$tmp/rules/corr.yml"
fail_lines "$ed" 05 198.51.100.5 4 5 6
F "$db" "$ed" "$tmp/ed2.json"
t "edited rule: its old windows are dropped" grep -q "closed or of changed rules dropped" "$tmp/ed2.json.err"
t "edited rule: counts only the new run's 3 failures (no alert at 6)" [ "$(count Five "$tmp/ed2.json")" -eq 0 ]

tap_end
