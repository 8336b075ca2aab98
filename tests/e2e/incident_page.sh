#!/bin/sh
# incident_page.sh - the owner's pages of the dashboard (incidents, risk,
# threats) in headless Chromium (incident_page.mjs), against the real
# `mamori serve` with alerts from real third-party logs (tests/data/logs)
# and a real MyJVN alert list (tests/data/vuln).
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}" "${MAMORI_BUILD:?}"
pw_dir="$MAMORI_BUILD/web/npm/node_modules"
for tool in chromium node curl; do
	if ! command -v $tool >/dev/null; then echo "1..0 # SKIP $tool missing (tools/deps.sh test)"; exit 0; fi
done
if [ ! -d "$pw_dir/playwright-core" ]; then echo "1..0 # SKIP playwright-core not installed (the build's npm ci)"; exit 0; fi
. "$(dirname "$0")/tap.inc"
db="$tmp/m.db"
M() { "$MAMORI" --db "$db" "$@"; }
logs=$(find "$MAMORI_SRC/tests/data/logs/crowdsec" "$MAMORI_SRC/tests/data/logs/fail2ban" -type f ! -name '*.assert' | sort)
# shellcheck disable=SC2086
M logs --json $logs 2>/dev/null | M alerts import --source logs 2>/dev/null
M advisories import "$MAMORI_SRC/tests/data/vuln/myjvn_getAlertList_hnd.xml" 2>/dev/null
# A computer with WordPress installed, so one advisory concerns the company.
mkdir -p "$tmp/tree" && cp -r "$MAMORI_SRC/tests/fixtures/trees/clean-host/." "$tmp/tree/" && chmod -R u+w "$tmp/tree"
printf '\nPackage: wordpress\nStatus: install ok installed\nPriority: optional\nSection: web\nArchitecture: all\nVersion: 6.1.1+dfsg1-1\nDescription: weblog manager\n' >>"$tmp/tree/var/lib/dpkg/status"
M scan --root "$tmp/tree" >/dev/null 2>&1
printf 'owner-password-1\n' | M user add owner --role operator 2>/dev/null
"$MAMORI" --db "$db" serve --listen 127.0.0.1:0 2>"$tmp/serve.err" &
pid=$!
port=
for _ in $(seq 1 100); do
	port=$(sed -n 's|.*listening on https://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/serve.err")
	[ -n "$port" ] && break
	sleep 0.1
done
if [ -z "$port" ]; then echo "not ok 1 - server starts"; sed 's/^/# /' "$tmp/serve.err"; echo "1..1"; exit 1; fi
PLAYWRIGHT_DIR="$pw_dir" HOME="$tmp" timeout 300 node "$MAMORI_SRC/tests/e2e/incident_page.mjs" \
    "https://127.0.0.1:$port" owner owner-password-1
rc=$?
kill -TERM "$pid"; wait "$pid"; pid=
exit $rc
