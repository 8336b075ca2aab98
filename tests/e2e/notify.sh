#!/bin/sh
# notify.sh - notifications end to end: alerts that `mamori logs --json`
# found in real third-party logs (tests/data/logs) are imported and sent by
# `mamori notify run --once --now T` to local receivers started here on
# 127.0.0.1 (notify_sink.py): an SMTP server that requires STARTTLS and a
# login, and an HTTPS server standing in for Slack, Teams Workflows, LINE,
# Chatwork and a generic webhook, both with a throwaway certificate made by
# openssl that only notify.ca_file trusts. Checked: the content (Japanese
# or English text, the link to the alert, LINE and Chatwork tokens, the
# webhook's HMAC), per-severity routing, de-duplication (twice run, alerts
# repeating while open), a receiver answering 500 (retried later, nothing
# lost, nothing twice), quiet hours with the injectable clock, the daily
# digest as one message, and the timeline's "notified" steps.
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}"
. "$(dirname "$0")/tap.inc"
sink=
trap '[ -n "$sink" ] && kill "$sink" 2>/dev/null; rm -rf "$tmp"' EXIT
PY=
for p in python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null && "$p" -c 'import aiosmtpd' 2>/dev/null; then PY=$p; break; fi
done
[ -n "$PY" ] || { echo "1..0 # SKIP python3-aiosmtpd missing (tools/deps.sh test)"; exit 0; }
need openssl sqlite3

mkdir "$tmp/sink"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=localhost \
    -addext subjectAltName=IP:127.0.0.1,DNS:localhost -days 2 \
    -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
"$PY" "$MAMORI_SRC/tests/e2e/notify_sink.py" "$tmp/sink" "$tmp/cert.pem" "$tmp/key.pem" 2>"$tmp/sink.err" &
sink=$!
for _ in $(seq 1 100); do [ -s "$tmp/sink/ports" ] && break; sleep 0.1; done
[ -s "$tmp/sink/ports" ] || { sed 's/^/# /' "$tmp/sink.err"; echo "1..0 # SKIP the receivers did not start"; exit 0; }
read -r hp sp <"$tmp/sink/ports"
base="https://127.0.0.1:$hp"
cat >"$tmp/mamori.yaml" <<YAML
manager:
  public_url: https://mamori.example.jp:8443/
notify:
  ca_file: $tmp/cert.pem
  timeout_seconds: 10
YAML
db="$tmp/m.db"
M() { "$MAMORI" --config "$tmp/mamori.yaml" --db "$db" "$@"; }
q() { # python expression over H (HTTP requests), S (mails); P(prefix) = answered 200
	"$PY" - "$tmp/sink" "$1" <<'PY'
import base64, email, hashlib, hmac, json, os, re, sys
from email import policy
d = sys.argv[1]
def load(name):
    p = os.path.join(d, name)
    return [json.loads(l) for l in open(p, encoding="utf-8")] if os.path.exists(p) else []
H = load("http.jsonl")
for h in H:
    h["body"] = base64.b64decode(h["body_b64"]).decode("utf-8")
S = load("smtp.jsonl")
for s in S:
    s["msg"] = email.message_from_bytes(base64.b64decode(s["data_b64"]), policy=policy.default)
    s["text"] = s["msg"].get_content()
def P(prefix, status=200):
    return [h for h in H if h["path"].startswith(prefix) and h["status"] == status]
def J(h):
    return json.loads(h["body"])
def digests():
    return [J(h) for h in P("/digest") if J(h)["digest"]]
def ids(texts):
    return sorted(int(x) for t in texts for x in re.findall(r"https://mamori\.example\.jp:8443/#/alerts/(\d+)", t))
ok = eval(sys.argv[2])
if not ok:
    print("# H:", [(h["path"], h["status"]) for h in H][-8:], "S:", len(S))
sys.exit(0 if ok else 1)
PY
}
T0=$(date -u -d 2026-12-07T03:00:00Z +%s)	# Monday 12:00 in Japan (UTC+09:00)
run() { M notify run --once --now "$1" >"$tmp/run.out" 2>"$tmp/run.err"; }

# Channels, added at T0. Tokens and passwords come on standard input.
printf 'mail-password-1\n' | M notify channel add mail --kind smtp --server "smtp://127.0.0.1:$sp" \
    --from mamori@example.jp --target owner@example.jp --user mailer --secret-stdin --now "$T0" >/dev/null
t "an e-mail channel (STARTTLS, login) is added" [ $? -eq 0 ]
M notify channel add slack --kind slack --target "$base/slack/T0/B0/x" --lang en --min-severity medium --now "$T0" >/dev/null
M notify channel add teams --kind teams --target "$base/teams" --min-severity critical --now "$T0" >/dev/null
printf 'line-token-1\n' | M notify channel add line --kind line --server "$base/line" --target U0123 \
    --secret-stdin --quiet 22:00-07:00 --now "$T0" >/dev/null
printf 'cw-token-1\n' | M notify channel add cw --kind chatwork --server "$base/cw" --target 4242 --secret-stdin --now "$T0" >/dev/null
printf 'hmac-key-1\n' | M notify channel add hook --kind webhook --target "$base/hook" --secret-stdin --min-severity low --now "$T0" >/dev/null
M notify channel add daily --kind webhook --target "$base/digest" --digest 18:00 --min-severity low --now "$T0" >/dev/null
M notify channel add flaky --kind webhook --target "$base/flaky" --min-severity low --now "$T0" >/dev/null
t "eight channels listed" [ "$(M notify channel list | wc -l)" -eq 8 ]
M notify channel list --json >"$tmp/list.json"
t "the list never shows a secret, and hides a Slack URL's path" sh -c "! grep -q 'hmac-key-1\|line-token-1\|mail-password-1\|T0/B0' '$tmp/list.json'"
M notify channel add bad --kind slack --target http://hooks.example.com/x 2>"$tmp/err"
t "plain http:// to another machine is refused (65)" [ $? -eq 65 ]
M notify channel add bad --kind pager --target x 2>/dev/null
t "an unknown kind is a usage error" [ $? -eq 2 ]
printf 't\n' | M notify channel add bad --kind chatwork --target room-1 --secret-stdin 2>/dev/null
t "a Chatwork room is digits (65)" [ $? -eq 65 ]
M notify channel add hook --kind webhook --target "$base/x" 2>/dev/null
t "a duplicate channel name is refused (65)" [ $? -eq 65 ]
M notify channel add q --kind slack --target "$base/x" --quiet 22:00 2>/dev/null
t "bad quiet hours are a usage error" [ $? -eq 2 ]

# Alerts of real logs, produced now by the binary under test.
logs=$(find "$MAMORI_SRC/tests/data/logs/crowdsec" "$MAMORI_SRC/tests/data/logs/fail2ban" -type f ! -name '*.assert' | sort)
# shellcheck disable=SC2086
M logs --json $logs >"$tmp/alerts.ndjson" 2>/dev/null
M alerts import --source logs "$tmp/alerts.ndjson" 2>/dev/null
all=$(M alerts list | wc -l)
high=$(M alerts list | awk '$2 == "high" || $2 == "critical"' | wc -l)
crit=$(M alerts list | awk '$2 == "critical"' | wc -l)
t "real logs give alerts of several severities ($all: $high high or critical, $crit critical)" \
    [ "$all" -ge 10 ] && [ "$crit" -ge 1 ] && [ "$high" -gt "$crit" ] && [ "$all" -gt "$high" ]
highids=$(M alerts list | awk '$2 == "high" || $2 == "critical" {print $1}' | sort -n | paste -sd, -)

t "receivers untouched before the dispatcher runs" q 'not H and not S'
echo fail >"$tmp/sink/fail"
run $((T0 + 60))
t "notify run exits 0" [ $? -eq 0 ]
t "one e-mail per high or critical alert" q "len(S) == $high"
t "every e-mail came over STARTTLS after a login" q 'all(s["tls"] and s["login"] for s in S)'
t "e-mail: Japanese subject and text with what to do now" \
    q 'all(s["msg"]["Subject"].startswith("[mamori] ") and "今すぐやること" in s["text"] and "なぜ重要か" in s["text"] for s in S)'
t "e-mail: each links to its own alert, the high and critical ones" q "ids(s['text'] for s in S) == [$highids]"
t "e-mail: From, To and a Date" q 'all(s["msg"]["From"] == "mamori@example.jp" and s["to"] == ["owner@example.jp"] and s["msg"]["Date"] for s in S)'
t "Slack (medium and above): every alert, in English" \
    q "len(P('/slack/T0/B0/x')) == $all and all('What to do now' in J(h)['text'] for h in P('/slack'))"
t "Teams (critical only): Adaptive Cards with a link" \
    q "len(P('/teams')) == $crit and all(J(h)['attachments'][0]['contentType'] == 'application/vnd.microsoft.card.adaptive' and '/#/alerts/' in J(h)['attachments'][0]['content']['actions'][0]['url'] for h in P('/teams'))"
t "LINE: push API path, bearer token, retry key, Japanese text" \
    q "len(P('/line/v2/bot/message/push')) == $high and all(h['headers']['authorization'] == 'Bearer line-token-1' and re.fullmatch('[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}', h['headers']['x-line-retry-key']) and J(h)['to'] == 'U0123' and '緊急度' in J(h)['messages'][0]['text'] for h in P('/line'))"
t "Chatwork: room path, token header, the text in a form" \
    q "len(P('/cw/v2/rooms/4242/messages')) == $high and all(h['headers']['x-chatworktoken'] == 'cw-token-1' and h['body'].startswith('body=') for h in P('/cw'))"
t "webhook: every alert as JSON with its link and Japanese text" \
    q "len(P('/hook')) == $all and sorted(J(h)['alerts'][0]['id'] for h in P('/hook')) == list(range(1, $all + 1)) and all(J(h)['alerts'][0]['link'].endswith('/#/alerts/%d' % J(h)['alerts'][0]['id']) and J(h)['alerts'][0]['text']['action'] for h in P('/hook'))"
t "webhook: the HMAC-SHA256 signature verifies with the channel secret" \
    q "all(h['headers']['x-mamori-signature'] == 'sha256=' + hmac.new(b'hmac-key-1', h['body'].encode(), hashlib.sha256).hexdigest() for h in P('/hook'))"
t "webhook: a changed body would not verify" \
    q "all(h['headers']['x-mamori-signature'] != 'sha256=' + hmac.new(b'hmac-key-1', h['body'].encode() + b' ', hashlib.sha256).hexdigest() for h in P('/hook'))"
t "digest channel: before 18:00 only the critical alerts, each at once" \
    q "len(P('/digest')) == $crit and not digests()"
t "the failing receiver was tried once in this pass, the rest wait for the next" \
    q "len(P('/flaky', 500)) == 1 and not P('/flaky')" && grep -q "$all to retry" "$tmp/run.out"
t "nothing is lost: the failed deliveries are pending" [ "$(sqlite3 "$db" "SELECT count(*) FROM notify_deliveries d JOIN notify_channels c ON c.id = d.channel_id WHERE c.name = 'flaky' AND d.state = 'pending'")" -eq "$all" ]

count() { # requests to every receiver but the failing one, and mails
	"$PY" -c '
import sys, os
d = sys.argv[1]
n = sum(1 for l in open(os.path.join(d, "http.jsonl")) if "\"/flaky" not in l)
print(n + sum(1 for _ in open(os.path.join(d, "smtp.jsonl"))))' "$tmp/sink"; }
before=$(count)
run $((T0 + 61))
t "running again sends nothing new" [ "$(count)" -eq "$before" ]
M alerts import --source logs "$tmp/alerts.ndjson" 2>"$tmp/imp.err"
t "the same alerts again are repeats of the open ones" grep -q "0 new alerts, $all repeats" "$tmp/imp.err"
run $((T0 + 120))
t "an alert repeating while open is not sent again" [ "$(count)" -eq "$before" ]
t "the repeat is counted on the alert" sh -c "[ \$(sqlite3 '$db' 'SELECT min(count) FROM alerts') -eq 2 ]"
rm -f "$tmp/sink/fail"
run $((T0 + 400))
t "the receiver is back: every alert arrives once" \
    q "len(P('/flaky')) == $all and sorted(J(h)['alerts'][0]['id'] for h in P('/flaky')) == list(range(1, $all + 1))"
run $((T0 + 4000))
t "and never again after success" q "len(P('/flaky')) == $all"
t "the timeline has a notified step per channel that sent" \
    sh -c "[ \$(sqlite3 '$db' \"SELECT count(*) FROM alert_timeline WHERE kind = 'notified' AND note LIKE 'webhook flaky%'\") -eq $all ]"

# The daily digest at 18:00 in Japan: one message with the other alerts.
run $((T0 + 6 * 3600 + 60))
t "the digest is one message with every alert not sent at once" \
    q "len(digests()) == 1 and len(digests()[0]['alerts']) == $all - $crit and 'まとめ' in digests()[0]['title']"
t "the digest text lists the alerts with their links" q "len(ids([digests()[0]['text']])) == $all - $crit"
run $((T0 + 6 * 3600 + 600))
t "one digest a day" q "len(digests()) == 1"

# Quiet hours on LINE (22:00-07:00 in Japan): a critical alert passes at
# 23:30, a high one waits for the morning; one resolved meanwhile is skipped.
"$PY" - "$tmp/alerts.ndjson" >"$tmp/night.ndjson" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
high = next(r for r in rows if r["severity"] == "high")
crit = next(r for r in rows if r["severity"] == "critical")
for r, host in ((high, "nas-2"), (crit, "nas-2"), (dict(high), "nas-3")):
    r = dict(r)
    r["host.name"] = host
    print(json.dumps(r, ensure_ascii=False))
PY
M alerts import --source logs "$tmp/night.ndjson" 2>/dev/null
line_before=$("$PY" -c 'import sys; print(sum(1 for l in open(sys.argv[1]) if "/line/" in l))' "$tmp/sink/http.jsonl")
run $((T0 + 11 * 3600 + 1800))
t "23:30: the critical alert goes out on LINE despite quiet hours" \
    q "len(P('/line')) == $line_before + 1 and 'nas-2' in J(P('/line')[-1])['messages'][0]['text'] and '緊急' in J(P('/line')[-1])['messages'][0]['text']"
t "23:30: e-mail has no quiet hours" q "len(S) == $high + 3"
t "23:30: the high alert waits (and the digest holds the new ones)" grep -q "waiting" "$tmp/run.out"
nas3=$(M alerts list | awk '/nas-3/ {print $1}')
M alerts set "$nas3" resolved --note "the NAS was replaced" 2>/dev/null
run $((T0 + 19 * 3600 + 1800))
t "07:30: the high alert that waited goes out on LINE" \
    q "len(P('/line')) == $line_before + 2 and '緊急度: 高' in J(P('/line')[-1])['messages'][0]['text']"
t "07:30: the alert resolved during the night is skipped, not sent" grep -q "skipped" "$tmp/run.out" && \
    q "not any('nas-3' in J(h)['messages'][0]['text'] for h in P('/line'))"
run $((T0 + 30 * 3600 + 60))
t "the next day's digest has the new high alert still open" \
    q "len(digests()) == 2 and [a['host'] for a in digests()[1]['alerts']] == ['nas-2']"

# Two dispatchers at once on one database: each alert still goes out once.
"$PY" - "$tmp/alerts.ndjson" >"$tmp/par.ndjson" <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).readline())
for i in range(1, 7):
    r["host.name"] = "par-%d" % i
    print(json.dumps(r, ensure_ascii=False))
PY
M alerts import --source logs "$tmp/par.ndjson" 2>/dev/null
M notify run --once --now $((T0 + 30 * 3600 + 120)) >"$tmp/par1.out" 2>&1 &
p1=$!
M notify run --once --now $((T0 + 30 * 3600 + 120)) >"$tmp/par2.out" 2>&1
r2=$?
wait $p1
t "two dispatchers at once both finish" [ $? -eq 0 ] && [ $r2 -eq 0 ]
t "and every new alert reached the webhook once, not twice" \
    q "sorted(J(h)['alerts'][0]['host'] for h in P('/hook') if J(h)['alerts'] and J(h)['alerts'][0]['host'].startswith('par-')) == ['par-%d' % i for i in range(1, 7)]"
t "and the mailbox once" q "sorted(h for s in S for h in re.findall(r'par-\\d', s['text'])) == ['par-%d' % i for i in range(1, 7)]"

# Certificates are checked: without the test CA the receivers are not trusted.
M notify channel test hook >/dev/null 2>&1
t "channel test sends a test message" [ $? -eq 0 ] && q "J(P('/hook')[-1])['test']"
"$MAMORI" --db "$db" notify channel test hook 2>"$tmp/err" >/dev/null
t "without notify.ca_file the throwaway certificate is refused (74)" [ $? -eq 74 ] && grep -qi "certificate" "$tmp/err"
M notify channel remove flaky >/dev/null
t "channel remove" [ "$(M notify channel list | wc -l)" -eq 7 ]
M notify channel test nothing 2>/dev/null
t "an unknown channel is 65" [ $? -eq 65 ]

# mamori serve sends from its own thread (every second here).
printf 'ada-password-1\n' | M user add ada --role admin 2>/dev/null
printf 'vic-password-1\n' | M user add vic --role viewer 2>/dev/null
printf 'bob-password-1\n' | M user add bob --role admin --tenant acme 2>/dev/null
sed -i 's/^notify:$/notify:\n  interval_seconds: 1/' "$tmp/mamori.yaml"
"$MAMORI" --config "$tmp/mamori.yaml" --db "$db" serve --listen 127.0.0.1:0 2>"$tmp/serve.err" &
srv=$!
"$PY" - "$tmp/alerts.ndjson" <<'PY' | M alerts import --source logs 2>/dev/null
import json, sys
r = json.loads(open(sys.argv[1]).readline())
r["host.name"] = "served-1"
print(json.dumps(r, ensure_ascii=False))
PY
for _ in $(seq 1 100); do grep -q 'served-1' "$tmp/sink/http.jsonl" 2>/dev/null && break; sleep 0.2; done
t "mamori serve sends a new alert from its notification thread" \
    q "any(J(h)['alerts'] and J(h)['alerts'][0]['host'] == 'served-1' for h in P('/hook'))"

# The channels API: admin only, CSRF, secrets never shown, tenant-scoped.
port=
for _ in $(seq 1 100); do
	port=$(sed -n 's|.*listening on https://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/serve.err")
	[ -n "$port" ] && break
	sleep 0.1
done
api="https://127.0.0.1:$port"
C() { curl -sk --max-time 30 "$@"; }
code() { C -o "$tmp/body" -w '%{http_code}' "$@"; }
login() { # user password jar [tenant] -> the session's CSRF token
	code -c "$3" -H 'Content-Type: application/json' \
	    -d "{\"username\":\"$1\",\"password\":\"$2\",\"tenant\":\"${4:-default}\"}" "$api/api/login" >/dev/null
	"$PY" -c 'import json,sys; print(json.load(open(sys.argv[1])).get("csrf_token", ""))' "$tmp/body"
}
jb() { "$PY" -c 'import json,sys; doc=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' "$tmp/body" "$1"; }
csrf=$(login ada ada-password-1 "$tmp/jar.ada")
vcsrf=$(login vic vic-password-1 "$tmp/jar.vic")
bcsrf=$(login bob bob-password-1 "$tmp/jar.bob" acme)
t "admins log in" [ -n "$csrf" ] && [ -n "$bcsrf" ]
t "GET /api/notify/channels: the tenant's channels" [ "$(code -b "$tmp/jar.ada" "$api/api/notify/channels")" = 200 ] && jb 'len(doc) == 7'
t "no secret in the answer" sh -c "! grep -q 'hmac-key-1\|line-token-1\|cw-token-1\|mail-password-1\|T0/B0' '$tmp/body'"
t "a viewer may not see them (403)" [ "$(code -b "$tmp/jar.vic" "$api/api/notify/channels")" = 403 ]
new_ch="{\"name\":\"api-hook\",\"kind\":\"webhook\",\"target\":\"$base/apihook\",\"secret\":\"hmac-key-2\",\"min_severity\":\"low\",\"quiet\":\"22:00-07:00\",\"quiet_critical\":true}"
t "POST without the CSRF token: 403" [ "$(code -b "$tmp/jar.ada" -H 'Content-Type: application/json' -d "$new_ch" "$api/api/notify/channels")" = 403 ]
t "POST by a viewer: 403" [ "$(code -b "$tmp/jar.vic" -H "X-CSRF-Token: $vcsrf" -d "$new_ch" "$api/api/notify/channels")" = 403 ]
t "POST adds a channel (201)" [ "$(code -b "$tmp/jar.ada" -H "X-CSRF-Token: $csrf" -d "$new_ch" "$api/api/notify/channels")" = 201 ] && \
    jb 'doc["name"] == "api-hook" and doc["has_secret"] and doc["quiet"] == "22:00-07:00" and doc["quiet_critical"] and "secret" not in doc'
cid=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$tmp/body")
t "the same name again: 409" [ "$(code -b "$tmp/jar.ada" -H "X-CSRF-Token: $csrf" -d "$new_ch" "$api/api/notify/channels")" = 409 ]
t "http:// to another machine: 400 with the reason" [ "$(code -b "$tmp/jar.ada" -H "X-CSRF-Token: $csrf" \
    -d '{"name":"x","kind":"slack","target":"http://hooks.example.com/x"}' "$api/api/notify/channels")" = 400 ] && grep -q 'https' "$tmp/body"
t "an unknown setting: 400" [ "$(code -b "$tmp/jar.ada" -H "X-CSRF-Token: $csrf" \
    -d '{"name":"x","kind":"slack","target":"https://127.0.0.1/x","colour":"red"}' "$api/api/notify/channels")" = 400 ]
t "POST /api/notify/test/ID sends a signed test message" [ "$(code -b "$tmp/jar.ada" -H "X-CSRF-Token: $csrf" -X POST "$api/api/notify/test/$cid")" = 200 ] && \
    q "J(P('/apihook')[-1])['test'] and P('/apihook')[-1]['headers']['x-mamori-signature'] == 'sha256=' + hmac.new(b'hmac-key-2', P('/apihook')[-1]['body'].encode(), hashlib.sha256).hexdigest()"
t "another tenant's admin sees no channels" [ "$(code -b "$tmp/jar.bob" "$api/api/notify/channels")" = 200 ] && jb 'doc == []'
t "nor tests or removes this tenant's (404)" [ "$(code -b "$tmp/jar.bob" -H "X-CSRF-Token: $bcsrf" -X POST "$api/api/notify/test/$cid")" = 404 ] && \
    [ "$(code -b "$tmp/jar.bob" -H "X-CSRF-Token: $bcsrf" -X DELETE "$api/api/notify/channels/$cid")" = 404 ]
t "/metrics counts the deliveries" [ "$(code -b "$tmp/jar.ada" "$api/metrics")" = 200 ] && \
    grep -q '^mamori_notify_deliveries{state="sent"} [1-9]' "$tmp/body" && grep -q '^mamori_notify_deliveries{state="pending"} ' "$tmp/body"
t "DELETE removes it" [ "$(code -b "$tmp/jar.ada" -H "X-CSRF-Token: $csrf" -X DELETE "$api/api/notify/channels/$cid")" = 200 ] && \
    [ "$(code -b "$tmp/jar.ada" -H "X-CSRF-Token: $csrf" -X DELETE "$api/api/notify/channels/$cid")" = 404 ]
kill "$srv"
wait "$srv"
t "and stops cleanly" [ $? -eq 0 ]
tap_end
