#!/bin/sh
# dashboard.sh - the owner's dashboard in headless Chromium (Debian's
# chromium driven by playwright-core from web/package-lock.json): the real
# `mamori serve` on 127.0.0.1 with a database holding a real scan of this
# machine, vulnerabilities of the bookworm fixture host (tracker, KEV and
# EPSS fixtures) and alerts from real third-party logs. dashboard.mjs logs
# in, checks every page in Japanese, acknowledges an alert, switches to
# English and watches the console for CSP violations. The overview's
# screenshot, the monthly report's PDF downloaded through the month picker
# and its first page as PNG (pdftoppm) are kept in MAMORI_BUILD/test-artifacts/.
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}" "${MAMORI_BUILD:?}"
pw_dir="$MAMORI_BUILD/web/npm/node_modules"
for tool in chromium node curl python3 pdftotext pdftoppm; do
	if ! command -v $tool >/dev/null; then echo "1..0 # SKIP $tool missing (tools/deps.sh test)"; exit 0; fi
done
if [ ! -d "$pw_dir/playwright-core" ]; then echo "1..0 # SKIP playwright-core not installed (the build's npm ci)"; exit 0; fi
. "$(dirname "$0")/tap.inc"
art="$MAMORI_BUILD/test-artifacts"
mkdir -p "$art"
db="$tmp/m.db"
M() { "$MAMORI" --db "$db" "$@"; }
fx="$MAMORI_SRC/tests/fixtures/vuln"

# This machine, scanned twice (a trend), then vulnerabilities and alerts.
M scan >/dev/null 2>"$tmp/scan.err" || { echo "not ok 1 - mamori scan of this machine"; sed 's/^/# /' "$tmp/scan.err"; echo "1..1"; exit 1; }
M scan >/dev/null 2>&1
M vuln update "$fx/data/tracker.json" "$fx/data/kev.json" "$fx/data/epss.csv" >/dev/null 2>&1
cp -a "$fx/bookworm-host" "$tmp/host"
M vuln scan --root "$tmp/host" >/dev/null 2>&1
logs=$(find "$MAMORI_SRC/tests/data/logs/crowdsec" "$MAMORI_SRC/tests/data/logs/fail2ban" -type f ! -name '*.assert' | sort)
# shellcheck disable=SC2086
M logs --json $logs 2>/dev/null | M alerts import --source logs 2>/dev/null
# A sensor's statistics as the intake keeps them (its real stats event of
# the SMBv1 capture), for the settings page's sensor status.
"$MAMORI" sensor -r "$MAMORI_SRC/tests/data/pcap/ndpi_smbv1.pcap" --eve - 2>/dev/null | tail -1 >"$tmp/stats.json"
python3 - "$db" "$tmp/expect.json" "$tmp/stats.json" <<'PY'
import json, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
stats = json.load(open(sys.argv[3]))["stats"]
db.execute("INSERT INTO sensor_stats (tenant_id, sensor, updated_at, stats_json) VALUES (1, 'mirror-port-pc', ?, ?)",
           (int(time.time() * 1000), json.dumps(stats)))
db.commit()
score, report = db.execute("SELECT score, report_json FROM scans WHERE report_json IS NOT NULL ORDER BY id DESC LIMIT 1").fetchone()
doc = json.loads(report)
pkgs = [p["name"] for p in doc["packages"] if p["name"] in ("bash", "coreutils", "libc6")] or [doc["packages"][0]["name"]]
json.dump({"score": score, "hostname": doc["host"]["hostname"], "package": pkgs[0],
           "first_cve": "CVE-2023-4911", "sensor_packets": stats["decoder"]["pkts"]}, open(sys.argv[2], "w"))
PY

"$MAMORI" --db "$db" serve --listen 127.0.0.1:0 2>"$tmp/serve.err" &
pid=$!
port=
for _ in $(seq 1 100); do
	port=$(sed -n 's|.*listening on https://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/serve.err")
	[ -n "$port" ] && break
	sleep 0.1
done
if [ -z "$port" ]; then echo "not ok 1 - server starts"; sed 's/^/# /' "$tmp/serve.err"; echo "1..1"; exit 1; fi
# The server made the first administrator (its setup link is opened first);
# the operator who works through the pages is added beside it.
setup=$(sed -n 's|^  setup: *\(https://.*\)$|\1|p' "$tmp/serve.err")
printf 'owner-password-1\n' | M user add owner --role operator 2>/dev/null
PLAYWRIGHT_DIR="$pw_dir" HOME="$tmp" timeout 300 node "$MAMORI_SRC/tests/e2e/dashboard.mjs" \
    "https://127.0.0.1:$port" owner owner-password-1 "$art" "$tmp/expect.json" "$setup"
rc=$?
kill -TERM "$pid"; wait "$pid"; pid=
exit $rc
