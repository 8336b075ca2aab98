#!/bin/sh
# vuln_scan.sh - matching a 3,000-package bookworm host against a full-size
# Debian dataset, beside debsecan on the same data (median of 5 runs).
#
#   bench/vuln_scan.sh BUILD_DIR [WORKDIR]
#
# The tracker JSON comes from bench/gen_tracker.py (~150k package/CVE
# entries; the real file cannot be fetched offline); gen_vuln_host.py turns
# it into debsecan's feed and a host's dpkg status. mamori imports the JSON
# once (timed separately), then both tools check the same host.
set -eu
build=${1:?usage: vuln_scan.sh BUILD_DIR [WORKDIR]}
work=${2:-$(mktemp -d)}
mkdir -p "$work" && work=$(cd "$work" && pwd)   # debsecan wants an absolute file:// URL
here=$(cd "$(dirname "$0")" && pwd)
mamori="$build/mamori"
mkdir -p "$work"
[ -f "$work/tracker.json" ] || python3 "$here/gen_tracker.py" "$work/tracker.json"
python3 "$here/gen_vuln_host.py" "$work/tracker.json" "$work" 3000
rm -f "$work/m.db" "$work/m.db-wal" "$work/m.db-shm"
start=$(date +%s.%N)
"$mamori" --db "$work/m.db" vuln update "$work/tracker.json" >/dev/null
end=$(date +%s.%N)
echo "import of the tracker JSON: $(echo "$end - $start" | bc) s, $(stat -c %s "$work/m.db") bytes on disk"
echo "bookworm rows: $(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"select count(*) from vuln_pkg where release='bookworm'\").fetchone()[0])" "$work/m.db")"

# Same answers? (CVE, source) pairs from both tools.
"$mamori" --db "$work/m.db" vuln scan --root "$work/root" --json --no-store >"$work/m.json"
debsecan --source "file://$work/feed/" --suite bookworm --status "$work/root/var/lib/dpkg/status" \
    --format detail >"$work/d.txt" 2>"$work/d.err" || true
python3 - "$work/m.json" "$work/d.txt" <<'PY'
import json, re, sys
m = json.load(open(sys.argv[1]))
mine = {(v["cve"], v["source_package"]) for v in m["vulnerabilities"]}
theirs = set()
cve = None
for line in open(sys.argv[2]):
    x = re.match(r"^(\S+) \(", line) or re.match(r"^(\S+)$", line.rstrip("\n"))
    if x and not line.startswith(" "):
        cve = x.group(1)
    y = re.search(r"\(built from (\S+) ", line)
    if cve and y:
        theirs.add((cve, y.group(1)))
print("mamori findings: %d (match %d ms); debsecan (CVE, source) pairs: %d; in both: %d"
      % (len(mine), m["summary"]["match_ms"], len(theirs), len(mine & theirs)))
for x in sorted(theirs - mine)[:5]:
    print("  only debsecan:", *x)
for x in sorted(mine - theirs)[:5]:
    print("  only mamori:", *x)
PY
python3 "$here/measure.py" --runs 5 \
    "mamori=$mamori --db $work/m.db vuln scan --root $work/root --no-store" \
    "mamori-json=$mamori --db $work/m.db vuln scan --root $work/root --json --no-store" \
    "debsecan=debsecan --source file://$work/feed/ --suite bookworm --status $work/root/var/lib/dpkg/status --format summary"
