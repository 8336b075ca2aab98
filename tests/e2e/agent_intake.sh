#!/bin/sh
# agent_intake.sh - the agent channel end to end: the real manager on
# 127.0.0.1 and real agents. Enrolment (one-time, expiring tokens; TOFU
# certificate pin), forged and malformed batches, numbered events through
# kill -9 of the manager (nothing acknowledged lost, nothing stored twice),
# revocation, the admin API for tokens and agents, and a full disk on a
# small tmpfs (clear error, PRAGMA integrity_check = ok, drain after space
# returns).
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}"
. "$(dirname "$0")/tap.inc"
spid= apid= wpid= mnt=
cleanup() {
	for p in $apid $wpid $spid; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	[ -n "$mnt" ] && umount "$mnt" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
need curl python3 sqlite3 zstd
cat >"$tmp/mamori.yaml" <<'YAML'
agent:
  scan_interval_seconds: 0
  batch_events: 200
  watch_folders: off
  watch_logs: off
YAML
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
M() { "$MAMORI" --config "$tmp/mamori.yaml" "$@"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# serve DB PORT LOG: starts the manager, sets spid, waits for "listening".
serve() {
	: >"$3"
	"$MAMORI" --config "$tmp/mamori.yaml" --log-level info --db "$1" serve --listen "127.0.0.1:$2" 2>>"$3" &
	spid=$!
	for _ in $(seq 1 150); do
		grep -q 'listening on' "$3" && return 0
		sleep 0.1
	done
	return 1
}
acked() { # agent log -> the last acknowledged seq (0 if none)
	v=$(grep -o 'acknowledged up to seq [0-9]*' "$1" | tail -1 | grep -o '[0-9]*$')
	echo "${v:-0}"
}
q() { sqlite3 -cmd '.timeout 10000' "$1" "$2"; }	# the manager may be writing too
secret() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["secret"])' "$1/agent.json"; }

db="$tmp/m.db"
port=$(free_port)
t "manager starts" serve "$db" "$port" "$tmp/serve1.log"
base="https://127.0.0.1:$port"

# Enrolment.
tok=$(M --db "$db" token create --ttl 10m 2>/dev/null)
t "token create prints a 43-character token" [ ${#tok} -eq 43 ]
id=$(M agent --state "$tmp/a" --enrol "$base" "$tok" 2>"$tmp/enrol.err")
t "the agent enrols and prints its id" [ "$id" = 1 ] || { sed 's/^/# agent: /' "$tmp/enrol.err"; sed 's/^/# manager: /' "$tmp/serve1.log"; }
t "its credential file is private (0600)" [ "$(stat -c %a "$tmp/a/agent.json")" = 600 ]
fp=$(sed -n 's/.*certificate SHA-256 \([0-9A-F:]*\).*/\1/p' "$tmp/serve1.log" | head -1)
t "the pinned fingerprint is the one mamori serve printed" grep -q "\"$fp\"" "$tmp/a/agent.json"
M agent --state "$tmp/b" --enrol "$base" "$tok" 2>"$tmp/reuse.err"
t "the same token a second time is refused (77)" [ $? -eq 77 ]
t "with a clear reason" grep -q 'unknown, already used or expired' "$tmp/reuse.err"
tok2=$(M --db "$db" token create --ttl 10m 2>/dev/null)
q "$db" "UPDATE enrol_tokens SET expires_at = 1 WHERE used_at IS NULL"
M agent --state "$tmp/b" --enrol "$base" "$tok2" 2>/dev/null
t "an expired token is refused (77)" [ $? -eq 77 ]
t "the manager logged why" grep -q 'refused: token expired' "$tmp/serve1.log"
# An agent token: agent 2 sends an alert and a scan below, which a sensor
# credential's events are not taken as (agent_sensor.sh covers sensors).
tok3=$(M --db "$db" token create --kind agent 2>/dev/null)
t "a second agent enrols with --fingerprint" \
    sh -c "[ \"\$(\"$MAMORI\" agent --state '$tmp/b' --enrol '$base' '$tok3' --fingerprint '$fp' 2>'$tmp/enrol2.err')\" = 2 ]" ||
    sed 's/^/# agent: /' "$tmp/enrol2.err"
tok4=$(M --db "$db" token create 2>/dev/null)
M agent --state "$tmp/x" --enrol "$base" "$tok4" --fingerprint "AB:CD" 2>"$tmp/fp.err"
t "a --fingerprint that does not match refuses before sending the token (77)" [ $? -eq 77 ]
t "the token stays unused" [ "$(q "$db" "SELECT used_at IS NULL FROM enrol_tokens WHERE id = 4")" = 1 ]

# Forged and malformed batches.
# 60 s: the ASan manager decodes the zstd bomb up to its limit (0.7 s at
# load 14); four copies of this test beside stress-ng (load ~30) all got
# 000 instead of 413 at a 10 s limit.
C() { curl -sk --max-time 60 -o "$tmp/body" -w '%{http_code}' "$@"; }
s1=$(secret "$tmp/a")
batch() { # agent-in-header agent-in-body file
	printf '{"v":1,"agent":%s,"floor":1}\n{"seq":1,"ts":1,"kind":"event","data":{"n":0}}\n' "$2" | zstd -q -c >"$3"
}
batch 1 2 "$tmp/other.zst"
batch 1 1 "$tmp/own.zst"
t "intake without a credential: 401" [ "$(C -X POST --data-binary @"$tmp/own.zst" "$base/api/intake")" = 401 ]
t "agent 1's secret under agent 2's id (forged id): 401" [ "$(C -H 'X-Mamori-Agent: 2' -H "Authorization: Bearer $s1" \
    -H 'Content-Encoding: zstd' --data-binary @"$tmp/own.zst" "$base/api/intake")" = 401 ]
t "a batch naming another agent: 403" [ "$(C -H 'X-Mamori-Agent: 1' -H "Authorization: Bearer $s1" \
    -H 'Content-Encoding: zstd' --data-binary @"$tmp/other.zst" "$base/api/intake")" = 403 ]
t "an uncompressed batch: 415" [ "$(C -H 'X-Mamori-Agent: 1' -H "Authorization: Bearer $s1" \
    --data-binary '{"v":1}' "$base/api/intake")" = 415 ]
head -c 40000000 /dev/zero | zstd -q -19 -c >"$tmp/bomb.zst"
t "a zstd bomb ($(stat -c %s "$tmp/bomb.zst") bytes -> 40 MB): 413" [ "$(C -H 'X-Mamori-Agent: 1' -H "Authorization: Bearer $s1" \
    -H 'Content-Encoding: zstd' --data-binary @"$tmp/bomb.zst" "$base/api/intake")" = 413 ]
printf '{"v":1,"agent":1,"floor":1}\n{"seq":1,"ts":1,"kind":"shell","data":{}}\n' | zstd -q -c >"$tmp/badkind.zst"
t "an unknown event kind: 400" [ "$(C -H 'X-Mamori-Agent: 1' -H "Authorization: Bearer $s1" \
    -H 'Content-Encoding: zstd' --data-binary @"$tmp/badkind.zst" "$base/api/intake")" = 400 ]
t "enrol without a token: 400" [ "$(C -H 'Content-Type: application/json' -d '{}' "$base/api/enrol")" = 400 ]
t "nothing was stored by any of them" [ "$(q "$db" 'SELECT count(*) FROM events')" = 0 ]

# Numbered events; kill -9 of the manager in the middle of the stream.
total=3000
: >"$tmp/ev.ndjson"
python3 - "$tmp/ev.ndjson" "$total" <<'PY' &
import sys, time
with open(sys.argv[1], "a") as f:
    for i in range(1, int(sys.argv[2]) + 1):
        f.write('{"n":%d,"pad":"%s"}\n' % (i, "x" * 64))
        if i % 25 == 0:
            f.flush()
            time.sleep(0.02)
PY
wpid=$!
# Not through M(): $! must be the agent itself, for kill and wait.
"$MAMORI" --config "$tmp/mamori.yaml" --log-level info agent --state "$tmp/a" --events "$tmp/ev.ndjson" \
    --kind event 2>"$tmp/agent.log" &
apid=$!
for _ in $(seq 1 600); do [ "$(acked "$tmp/agent.log")" -ge 500 ] && break; sleep 0.05; done
kill -9 "$spid"
wait "$spid" 2>/dev/null
k=$(acked "$tmp/agent.log")
t "the manager was killed mid-stream (acknowledged $k of $total)" [ "$k" -ge 500 ] && [ "$k" -lt "$total" ]
t "after kill -9 the database holds every acknowledged event (1..$k)" \
    [ "$(q "$db" "SELECT count(*) FROM events WHERE agent_id = 1 AND seq <= $k")" = "$k" ]
t "PRAGMA integrity_check after kill -9" [ "$(q "$db" 'PRAGMA integrity_check')" = ok ]
sleep 1
t "the manager restarts on the same port" serve "$db" "$port" "$tmp/serve2.log"
wait "$wpid"
wpid=
for _ in $(seq 1 600); do [ "$(acked "$tmp/agent.log")" -ge "$total" ] && break; sleep 0.1; done
t "the agent drained its spool: acknowledged up to $total" [ "$(acked "$tmp/agent.log")" = "$total" ]
t "the agent said it kept events while the manager was down" grep -q 'events kept in the spool, retrying' "$tmp/agent.log"
t "seqs 1..$total stored exactly once" [ "$(q "$db" "SELECT count(*), count(DISTINCT seq), min(seq), max(seq) FROM events WHERE agent_id = 1")" = "$total|$total|1|$total" ]
t "every numbered event once (by its own number)" \
    [ "$(q "$db" "SELECT count(DISTINCT json_extract(body, '\$.data.n')), max(json_extract(body, '\$.data.n')) FROM events WHERE agent_id = 1")" = "$total|$total" ]
t "the manager knows the agent's acknowledged seq" [ "$(q "$db" 'SELECT acked_seq FROM agents WHERE id = 1')" = "$total" ]
kill -TERM "$apid"
wait "$apid"
t "the agent stops cleanly on SIGTERM" [ $? -eq 0 ]
apid=
t "its spool holds nothing unacknowledged" [ "$(cat "$tmp/a/spool/acked")" = "$total" ]

# Revocation from the command line.
M --db "$db" agent revoke 1 2>/dev/null
t "agent revoke" [ $? -eq 0 ]
echo '{"n":"after revoke"}' >>"$tmp/ev.ndjson"
M agent --state "$tmp/a" --events "$tmp/ev.ndjson" --kind event --once 2>"$tmp/revoked.err"
t "a revoked agent is refused (77)" [ $? -eq 77 ]
t "and told so" grep -q 'revoked' "$tmp/revoked.err"
t "its event stays in its spool" [ "$(q "$db" "SELECT count(*) FROM events WHERE agent_id = 1")" = "$total" ]

# The admin API: tokens and agents with a session and CSRF.
pw=$(sed -n 's/.*password: *\(.*\)$/\1/p' "$tmp/serve1.log" | head -1)
C -c "$tmp/jar" -H 'Content-Type: application/json' -d "{\"username\":\"admin\",\"password\":\"$pw\"}" "$base/api/login" >/dev/null
csrf=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf_token"])' "$tmp/body" 2>/dev/null)
t "admin logs in" [ -n "$csrf" ]
t "POST /api/tokens without the CSRF token: 403" [ "$(C -b "$tmp/jar" -X POST "$base/api/tokens")" = 403 ]
t "POST /api/tokens: 201" [ "$(C -b "$tmp/jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d '{"ttl_seconds":600}' "$base/api/tokens")" = 201 ]
tok5=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$tmp/body")
t "a dashboard token enrols an agent" sh -c "[ \"\$(\"$MAMORI\" agent --state '$tmp/c' --enrol '$base' '$tok5' 2>'$tmp/enrol3.err')\" = 3 ]" ||
    sed 's/^/# agent: /' "$tmp/enrol3.err"
t "GET /api/tokens lists them without the token text" sh -c "[ \"\$(curl -sk -b '$tmp/jar' '$base/api/tokens' | grep -c -e '$tok5')\" = 0 ]"
t "GET /api/agents: 200" [ "$(C -b "$tmp/jar" "$base/api/agents")" = 200 ]
t "agent 1 listed revoked with its acked seq" python3 -c "import json,sys; a={x['id']:x for x in json.load(open('$tmp/body'))}; sys.exit(0 if a[1]['revoked_at'] and a[1]['acked_seq']==$total and a[2]['kind']=='agent' else 1)"
t "DELETE /api/agents/3: 200" [ "$(C -b "$tmp/jar" -H "X-CSRF-Token: $csrf" -X DELETE "$base/api/agents/3")" = 200 ]
t "DELETE /api/agents/99: 404" [ "$(C -b "$tmp/jar" -H "X-CSRF-Token: $csrf" -X DELETE "$base/api/agents/99")" = 404 ]
t "GET /metrics: 200" [ "$(C -b "$tmp/jar" "$base/metrics")" = 200 ]
stored=$(sed -n 's/^mamori_intake_events_total{result="stored"} //p' "$tmp/body")
t "metrics count the events stored since the restart ($stored)" [ "${stored:-0}" -gt 0 ]
t "metrics count revoked agents" grep -q '^mamori_agents{state="revoked"} 2$' "$tmp/body"
t "metrics report the agents' spool depth" grep -q '^mamori_agent_spool_records ' "$tmp/body"

# Agent 2 sends an alert line (kept as an alert too) and a scan of this machine (kept as a scan).
printf '%s\n' '{"@timestamp":"2026-12-05T06:00:00Z","event.kind":"alert","severity":"high","rule.id":"e2e.agent","source.ip":"203.0.113.9","message":"from an agent"}' >"$tmp/alert.ndjson"
M agent --state "$tmp/b" --events "$tmp/alert.ndjson" --scan-now --once 2>"$tmp/b.err"
t "agent 2 sends an alert and a scan" [ $? -eq 0 ]
t "the alert is in the alerts table (source agent)" \
    [ "$(q "$db" "SELECT count(*) FROM alerts WHERE source = 'agent' AND rule_id = 'e2e.agent'")" = 1 ]
t "the scan is stored as a scan of host agent:2" [ "$(q "$db" "SELECT count(*) FROM scans s JOIN hosts h \
    ON h.id = s.host_id WHERE h.host_key = 'agent:2' AND s.report_json IS NOT NULL")" = 1 ]
t "and the dashboard API lists that host by its name" sh -c "curl -sk -b '$tmp/jar' '$base/api/hosts' | grep -q '\"hostname\":\"$(hostname)\"'"

# A second tenant with its own agent: the agent's scan lands in its tenant,
# and neither tenant's API shows the other's computer.
printf 'acme-password-12\n' | M --db "$db" user add dana --role viewer --tenant acme 2>/dev/null
tokA=$(M --db "$db" token create --tenant acme 2>/dev/null)
idA=$(M agent --state "$tmp/e" --enrol "$base" "$tokA" 2>/dev/null)
t "an agent of tenant acme enrols ($idA)" [ -n "$idA" ]
M agent --state "$tmp/e" --scan-now --once 2>"$tmp/e.err"
t "it sends a scan of its computer" [ $? -eq 0 ]
t "the scan is stored as a host of tenant acme" [ "$(q "$db" "SELECT t.name FROM hosts h JOIN tenants t \
    ON t.id = h.tenant_id JOIN scans s ON s.host_id = h.id WHERE h.host_key = 'agent:$idA'")" = acme ]
C -c "$tmp/jarA" -H 'Content-Type: application/json' \
    -d '{"username":"dana","password":"acme-password-12","tenant":"acme"}' "$base/api/login" >/dev/null
t "tenant acme's hosts: 200" [ "$(C -b "$tmp/jarA" "$base/api/hosts")" = 200 ]
cp "$tmp/body" "$tmp/hostsA"
t "the default tenant's hosts: 200" [ "$(C -b "$tmp/jar" "$base/api/hosts")" = 200 ]
cp "$tmp/body" "$tmp/hosts1"
t "each tenant lists only its own agent's computer" python3 -c '
import json, sys
a, d = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
ids_a, ids_d = {h["id"] for h in a}, {h["id"] for h in d}
sys.exit(0 if len(a) == 1 and a[0]["last_scan_id"] and d and not ids_a & ids_d else 1)' "$tmp/hostsA" "$tmp/hosts1"
hA=$(python3 -c 'import json,sys; h=json.load(open(sys.argv[1]))[0]; print(h["id"], h["last_scan_id"])' "$tmp/hostsA")
h1=$(python3 -c 'import json,sys; h=[x for x in json.load(open(sys.argv[1])) if x["last_scan_id"]][0]; print(h["id"], h["last_scan_id"])' "$tmp/hosts1")
t "tenant acme's findings are its computer's" sh -c "curl -sk -b '$tmp/jarA' '$base/api/findings' | python3 -c '
import json, sys; f = json.load(sys.stdin); sys.exit(0 if f and all(x[\"host_id\"] == ${hA% *} for x in f) else 1)'"
t "tenant acme asking for the other tenant's computer's findings: none" \
    [ "$(curl -sk -b "$tmp/jarA" "$base/api/findings?host=${h1% *}")" = '[]' ]
t "tenant acme reading the other tenant's scan: 404" [ "$(C -b "$tmp/jarA" "$base/api/scans/${h1#* }")" = 404 ]
t "the default tenant reading acme's scan: 404" [ "$(C -b "$tmp/jar" "$base/api/scans/${hA#* }")" = 404 ]

# The pinned certificate: another manager (another certificate) is refused.
port2=$(free_port)
mkdir "$tmp/other"
spid1=$spid
t "a second manager with its own certificate starts" serve "$tmp/other/m.db" "$port2" "$tmp/serve3.log"
spid2=$spid
python3 - "$tmp/b/agent.json" "$port2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["manager"] = "https://127.0.0.1:" + sys.argv[2]
json.dump(d, open(sys.argv[1], "w"))
PY
echo '{"n":1}' >"$tmp/one.ndjson"
M agent --state "$tmp/b" --events "$tmp/one.ndjson" --once 2>"$tmp/pin.err"
t "the agent refuses a manager whose certificate changed (77)" [ $? -eq 77 ]
t "saying so" grep -q "certificate changed" "$tmp/pin.err"
t "and sent nothing to it" [ "$(q "$tmp/other/m.db" 'SELECT count(*) FROM events')" = 0 ]
kill "$spid2"; wait "$spid2" 2>/dev/null
spid=$spid1

# A full disk under the database (a 3 MiB tmpfs; needs root).
if [ "$(id -u)" -ne 0 ] || ! mkdir "$tmp/full" || ! mount -t tmpfs -o size=3m tmpfs "$tmp/full" 2>/dev/null; then
	echo "ok $((n + 1)) # SKIP disk full: needs root to mount a tmpfs"; n=$((n + 1))
else
	mnt="$tmp/full"
	kill "$spid"; wait "$spid" 2>/dev/null
	port3=$(free_port)
	t "a manager with its database on a 3 MiB tmpfs" serve "$mnt/m.db" "$port3" "$tmp/serve4.log"
	tok6=$(M --db "$mnt/m.db" token create 2>/dev/null)
	M agent --state "$tmp/d" --enrol "https://127.0.0.1:$port3" "$tok6" >/dev/null 2>&1
	python3 -c 'import os,base64
for i in range(1,3001): print("{\"n\":%d,\"blob\":\"%s\"}" % (i, base64.b64encode(os.urandom(1500)).decode()))' >"$tmp/big.ndjson"
	M agent --state "$tmp/d" --events "$tmp/big.ndjson" --kind event --once 2>"$tmp/full.err"
	t "the agent stops with 75 when the manager cannot store (disk full)" [ $? -eq 75 ]
	t "the agent says the manager's disk is full" grep -q "disk is full" "$tmp/full.err"
	t "the manager logged a clear error" grep -q 'disk of the database is full' "$tmp/serve4.log"
	t "the manager is still running" kill -0 "$spid"
	t "PRAGMA integrity_check = ok on the full disk" [ "$(q "$mnt/m.db" 'PRAGMA integrity_check')" = ok ]
	kept=$(q "$mnt/m.db" 'SELECT count(*) FROM events')
	t "not all events fit ($kept stored); the rest wait in the spool" [ "$kept" -lt 3000 ]
	mount -o remount,size=64m "$mnt"
	M agent --state "$tmp/d" --events "$tmp/big.ndjson" --kind event --once 2>"$tmp/drain.err"
	t "with space back the spool drains (the file is not read twice)" [ $? -eq 0 ]
	sed 's/^/# /' "$tmp/drain.err" | tail -5
	got=$(q "$mnt/m.db" 'SELECT count(*), count(DISTINCT seq), max(seq) FROM events')
	t "all 3000 stored exactly once ($got)" [ "$got" = "3000|3000|3000" ]
	kill "$spid"; wait "$spid" 2>/dev/null
	spid=
	t "PRAGMA integrity_check = ok afterwards" [ "$(q "$mnt/m.db" 'PRAGMA integrity_check')" = ok ]
fi
[ -n "$spid" ] && kill "$spid" && wait "$spid" 2>/dev/null
spid=
tap_end
