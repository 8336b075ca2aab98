#!/bin/sh
# logs_geoip.sh - the new-country rule end to end: a tiny MaxMind DB written
# by tests/e2e/mmdb_write.py (JP and US test networks), SSH logins of one
# account from JP then US -> one alert naming US; logs.geoip_db unset -> no
# alert and no error; a bad database path -> exit 78 with its name; the
# countries seen are kept in the database across restarts of logs follow.
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}"
. "$(dirname "$0")/tap.inc"
python3 "$MAMORI_SRC/tests/e2e/mmdb_write.py" "$tmp/c.mmdb" 203.0.113.0/24=JP 198.51.100.0/24=US
printf 'logs:\n  geoip_db: %s\n' "$tmp/c.mmdb" >"$tmp/geo.yaml"
printf 'logs:\n  geoip_db: %s\n' "$tmp/missing.mmdb" >"$tmp/bad.yaml"
: >"$tmp/empty.yaml"
# weekday office hours in Japan, so only the country rule can fire
cat >"$tmp/auth.log" <<'LOG'
2025-03-05T01:00:00Z srv sshd[10]: Accepted password for tanaka from 203.0.113.7 port 50022 ssh2
2025-03-05T01:05:00Z srv sshd[11]: Accepted password for tanaka from 203.0.113.9 port 50023 ssh2
2025-03-05T01:10:00Z srv sshd[12]: Accepted password for sato from 198.51.100.4 port 50024 ssh2
2025-03-05T01:20:00Z srv sshd[13]: Accepted password for tanaka from 198.51.100.20 port 50025 ssh2
2025-03-05T01:30:00Z srv sshd[14]: Accepted password for tanaka from 198.51.100.21 port 50026 ssh2
2025-03-05T01:40:00Z srv sshd[15]: Accepted password for tanaka from 10.0.0.5 port 50027 ssh2
LOG

"$MAMORI" --config "$tmp/geo.yaml" logs --json "$tmp/auth.log" >"$tmp/o.json" 2>"$tmp/err"
t "runs with logs.geoip_db" test $? -eq 0
t "one alert: tanaka from US (198.51.100.20), ja/en text" python3 - "$tmp/o.json" <<'PY'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert len(a) == 1, a
a = a[0]
assert a["rule.id"] == "mamori.auth.new_country", a
assert a["user.name"] == "tanaka" and a["source.ip"] == "198.51.100.20", a
assert "country US" in a["message"], a["message"]
assert a["mamori.text"]["ja"]["what"] and a["mamori.text"]["en"]["action"]
PY
"$MAMORI" --config "$tmp/empty.yaml" logs --json "$tmp/auth.log" >"$tmp/o2.json" 2>"$tmp/err2"
t "logs.geoip_db unset: runs" test $? -eq 0
t "logs.geoip_db unset: no alert" test ! -s "$tmp/o2.json"
"$MAMORI" --config "$tmp/bad.yaml" logs "$tmp/auth.log" >/dev/null 2>"$tmp/err3"
t "missing database: exit 78" test $? -eq 78
t "missing database: named on stderr" grep -q "logs.geoip_db: .*missing.mmdb" "$tmp/err3"
# Kept across restarts (login_countries in the database): each run of
# `logs follow` is a restart of the log watch.
db="$tmp/g.db"
F() { "$MAMORI" --config "$tmp/geo.yaml" --db "$db" logs follow --json --duration 2 "$@" "$tmp/live.log"; }
q() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$db" "$1"; }
echo '2025-03-05T01:00:00Z srv sshd[20]: Accepted password for tanaka from 203.0.113.7 port 50030 ssh2' >"$tmp/live.log"
F >"$tmp/r1.json" 2>"$tmp/r1.err"
t "run 1: tanaka's first login (JP) is the baseline, no alert" test ! -s "$tmp/r1.json"
t "and it is kept in the database" [ "$(q "SELECT group_concat(user_name || ':' || country) FROM login_countries")" = tanaka:JP ]
echo '2025-03-05T02:00:00Z srv sshd[21]: Accepted password for tanaka from 198.51.100.30 port 50031 ssh2' >>"$tmp/live.log"
F --no-store >"$tmp/r2.json" 2>"$tmp/r2.err"
t "run 2 (restarted): tanaka from US is new, though it is this run's first login of tanaka" \
    grep -q '"rule.id":"mamori.auth.new_country".*198.51.100.30' "$tmp/r2.json"
t "--no-store printed it and kept the country, not the alert" \
    [ "$(q "SELECT count(*) FROM login_countries WHERE country = 'US'")" = 1 ] && [ "$(q "SELECT count(*) FROM alerts")" = 0 ]
echo '2025-03-05T03:00:00Z srv sshd[22]: Accepted password for tanaka from 198.51.100.31 port 50032 ssh2' >>"$tmp/live.log"
F >"$tmp/r3.json" 2>"$tmp/r3.err"
t "run 3: US again after another restart: no alert" test ! -s "$tmp/r3.json"
t "two countries kept for tanaka" [ "$(q "SELECT count(*) FROM login_countries WHERE user_name = 'tanaka'")" = 2 ]

tap_end
