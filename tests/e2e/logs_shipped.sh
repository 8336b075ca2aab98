#!/bin/sh
# logs_shipped.sh - the Sigma rules of rules/sigma are built into the binary
# and active in `mamori up`'s log watch with no rules folder and no setting.
# Real samples appended to the followed log: the Windows scheduled task of
# EVTX-ATTACK-SAMPLES (event 4698, in Winlogbeat's JSON form) is the shipped
# rule's alert, once, with its Japanese and English text; CrowdSec's Log4Shell
# requests and sshd brute force, which the shipped rules also describe, are
# the built-in alerts only, never a second one from Sigma. With
# logs.sigma_shipped: false the scheduled-task alert is absent and the
# built-in alerts are the same. `mamori logs` offline agrees.
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}"
. "$(dirname "$0")/tap.inc"
need python3
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
upid=
trap '[ -n "$upid" ] && kill "$upid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
# A wait ends as soon as its condition holds; its limit only bounds a failure.
D="$MAMORI_SRC/tests/data/logs"
SCHED=7c1e5a92-4d3b-4f08-b6a1-2e9d0c8f5b09	# rules/sigma/win_scheduled_task.yml
# The ids of the shipped rules that describe attacks a built-in detection catches.
COVERED="'3d0e7a44-91b2-4a5e-b8f1-6c2d0a9e4b03','8e2f5b61-0c7d-4f3a-a9d4-1b7e6c5f2d04',\
'c4a9e1d7-5b3f-4e28-9a6c-0d8f2b7e1a05','5f7b2c90-3e1a-4d6f-8b2e-9c0a4d7f3e06',\
'9a3d6e18-7f2c-4b05-a1e9-4c8b0f6d2a07','2b8e4f03-6a1c-4d97-b5e2-7f0c9a3d1e08'"
# The 4698 record of temp_scheduled_task_4698_4699.evtx: its id, channel,
# computer and time, as Winlogbeat forwards it to a file.
sched_line='{"@timestamp":"2019-03-19T00:02:04.319Z","winlog":{"event_id":4698,"channel":"Security","computer_name":"WIN-77LTAPHIQ1R.example.corp","provider_name":"Microsoft-Windows-Security-Auditing"}}'

# Offline first: the EVTX record itself and its JSON line are the same alert.
"$MAMORI" logs --json "$D/windows/temp_scheduled_task_4698_4699.evtx" >"$tmp/evtx.json" 2>"$tmp/evtx.err"
t "mamori logs with no --rules: the shipped scheduled-task rule fires on the real EVTX record" \
    [ "$(grep -c "\"rule.id\":\"$SCHED\"" "$tmp/evtx.json")" = 1 ]
t "and says the built-in set is on" grep -q 'Sigma rules loaded (built-in set on)' "$tmp/evtx.err"
echo "$sched_line" >"$tmp/sched.log"
t "its Winlogbeat line is the same alert" sh -c "'$MAMORI' logs --json '$tmp/sched.log' 2>/dev/null | grep -c '\"rule.id\":\"$SCHED\"' | grep -qx 1"
"$MAMORI" logs --json "$D/crowdsec/apache_log4j2_cve-2021-44228/apache_log4j2_cve-2021-44228.log" \
    "$D/crowdsec/ssh-bf/ssh-bf.log" "$D/windows/DE_1102_security_log_cleared.evtx" >"$tmp/dup.json" 2>"$tmp/dup.err"
t "offline, Log4Shell, brute force and a cleared log are built-in alerts only (no shipped-rule id)" \
    python3 -c 'import json,sys
ids=[json.loads(l)["rule.id"] for l in open(sys.argv[1])]
sys.exit(0 if ids and all(i.startswith("mamori.") for i in ids) and ids.count("mamori.web.log4shell") == 3 and "mamori.log.cleared" in ids else 1)' "$tmp/dup.json"
t "and the summary counts the Sigma hits left to them" grep -q 'alerts (0 Sigma; [1-9][0-9]* Sigma hits left to the built-in' "$tmp/dup.err"

# mamori up, once with the defaults and once with the built-in set off.
run_up() { # name, config text: starts up following $tmp/NAME.log into $tmp/NAME.db
	printf '%s\n' "$2" >"$tmp/$1.yaml"
	: >"$tmp/$1.log"
	"$MAMORI" --config "$tmp/$1.yaml" --db "$tmp/$1.db" up --listen 127.0.0.1:0 --scan-every 3600 \
	    --sensor off --fim off --reports off --logs "$tmp/$1.log" 2>"$tmp/$1.err" &
	upid=$!
}
sql() { # db query
	python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1], timeout=10).execute(sys.argv[2]).fetchone()[0])' "$1" "$2" 2>/dev/null
}
attack() { # name: the real lines, then a last brute force from 198.51.100.9 that ends them
	{
		cat "$D/crowdsec/apache_log4j2_cve-2021-44228/apache_log4j2_cve-2021-44228.log"
		cat "$D/crowdsec/ssh-bf/ssh-bf.log"
		echo "$sched_line"
		sed 's/35\.188\.49\.176/198.51.100.9/' "$D/crowdsec/ssh-bf/ssh-bf.log"
	} >>"$tmp/$1.log"
}
# The follower reads in file order and stores each round's alerts together:
# once the last brute force is stored, every earlier line has been matched.
last_stored() { [ "$(sql "$tmp/$1.db" "SELECT count(*) FROM alerts WHERE source_ip = '198.51.100.9' AND rule_id = 'mamori.auth.spray'")" = 1 ]; }
stop_up() {
	kill -TERM "$upid"; wait "$upid"; rc=$?; upid=
	[ $rc -eq 0 ]
}

run_up on "logs:
  timezone: '+00:00'"
t "up starts its log watch with the built-in Sigma set" wait_for 120 grep -q 'Sigma rules loaded (built-in set on)' "$tmp/on.err"
t "the log watch is at the file's end" wait_for 120 grep -q '^mamori logs: following 1 file' "$tmp/on.err"
attack on
t "the lines are matched and their alerts stored" wait_for 120 last_stored on
t "the shipped scheduled-task rule's alert is stored once" \
    [ "$(sql "$tmp/on.db" "SELECT count(*) || '/' || sum(count) FROM alerts WHERE rule_id = '$SCHED'")" = 1/1 ]
body=$(sql "$tmp/on.db" "SELECT body FROM alerts WHERE rule_id = '$SCHED'")
t "with its text in Japanese and English: what happened, how serious, what to do" python3 -c 'import json,sys
x=json.loads(sys.argv[1])["mamori.text"]
ok=all(x[l][k] for l in ("en","ja") for k in ("what","why","action"))
sys.exit(0 if ok and "タスク" in x["ja"]["what"] and "Task Scheduler" in x["en"]["action"] else 1)' "$body"
t "for the computer named in the event" [ "$(sql "$tmp/on.db" "SELECT host_name FROM alerts WHERE rule_id = '$SCHED'")" = WIN-77LTAPHIQ1R.example.corp ]
t "no alert of a shipped rule that a built-in detection covers" \
    [ "$(sql "$tmp/on.db" "SELECT count(*) FROM alerts WHERE rule_id IN ($COVERED)")" = 0 ]
t "each Log4Shell request is one built-in alert" \
    [ "$(sql "$tmp/on.db" "SELECT count(*) || '/' || sum(count) FROM alerts WHERE rule_id = 'mamori.web.log4shell'")" = 3/3 ]
t "each brute force is one built-in brute-force and one spraying alert" \
    [ "$(sql "$tmp/on.db" "SELECT group_concat(rule_id || ':' || count, ',') FROM (SELECT rule_id, count FROM alerts WHERE source_ip = '35.188.49.176' ORDER BY rule_id)")" = mamori.auth.spray:1,mamori.bruteforce.ssh:1 ]
t "nothing else: 8 alerts" [ "$(sql "$tmp/on.db" "SELECT sum(count) FROM alerts")" = 8 ]
t "up stops on SIGTERM (exit 0)" stop_up

run_up off "logs:
  timezone: '+00:00'
  sigma_shipped: false"
t "with logs.sigma_shipped: false up's log watch loads no Sigma rule" wait_for 120 grep -q '^mamori logs: following 1 file' "$tmp/off.err"
t "and says so" sh -c "! grep -q 'Sigma rules loaded' '$tmp/off.err'"
attack off
t "the lines are matched and their alerts stored" wait_for 120 last_stored off
t "the scheduled-task alert is absent" [ "$(sql "$tmp/off.db" "SELECT count(*) FROM alerts WHERE rule_id = '$SCHED'")" = 0 ]
t "the built-in alerts are the same 7" [ "$(sql "$tmp/off.db" "SELECT sum(count) FROM alerts")" = 7 ] && \
    [ "$(sql "$tmp/off.db" "SELECT count(*) FROM alerts WHERE rule_id LIKE 'mamori.%'")" = 7 ]
t "up stops on SIGTERM (exit 0)" stop_up

# An extra folder (logs.sigma_rules) adds to the built-in set; a missing one is an error.
mkdir "$tmp/own"
cp "$MAMORI_SRC/tests/data/sigma/linux/lnx_sshd_suspicious_errors.yml" "$tmp/own/"
printf 'logs:\n  sigma_rules: %s\n' "$tmp/own" >"$tmp/own.yaml"
"$MAMORI" --config "$tmp/own.yaml" logs --json "$D/fail2ban/sshd.log" "$tmp/sched.log" >"$tmp/own.json" 2>"$tmp/own.err"
t "logs.sigma_rules: its rules match besides the built-in ones" \
    [ "$(grep -c '"rule.name":"Suspicious SSH Daemon Errors"' "$tmp/own.json")" -ge 1 ] && \
    [ "$(grep -c "\"rule.id\":\"$SCHED\"" "$tmp/own.json")" = 1 ]
printf 'logs:\n  sigma_rules: %s\n' "$tmp/nowhere" >"$tmp/bad.yaml"
"$MAMORI" --config "$tmp/bad.yaml" logs "$tmp/sched.log" >/dev/null 2>"$tmp/bad.err"
t "a logs.sigma_rules folder that does not exist: exit 66, named" [ $? -eq 66 ] && grep -q "$tmp/nowhere" "$tmp/bad.err"

tap_end
