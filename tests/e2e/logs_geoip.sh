#!/bin/sh
# logs_geoip.sh - the new-country rule end to end: a tiny MaxMind DB written
# by tests/e2e/mmdb_write.py (JP and US test networks), SSH logins of one
# account from JP then US -> one alert naming US; logs.geoip_db unset -> no
# alert and no error; a bad database path -> exit 78 with its name.
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 fail=0
t() { # description, then a command that must succeed
	n=$((n + 1)); d=$1; shift
	if "$@"; then echo "ok $n - $d"; else echo "not ok $n - $d"; fail=$((fail + 1)); fi
}
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
echo "1..$n"
[ "$fail" -eq 0 ]
