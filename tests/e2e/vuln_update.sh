#!/bin/sh
# vuln_update.sh - mamori vuln update: formats found from content, one
# transaction per run, a truncated or corrupt feed leaves the database as
# it was, sources recorded with sha256 and date.
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}"
data="$MAMORI_SRC/tests/data/vuln"
. "$(dirname "$0")/tap.inc"
q() { python3 -c 'import sqlite3,sys; print("\n".join("|".join("" if v is None else str(v) for v in r) for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2])))' "$db" "$1"; }
# Everything the vulnerability tables hold, for before/after comparisons.
snapshot() {
	for tb in vuln_sources vuln_pkg vuln_cve vuln_cve_text vuln_kev vuln_epss vuln_jvn; do
		q "SELECT * FROM $tb ORDER BY 1, 2, 3"
	done | sha256sum
}
db="$tmp/m.db"

# Names that say nothing: the format must come from the content.
cp "$data/debian_security_tracker_sample.json" "$tmp/a.dat"
cp "$data/known_exploited_vulnerabilities.json" "$tmp/b.dat"
gzip -c "$data/epss_sample.csv" >"$tmp/c.dat"
cp "$data/myjvn_dataFeed_jvndb_detail_hnd.xml" "$tmp/d.dat"
"$MAMORI" --db "$db" vuln update "$tmp/a.dat" "$tmp/b.dat" "$tmp/c.dat" "$tmp/d.dat" \
	"$data/osv" >"$tmp/out" 2>"$tmp/err"; rc=$?
t "import of five sources exits 0 ($rc)" [ $rc -eq 0 ]
t "one summary line per source" [ "$(wc -l <"$tmp/out")" -eq 5 ]
t "nothing on stderr" [ ! -s "$tmp/err" ]
t "tracker summary" grep -q "^debian-tracker: $tmp/a.dat: 7 records, 25 rows, 0 skipped, feed date none stated, sha256 3ae30b511a0e0738" "$tmp/out"
t "KEV summary with its date" grep -q "^kev: .*1404 records, 1404 rows.*feed date 2025-08-25" "$tmp/out"
t "gzip EPSS read" grep -q "^epss: .*4 records, 4 rows.*feed date 2025-08-25" "$tmp/out"
t "OSV directory" grep -q "^osv: $data/osv: 8 records, 8 rows" "$tmp/out"
t "vuln_sources: sha256 of the file" [ "$(q "SELECT sha256 FROM vuln_sources WHERE kind='debian-tracker'")" = "$(sha256sum <"$tmp/a.dat" | cut -d' ' -f1)" ]
t "vuln_sources: gzip hashed as stored" [ "$(q "SELECT sha256 FROM vuln_sources WHERE kind='epss'")" = "$(sha256sum <"$tmp/c.dat" | cut -d' ' -f1)" ]
t "vuln_sources: records and date" [ "$(q "SELECT records, feed_date FROM vuln_sources WHERE kind='kev'")" = "1404|1756141459" ]
t "vuln_pkg: tracker row" [ "$(q "SELECT status, fixed_version, minor FROM vuln_pkg WHERE release='bookworm' AND package='sope'")" = "resolved|5.8.0-1+deb12u1|0" ]
t "vuln_pkg: OSV bookworm row" [ "$(q "SELECT kind, fixed_version FROM vuln_pkg WHERE release='bookworm' AND package='glibc' AND cve='CVE-2023-4911'")" = "osv-debian:12|2.36-9+deb12u3" ]
t "vuln_kev: ransomware count" [ "$(q "SELECT count(*) FROM vuln_kev WHERE ransomware=1")" = 293 ]
t "vuln_jvn: Japanese title" [ "$(q "SELECT title_ja FROM vuln_jvn WHERE cve='CVE-2025-21603'")" = "プラネックス製MZK-DP300Nにおけるクロスサイトスクリプティングの脆弱性" ]
t "vuln_cve_text: description" q "SELECT description FROM vuln_cve_text WHERE cve='CVE-2025-53603'" | grep -q "Alinto SOPE"
before=$(snapshot)

# Truncated copies of each feed: refused, and nothing changes.
for f in a b d; do
	size=$(wc -c <"$tmp/$f.dat")
	head -c $((size * 2 / 3)) "$tmp/$f.dat" >"$tmp/$f.cut"
	"$MAMORI" --db "$db" vuln update "$tmp/$f.cut" >"$tmp/out" 2>"$tmp/err"; rc=$?
	t "truncated $f: exit 65 ($rc)" [ $rc -eq 65 ]
	t "truncated $f: one-line error saying the database was not changed" \
		sh -c "[ \$(wc -l <'$tmp/err') -eq 1 ] && grep -q 'the database was not changed' '$tmp/err'"
	t "truncated $f: tables unchanged" [ "$(snapshot)" = "$before" ]
done
head -c 60 "$tmp/c.dat" >"$tmp/c.cut"
"$MAMORI" --db "$db" vuln update "$tmp/c.cut" 2>"$tmp/err"; rc=$?
t "truncated gzip: exit 65 ($rc)" [ $rc -eq 65 ]
t "truncated gzip: tables unchanged" [ "$(snapshot)" = "$before" ]

# A good feed first and a corrupt one after it in the same run: all or nothing.
sed 's/"resolved"/"resolved",,/' "$tmp/a.dat" >"$tmp/corrupt.json"
"$MAMORI" --db "$db" vuln update "$data/epss_sample.csv" "$tmp/corrupt.json" 2>"$tmp/err"; rc=$?
t "corrupt second source: exit 65 ($rc)" [ $rc -eq 65 ]
t "error names the file and the byte" grep -q "corrupt.json: JSON error near byte" "$tmp/err"
t "first source rolled back too" [ "$(snapshot)" = "$before" ]

printf 'garbage\n' >"$tmp/g.txt"
"$MAMORI" --db "$db" vuln update "$tmp/g.txt" 2>"$tmp/err"; rc=$?
t "unknown format: exit 65 ($rc)" [ $rc -eq 65 ] && grep -q "not a feed mamori knows" "$tmp/err"
"$MAMORI" --db "$db" vuln update "$tmp/none.json" 2>"$tmp/err"; rc=$?
t "missing file: exit 66 ($rc)" [ $rc -eq 66 ]
"$MAMORI" --db "$db" vuln update ftp://127.0.0.1/x.json 2>"$tmp/err"; rc=$?
t "ftp:// URL: usage error ($rc)" [ $rc -eq 2 ] && grep -q "only http:// and https:// URLs" "$tmp/err"
"$MAMORI" --db "$db" vuln update 2>/dev/null; rc=$?
t "no source: usage error" [ $rc -eq 2 ]
t "after all failures: tables unchanged" [ "$(snapshot)" = "$before" ]

# Re-import replaces a kind as a whole: a smaller KEV leaves only its rows.
python3 - "$data/known_exploited_vulnerabilities.json" "$tmp/kev2.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["vulnerabilities"] = d["vulnerabilities"][:10]
d["count"] = 10
json.dump(d, open(sys.argv[2], "w"))
PY
"$MAMORI" --db "$db" vuln update "$tmp/kev2.json" >/dev/null 2>&1; rc=$?
t "smaller KEV imports ($rc)" [ $rc -eq 0 ]
t "KEV replaced, not merged" [ "$(q "SELECT count(*) FROM vuln_kev")" = 10 ]
t "other kinds untouched" [ "$(q "SELECT count(*) FROM vuln_pkg WHERE kind='debian-tracker'")" = 25 ]

# The tracker outranks OSV for the same Debian row.
cat >"$tmp/trk.json" <<'J'
{"glibc": {"CVE-2023-4911": {"releases": {"bookworm": {"status": "resolved", "repositories": {}, "fixed_version": "2.36-9+deb12u3", "urgency": "high"}}}}}
J
"$MAMORI" --db "$db" vuln update "$tmp/trk.json" >/dev/null 2>&1
t "tracker takes over the OSV row" [ "$(q "SELECT kind, urgency FROM vuln_pkg WHERE release='bookworm' AND package='glibc'")" = "debian-tracker|high" ]
"$MAMORI" --db "$db" vuln update "$data/osv" >/dev/null 2>&1
t "re-importing OSV leaves the tracker row" [ "$(q "SELECT kind FROM vuln_pkg WHERE release='bookworm' AND package='glibc'")" = "debian-tracker" ]

# Downloads: a real HTTP server on loopback, started here, serving the feeds.
mkdir "$tmp/www"
cp "$data/known_exploited_vulnerabilities.json" "$tmp/www/kev.json"
gzip -c "$data/epss_sample.csv" >"$tmp/www/epss.csv.gz"
head -c 3000 "$data/known_exploited_vulnerabilities.json" >"$tmp/www/cut.json"
(cd "$tmp/www" && exec python3 -u -m http.server 0 --bind 127.0.0.1) >"$tmp/http.log" 2>&1 &
http_pid=$!
port=""
for _ in $(seq 100); do
	port=$(sed -n 's/.* port \([0-9]*\) .*/\1/p' "$tmp/http.log" | head -1)
	[ -n "$port" ] && break
	sleep 0.1
done
t "HTTP server on 127.0.0.1 started (port ${port:-none})" [ -n "$port" ]
url="http://127.0.0.1:$port"
db2="$tmp/dl.db"
TMPDIR="$tmp/dltmp" && mkdir "$TMPDIR" && export TMPDIR
"$MAMORI" --db "$db2" vuln update "$url/kev.json" "$url/epss.csv.gz" >"$tmp/out" 2>"$tmp/err"; rc=$?
t "import from two URLs exits 0 ($rc)" [ $rc -eq 0 ]
t "URL sources: one summary line each, named by URL" \
	[ "$(grep -c "^kev: $url/kev.json: 1404 records\|^epss: $url/epss.csv.gz: 4 records" "$tmp/out")" = 2 ]
db_save=$db; db=$db2
t "vuln_sources records the URL as origin" [ "$(q "SELECT origin FROM vuln_sources WHERE kind='kev'")" = "$url/kev.json" ]
t "downloaded gzip hashed as served" [ "$(q "SELECT sha256 FROM vuln_sources WHERE kind='epss'")" = "$(sha256sum <"$tmp/www/epss.csv.gz" | cut -d' ' -f1)" ]
before=$(snapshot)
"$MAMORI" --db "$db2" vuln update "$url/kev.json" "$url/missing.json" >"$tmp/out" 2>"$tmp/err"; rc=$?
t "HTTP 404: exit 66 ($rc), reason named" [ $rc -eq 66 ] && grep -q "missing.json: the server answered HTTP 404; the database was not changed" "$tmp/err"
"$MAMORI" --db "$db2" vuln update "$url/cut.json" >"$tmp/out" 2>"$tmp/err"; rc=$?
t "truncated download: parse error ($rc)" [ $rc -eq 65 ] && grep -q "cut.json: .*the database was not changed" "$tmp/err"
kill "$http_pid" 2>/dev/null; wait "$http_pid" 2>/dev/null
"$MAMORI" --db "$db2" vuln update "$url/kev.json" >"$tmp/out" 2>"$tmp/err"; rc=$?
t "server gone: exit 66 ($rc)" [ $rc -eq 66 ] && grep -q "kev.json: .*[Cc]onnect" "$tmp/err"
t "after the failed downloads: tables unchanged" [ "$(snapshot)" = "$before" ]
t "no temporary files left behind" [ -z "$(ls -A "$TMPDIR")" ]
db=$db_save

tap_end
