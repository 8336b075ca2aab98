#!/bin/sh
# assess_page.sh - the self-assessment and SECURITY ACTION pages and the
# alerts page's "handle as an incident" in headless Chromium
# (assess_page.mjs), against the real `mamori serve` with a stored scan of
# the weak fixture tree, incident contacts and alerts from real
# third-party logs (tests/data/logs).
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
M scan --root "$MAMORI_SRC/tests/fixtures/trees/weak-host" >/dev/null 2>&1
M incident contacts lead --name "総務 山田" --phone 03-1111-2222 >/dev/null 2>&1
M incident contacts vendor --name "ABC保守" --email help@abc.example >/dev/null 2>&1
M logs --json "$MAMORI_SRC/tests/data/logs/crowdsec/ssh-bf/ssh-bf.log" 2>/dev/null | M alerts import --source logs 2>/dev/null
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
PLAYWRIGHT_DIR="$pw_dir" HOME="$tmp" DOWNLOADS="$tmp" timeout 400 node "$MAMORI_SRC/tests/e2e/assess_page.mjs" \
    "https://127.0.0.1:$port" owner owner-password-1
rc=$?
kill -TERM "$pid"; wait "$pid"; pid=
exit $rc
