#!/bin/sh
# alerts.sh - alerts kept in the database, end to end: alert lines that
# `mamori logs --json` printed for real third-party logs (tests/data/logs)
# are imported with `mamori alerts import`; repeats of an open alert are
# counted on one row; non-alert and oversized lines are counted and skipped;
# the state moves through the CLI and the manager's API (list, one alert
# with its timeline, acknowledge / resolve with CSRF, roles), and another
# tenant never sees them.
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}"
. "$(dirname "$0")/tap.inc"
need curl python3
db="$tmp/m.db"
M() { "$MAMORI" --db "$db" "$@"; }

# The alerts of real logs, produced now by the binary under test.
logs=$(find "$MAMORI_SRC/tests/data/logs/crowdsec" "$MAMORI_SRC/tests/data/logs/fail2ban" -type f ! -name '*.assert' | sort)
# shellcheck disable=SC2086
M logs --json $logs >"$tmp/alerts.ndjson" 2>/dev/null
total=$(wc -l <"$tmp/alerts.ndjson")
t "the real logs give alerts" [ "$total" -ge 10 ]
{ cat "$tmp/alerts.ndjson"; echo 'not json'; echo '{"event.kind":"flow","rule.id":"x"}'
  python3 -c 'print("{\"event.kind\":\"alert\",\"x\":\"" + "a" * 70000 + "\"}")'; } >"$tmp/in"
M alerts import --source logs "$tmp/in" 2>"$tmp/imp.err"
t "import exits 0" [ $? -eq 0 ]
t "import counts new alerts, non-alerts and oversized lines" \
    grep -q "$((total + 3)) lines: $total new alerts, 0 repeats of open alerts, 2 not alerts, 1 over 65536 bytes skipped" "$tmp/imp.err"
M alerts import --source logs <"$tmp/alerts.ndjson" 2>"$tmp/imp2.err"
t "importing again counts repeats on the open alerts" grep -q "$total new alerts\|0 new alerts, $total repeats" "$tmp/imp2.err"
t "no second row per alert" [ "$(M alerts list | wc -l)" -eq "$total" ]
t "list shows the count" sh -c "M() { \"$MAMORI\" --db '$db' \"\$@\"; }; M alerts list | head -1 | grep -q ' x2 '"
M alerts list --json >"$tmp/list.ndjson"
t "list --json gives the stored alert lines" python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert rows and all(r["event.kind"] == "alert" and r["mamori.text"]["ja"]["action"] for r in rows)' "$tmp/list.ndjson"
M alerts set 1 acknowledged --note "checking the VPN" 2>/dev/null
t "acknowledge from the CLI" [ $? -eq 0 ]
M alerts set 1 acknowledged 2>/dev/null
t "acknowledging twice is refused (65)" [ $? -eq 65 ]
M alerts set 999999 resolved 2>/dev/null
t "an unknown alert is refused (65)" [ $? -eq 65 ]
M alerts set 1 gone 2>/dev/null
t "an unknown state is a usage error" [ $? -eq 2 ]
M alerts import /nonexistent/file 2>/dev/null
t "a missing input file is 66" [ $? -eq 66 ]

printf 'olivia-password-1\n' | M user add olivia --role operator 2>/dev/null
printf 'victor-password-1\n' | M user add victor --role viewer 2>/dev/null
printf 'bob-password-123\n' | M user add bob --role admin --tenant acme 2>/dev/null
"$MAMORI" --db "$db" serve --listen 127.0.0.1:0 2>"$tmp/serve.err" &
pid=$!
port=
for _ in $(seq 1 100); do
	port=$(sed -n 's|.*listening on https://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/serve.err")
	[ -n "$port" ] && break
	sleep 0.1
done
t "server starts" [ -n "$port" ]
[ -n "$port" ] || { sed 's/^/# /' "$tmp/serve.err"; echo "1..$n"; exit 1; }
base="https://127.0.0.1:$port"
C() { curl -sk --max-time 10 "$@"; }
code() { C -o "$tmp/body" -w '%{http_code}' "$@"; }
login() { # user password jar [tenant]
	code -c "$3" -H 'Content-Type: application/json' \
	    -d "{\"username\":\"$1\",\"password\":\"$2\",\"tenant\":\"${4:-default}\"}" "$base/api/login" >/dev/null
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf_token"])' "$tmp/body"
}

t "alerts without a session: 401" [ "$(code "$base/api/alerts")" = 401 ]
csrf=$(login olivia olivia-password-1 "$tmp/jar")
t "open alerts 200" [ "$(code -b "$tmp/jar" "$base/api/alerts")" = 200 ]
t "open alerts: all but none resolved, with ja/en text" json "$tmp/body" \
    "len(doc) == $total and all(a['text']['ja']['what'] and a['text']['en']['action'] for a in doc)"
t "repeats are counted" json "$tmp/body" 'all(a["count"] == 2 for a in doc)'
t "newest id first" json "$tmp/body" '[a["id"] for a in doc] == sorted([a["id"] for a in doc], reverse=True)'
t "min_severity=critical filters" [ "$(code -b "$tmp/jar" "$base/api/alerts?min_severity=critical")" = 200 ]
t "only critical alerts" json "$tmp/body" 'len(doc) >= 1 and all(a["severity"] == "critical" for a in doc)'
t "paging with before and limit" [ "$(code -b "$tmp/jar" "$base/api/alerts?before=5&limit=2")" = 200 ]
t "two alerts below id 5" json "$tmp/body" '[a["id"] for a in doc] == [4, 3]'
t "a bad query argument 400" [ "$(code -b "$tmp/jar" "$base/api/alerts?limit=abc")" = 400 ]
t "one alert with its timeline" [ "$(code -b "$tmp/jar" "$base/api/alerts/1")" = 200 ]
t "the timeline says raised then acknowledged with the note" json "$tmp/body" \
    '[s["kind"] for s in doc["timeline"]] == ["raised", "acknowledged"] and doc["timeline"][1]["note"] == "checking the VPN"'
t "resolve without the CSRF token 403" [ "$(code -b "$tmp/jar" -H 'Content-Type: application/json' -d '{"state":"resolved"}' "$base/api/alerts/2")" = 403 ]
t "resolve with the token 200" [ "$(code -b "$tmp/jar" -H "X-CSRF-Token: $csrf" -d '{"state":"resolved","note":"blocked the address"}' "$base/api/alerts/2")" = 200 ]
t "the answer is the resolved alert, resolved by olivia" json "$tmp/body" \
    'doc["state"] == "resolved" and doc["timeline"][-1]["actor"] == "olivia"'
t "resolving twice 409" [ "$(code -b "$tmp/jar" -H "X-CSRF-Token: $csrf" -d '{"state":"resolved"}' "$base/api/alerts/2")" = 409 ]
t "an unknown state 400" [ "$(code -b "$tmp/jar" -H "X-CSRF-Token: $csrf" -d '{"state":"deleted"}' "$base/api/alerts/3")" = 400 ]
t "malformed JSON 400" [ "$(code -b "$tmp/jar" -H "X-CSRF-Token: $csrf" -d '{"state":' "$base/api/alerts/3")" = 400 ]
t "the resolved alert left the open list" [ "$(code -b "$tmp/jar" "$base/api/alerts")" = 200 ] && json "$tmp/body" "len(doc) == $total - 1"
t "state=all still has it" [ "$(code -b "$tmp/jar" "$base/api/alerts?state=all")" = 200 ] && json "$tmp/body" "len(doc) == $total"
vcsrf=$(login victor victor-password-1 "$tmp/jarv")
t "a viewer reads alerts" [ "$(code -b "$tmp/jarv" "$base/api/alerts/3")" = 200 ]
t "a viewer cannot acknowledge (403)" [ "$(code -b "$tmp/jarv" -H "X-CSRF-Token: $vcsrf" -d '{"state":"acknowledged"}' "$base/api/alerts/3")" = 403 ]
bcsrf=$(login bob bob-password-123 "$tmp/jarb" acme)
t "another tenant sees no alerts" [ "$(C -b "$tmp/jarb" "$base/api/alerts?state=all")" = '[]' ]
t "another tenant reading an alert by id: 404" [ "$(code -b "$tmp/jarb" "$base/api/alerts/3")" = 404 ]
t "another tenant changing an alert: 404" [ "$(code -b "$tmp/jarb" -H "X-CSRF-Token: $bcsrf" -d '{"state":"resolved"}' "$base/api/alerts/3")" = 404 ]
t "the server is still up" [ "$(code "$base/api/health")" = 200 ]
kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
t "server stops cleanly on SIGTERM" [ "$rc" -eq 0 ]
tap_end
