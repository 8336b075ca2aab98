#!/bin/sh
# serve.sh - mamori serve end to end: the real server on 127.0.0.1 (a free
# port chosen by the kernel), a temporary database, curl and openssl as
# clients. TLS 1.3 only; every route but health and login answers 401
# without a session (the list comes from /api/openapi.json); login limits,
# cookie flags, CSRF, logout, session rotation, tenant isolation, body and
# header limits, malformed JSON; the server survives all of it and stops
# cleanly on SIGTERM.
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}"
. "$(dirname "$0")/tap.inc"
need curl openssl python3
db="$tmp/m.db"
cat >"$tmp/mamori.yaml" <<'YAML'
manager:
  login_max_failures: 3
  login_max_failures_per_ip: 40
  max_body_bytes: 4096
  read_connections: 2
YAML
M() { "$MAMORI" --config "$tmp/mamori.yaml" --db "$db" "$@"; }

# A stored scan in the default tenant, and accounts in two tenants.
M scan --root "$MAMORI_SRC/tests/fixtures/trees/weak-host" --now 1795564800 >/dev/null 2>&1
printf 'alice-password-1\n' | M user add alice --role viewer 2>/dev/null
t "user add (viewer, default tenant)" [ $? -eq 0 ]
printf 'carol-password-1\n' | M user add carol --role operator 2>/dev/null
printf 'bob-password-123\n' | M user add bob --role admin --tenant acme 2>/dev/null
t "user add in a second tenant" [ $? -eq 0 ]
printf 'short\n' | M user add dave --role viewer 2>/dev/null
t "a short password is refused (65)" [ $? -eq 65 ]
printf 'dave-password-1\n' | M user add dave --role root 2>/dev/null
t "an unknown role is a usage error" [ $? -eq 2 ]
printf 'alice-password-2\n' | M user add alice --role admin 2>/dev/null
t "a duplicate account is refused" [ $? -eq 65 ]

# Not through M(): $! must be the server itself, for kill and wait.
"$MAMORI" --config "$tmp/mamori.yaml" --db "$db" serve --listen 127.0.0.1:0 2>"$tmp/serve.err" &
pid=$!
port=
for _ in $(seq 1 100); do
	port=$(sed -n 's|.*listening on https://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/serve.err")
	[ -n "$port" ] && break
	sleep 0.1
done
t "server starts and prints its address" [ -n "$port" ]
[ -n "$port" ] || { cat "$tmp/serve.err" | sed 's/^/# /'; echo "1..$n"; exit 1; }
base="https://127.0.0.1:$port"
t "self-signed certificate made next to the database" [ -s "$tmp/manager.crt" ] && [ -s "$tmp/manager.key" ]
t "the key is private (0600)" [ "$(stat -c %a "$tmp/manager.key")" = 600 ]
t "accounts exist, so no first-start admin" sh -c "! grep -q 'password:' '$tmp/serve.err'"

C() { curl -sk --max-time 10 "$@"; }
code() { C -o "$tmp/body" -w '%{http_code}' "$@"; }

echo | openssl s_client -connect "127.0.0.1:$port" 2>/dev/null >"$tmp/tls13"
t "TLS 1.3 negotiated" grep -q 'TLSv1.3' "$tmp/tls13"
echo | openssl s_client -tls1_2 -connect "127.0.0.1:$port" >"$tmp/tls12" 2>&1
t "TLS 1.2 refused" sh -c "! grep -q 'Cipher is [A-Z]' '$tmp/tls12'"
t "curl with --tls-max 1.2 fails" sh -c "! curl -sk --max-time 5 --tls-max 1.2 -o /dev/null '$base/api/health'"

t "health 200 without a session" [ "$(code "$base/api/health")" = 200 ]
t "health says ok" json "$tmp/body" 'doc["status"] == "ok"'

login() { # user password [extra curl args] -> status; headers in $tmp/h, body in $tmp/body
	u=$1 p=$2; shift 2
	code -D "$tmp/h" -H 'Content-Type: application/json' \
	    -d "{\"username\":\"$u\",\"password\":\"$p\"}" "$@" "$base/api/login"
}
t "wrong password 401" [ "$(login alice wrong-password-x)" = 401 ]
t "unknown account 401" [ "$(login nobody wrong-password-x)" = 401 ]
t "login ok 200" [ "$(login alice alice-password-1 -c "$tmp/jar")" = 200 ]
ck=$(tr -d '\r' <"$tmp/h" | grep -i '^set-cookie:')
t "cookie has the __Host- prefix" sh -c "echo '$ck' | grep -q '__Host-mamori_session='"
for flag in Secure HttpOnly SameSite=Strict Path=/ Max-Age=; do
	t "cookie has $flag" sh -c "echo '$ck' | grep -q '; $flag'"
done
csrf=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf_token"])' "$tmp/body")
t "login returns a 43-character CSRF token" [ ${#csrf} -eq 43 ]
t "GET with the cookie 200" [ "$(code -b "$tmp/jar" "$base/api/me")" = 200 ]
t "me names the account and role" json "$tmp/body" 'doc["username"] == "alice" and doc["role"] == "viewer"'
t "latest scans 200" [ "$(code -b "$tmp/jar" "$base/api/scans/latest")" = 200 ]
t "tenant 1 sees its scan" json "$tmp/body" 'len(doc) == 1 and doc[0]["report"] is not None'
scan_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["scan_id"])' "$tmp/body")
t "the scan by id 200" [ "$(code -b "$tmp/jar" "$base/api/scans/$scan_id")" = 200 ]
t "findings of the weak host" sh -c "[ \"\$(curl -sk -b '$tmp/jar' '$base/api/findings' | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')\" -gt 0 ]"
t "hosts 200" [ "$(code -b "$tmp/jar" "$base/api/hosts")" = 200 ]
t "hosts count their findings per basic" json "$tmp/body" \
	'len(doc) == 1 and sum(doc[0]["findings_by_kajo"].values()) > 0'
weak=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["id"])' "$tmp/body")
# A second computer, then findings per host and by page.
M scan --root "$MAMORI_SRC/tests/fixtures/trees/clean-host" --now 1795564900 >/dev/null 2>&1
code -b "$tmp/jar" "$base/api/findings" >/dev/null; cp "$tmp/body" "$tmp/all"
t "each finding's text once: both languages, no third copy, no evidence unasked" json "$tmp/all" \
	'all(f["text"]["ja"]["title"] and f["text"]["en"]["action"] and "title" not in f and "detail" not in f and "evidence" not in f for f in doc)'
t "findings?host= 200" [ "$(code -b "$tmp/jar" "$base/api/findings?host=$weak")" = 200 ]
t "findings?host= is that host's findings only" python3 -c '
import json, sys
a, h = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
w = int(sys.argv[3])
sys.exit(0 if h and all(f["host_id"] == w for f in h) and h == [f for f in a if f["host_id"] == w] else 1)' \
	"$tmp/all" "$tmp/body" "$weak"
t "findings paged: limit 2 offset 1 is the 2nd and 3rd" sh -c "curl -sk -b '$tmp/jar' '$base/api/findings?limit=2&offset=1' >'$tmp/page'"
t "the page matches the full list" python3 -c '
import json, sys
a, p = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
sys.exit(0 if len(a) >= 3 and p == a[1:3] else 1)' "$tmp/all" "$tmp/page"
t "findings with evidence=1 carry it" sh -c "curl -sk -b '$tmp/jar' '$base/api/findings?evidence=1&limit=1' | grep -q '\"evidence\"'"
t "findings?limit=0 400" [ "$(code -b "$tmp/jar" "$base/api/findings?limit=0")" = 400 ]
t "findings?host=x 400" [ "$(code -b "$tmp/jar" "$base/api/findings?host=x")" = 400 ]
t "vulns?limit=0 400" [ "$(code -b "$tmp/jar" "$base/api/vulns?limit=0")" = 400 ]
t "metrics 200 with a session" [ "$(code -b "$tmp/jar" "$base/metrics")" = 200 ]
t "metrics are Prometheus text" grep -q '^mamori_logins_total{result="ok"} 1$' "$tmp/body"

# Every route of the OpenAPI document, without a session: 401.
t "openapi.json 200 with a session" [ "$(code -b "$tmp/jar" "$base/api/openapi.json")" = 200 ]
python3 - "$tmp/body" >"$tmp/routes" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for path, ops in doc["paths"].items():
    for method in ops:
        print(method.upper(), path.replace("{id}", "1"))
PY
nroutes=$(wc -l <"$tmp/routes")
t "openapi describes at least 10 routes" [ "$nroutes" -ge 10 ]
walked=0 bad=""
while read -r method path; do
	# enrol is token-gated (400 without a body); intake is walked: it answers
	# 401 without an agent credential.
	case "$method $path" in "GET /api/health"|"POST /api/login"|"POST /api/enrol") continue ;; esac
	walked=$((walked + 1))
	got=$(code -X "$method" "$base$path")
	[ "$got" = 401 ] || bad="$bad $method:$path=$got"
done <"$tmp/routes"
t "every protected route ($walked) answers 401 without a session" [ -z "$bad" ] && [ "$walked" -eq $((nroutes - 3)) ]
[ -z "$bad" ] || echo "# $bad"
t "an unknown path answers 401 without a session" [ "$(code "$base/api/nothing-here")" = 401 ]
t "a forged cookie answers 401" [ "$(code -H 'Cookie: __Host-mamori_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' "$base/api/me")" = 401 ]
t "unknown path with a session 404" [ "$(code -b "$tmp/jar" "$base/api/nothing-here")" = 404 ]
t "wrong method with a session 405" [ "$(code -b "$tmp/jar" -X DELETE "$base/api/hosts")" = 405 ]

# CSRF on state changes.
t "POST without CSRF token 403" [ "$(code -b "$tmp/jar" -X POST "$base/api/logout")" = 403 ]
t "POST with a wrong CSRF token 403" [ "$(code -b "$tmp/jar" -X POST -H 'X-CSRF-Token: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' "$base/api/logout")" = 403 ]
t "POST with a foreign Origin 403" [ "$(code -b "$tmp/jar" -X POST -H "X-CSRF-Token: $csrf" -H 'Origin: https://evil.example' "$base/api/logout")" = 403 ]
t "the session survived the refused POSTs" [ "$(code -b "$tmp/jar" "$base/api/me")" = 200 ]

# Rotation: logging in again with the old cookie ends the old session.
cp "$tmp/jar" "$tmp/jar.old"
t "second login 200" [ "$(login alice alice-password-1 -b "$tmp/jar" -c "$tmp/jar")" = 200 ]
csrf=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf_token"])' "$tmp/body")
t "the cookie changed at login" sh -c "! cmp -s '$tmp/jar' '$tmp/jar.old'"
t "the pre-login session is gone" [ "$(code -b "$tmp/jar.old" "$base/api/me")" = 401 ]
t "logout with CSRF 200" [ "$(code -b "$tmp/jar" -X POST -H "X-CSRF-Token: $csrf" "$base/api/logout")" = 200 ]
t "after logout the cookie answers 401" [ "$(code -b "$tmp/jar" "$base/api/me")" = 401 ]

# Tenant isolation: bob (tenant acme) sees nothing of the default tenant.
code -c "$tmp/jar2" -H 'Content-Type: application/json' \
    -d '{"username":"bob","password":"bob-password-123","tenant":"acme"}' "$base/api/login" >"$tmp/st"
t "tenant 2 login 200" [ "$(cat "$tmp/st")" = 200 ]
t "tenant 2 reading tenant 1's scan by id: 404" [ "$(code -b "$tmp/jar2" "$base/api/scans/$scan_id")" = 404 ]
t "tenant 2 latest scans: none" sh -c "[ \"\$(curl -sk -b '$tmp/jar2' '$base/api/scans/latest')\" = '[]' ]"
t "tenant 2 hosts: none" sh -c "[ \"\$(curl -sk -b '$tmp/jar2' '$base/api/hosts')\" = '[]' ]"
t "tenant 2 findings: none" sh -c "[ \"\$(curl -sk -b '$tmp/jar2' '$base/api/findings')\" = '[]' ]"
t "tenant 2 asking for tenant 1's host by id: none" sh -c "[ \"\$(curl -sk -b '$tmp/jar2' '$base/api/findings?host=$weak')\" = '[]' ]"
t "bob is unknown in the default tenant" [ "$(login bob bob-password-123)" = 401 ]

# Login limit: 3 failures for carol, then 429 even with the right password.
for i in 1 2 3; do login carol "wrong-password-$i" >/dev/null; done
t "fourth attempt 429" [ "$(login carol carol-password-1)" = 429 ]
t "429 carries Retry-After" grep -qi '^retry-after: [0-9]' "$tmp/h"
t "other accounts still log in" [ "$(login alice alice-password-1 -c "$tmp/jar")" = 200 ]
# 12 parallel guesses against a fresh account: the limit holds (atomic count).
printf 'erin-password-12\n' | M user add erin --role viewer 2>/dev/null
pids=""
for i in $(seq 1 12); do login erin "wrong-password-$i" >"$tmp/par.$i" & pids="$pids $!"; done
for p in $pids; do wait "$p"; done
n401=$(cat "$tmp"/par.* | grep -o 401 | wc -l)
n429=$(cat "$tmp"/par.* | grep -o 429 | wc -l)
t "parallel guesses: exactly 3 checked ($n401), the other 9 refused 429 ($n429)" [ "$n401" -eq 3 ] && [ "$n429" -eq 9 ]

# Malformed and oversized requests.
t "malformed JSON 400" [ "$(code -H 'Content-Type: application/json' -d '{"username":' "$base/api/login")" = 400 ]
t "wrong types 400" [ "$(code -d '{"username":1,"password":"x"}' "$base/api/login")" = 400 ]
t "unknown field 400" [ "$(code -d '{"username":"a","password":"x","admin":true}' "$base/api/login")" = 400 ]
t "NUL in a password 400" [ "$(code -d '{"username":"a","password":"x\u0000y"}' "$base/api/login")" = 400 ]
t "duplicate keys 400" [ "$(code -d '{"username":"a","username":"b","password":"x"}' "$base/api/login")" = 400 ]
head -c 100000 /dev/zero | tr '\0' 'a' >"$tmp/big"
# The refusal comes before the body is read and the connection is closed; a
# client that sends the body anyway may meet a reset before it reads the 413,
# so this one waits for the answer to its Expect: 100-continue as clients should.
t "oversized body 413" [ "$(code -H 'Content-Type: application/json' -H 'Expect: 100-continue' --expect100-timeout 60 --max-time 70 --data-binary @"$tmp/big" "$base/api/login")" = 413 ]
t "oversized chunked body 413" [ "$(code -H 'Transfer-Encoding: chunked' -H 'Content-Type: application/json' --data-binary @"$tmp/big" "$base/api/login")" = 413 ]
hdr=$(head -c 40000 /dev/zero | tr '\0' 'b')
got=$(code -H "X-Big: $hdr" "$base/api/health")
t "oversized headers refused ($got)" [ "$got" = 431 ] || [ "$got" = 413 ]
t "a bad Content-Length 400" [ "$(code -H 'Content-Length: -5' -X POST "$base/api/login")" = 400 ]
t "refusals are logged with a reason" grep -q 'refused with 413: request body too large' "$tmp/serve.err"
printf 'GARBAGE\r\n\r\n' | timeout 5 openssl s_client -quiet -connect "127.0.0.1:$port" >/dev/null 2>&1
t "the server survived all of it" [ "$(code "$base/api/health")" = 200 ]
t "metrics count refusals" sh -c "curl -sk -b '$tmp/jar' '$base/metrics' | grep -q '^mamori_http_refused_total{reason=\"too_large\"} [1-9]'"

kill -TERM "$pid"
for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
wait "$pid"; rc=$?
pid=
t "SIGTERM stops the server cleanly (exit 0)" [ $rc -eq 0 ]
t "database intact" [ "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' "$db")" = ok ]
t "session ids are stored hashed, not as cookies" [ "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM sessions WHERE length(id_hash) != 32").fetchone()[0])' "$db")" = 0 ]
t "password hashes are argon2id m=19456 t=2 p=1" python3 -c '
import sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute("SELECT pw_hash FROM users").fetchall()
sys.exit(0 if rows and all(r[0].startswith("$argon2id$v=19$m=19456,t=2,p=1$") for r in rows) else 1)' "$db"

# First start with no account: admin with a one-time password.
db2="$tmp/first/m.db"; mkdir -p "$tmp/first"
"$MAMORI" --db "$db2" serve --listen 127.0.0.1:0 2>"$tmp/first.err" &
pid=$!
for _ in $(seq 1 100); do grep -q listening "$tmp/first.err" && break; sleep 0.1; done
p2=$(sed -n 's|.*listening on https://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/first.err")
pw=$(awk '/password:/ {print $2; exit}' "$tmp/first.err")
t "first start prints a one-time admin password" [ ${#pw} -ge 16 ]
t "first start prints the address" grep -q "open: *https://127.0.0.1:$p2/" "$tmp/first.err"
base="https://127.0.0.1:$p2"
t "the first-start admin logs in" [ "$(login admin "$pw")" = 200 ]
kill -TERM "$pid"; wait "$pid"; pid=
"$MAMORI" --db "$db2" serve --listen 127.0.0.1:0 2>"$tmp/second.err" &
pid=$!
for _ in $(seq 1 100); do grep -q listening "$tmp/second.err" && break; sleep 0.1; done
t "the password is not printed again" sh -c "! grep -q 'password:' '$tmp/second.err'"
t "the certificate is reused" sh -c "! grep -q 'made a self-signed' '$tmp/second.err'"
kill -TERM "$pid"; wait "$pid"; pid=

tap_end
