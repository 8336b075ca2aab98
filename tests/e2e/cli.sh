#!/bin/sh
# cli.sh - the command line contract of mamori scan: exit codes, one-line
# usage errors, --json on stdout only, --lang, --fail-on, --db, storage of
# successive scans and the changes between them, bad configuration.
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}"
. "$(dirname "$0")/tap.inc"
fixture="$MAMORI_SRC/tests/fixtures/trees/weak-host"
db="$tmp/m.db"

"$MAMORI" scan --bogus >"$tmp/out" 2>"$tmp/err"; rc=$?
t "unknown option exits 2" [ $rc -eq 2 ]
t "usage error is one line on stderr" [ "$(wc -l <"$tmp/err")" -eq 1 ]
t "nothing on stdout on usage error" [ ! -s "$tmp/out" ]
"$MAMORI" frobnicate 2>/dev/null; t "unknown command exits 2" [ $? -eq 2 ]
"$MAMORI" scan --fail-on severe 2>/dev/null; t "bad --fail-on exits 2" [ $? -eq 2 ]
"$MAMORI" --lang fr scan 2>/dev/null; t "bad --lang exits 2" [ $? -eq 2 ]
"$MAMORI" --db "$tmp/none.db" scan --root "$tmp/none" --no-store 2>"$tmp/err"; rc=$?
t "missing --root is a clear error, not a crash ($rc)" [ $rc -eq 66 ] && grep -q "cannot scan" "$tmp/err"

# A --root that is not a filesystem tree: a warning, the scan still runs.
mkdir -p "$tmp/empty"
"$MAMORI" --db "$tmp/none.db" scan --root "$tmp/empty" --json --no-store >"$tmp/e.json" 2>/dev/null; rc=$?
t "empty --root scans with exit 0" [ $rc -eq 0 ]
t "empty --root is reported as a warning" json "$tmp/e.json" 'any(w["area"]=="root" for w in doc["warnings"])'

# JSON shape.
"$MAMORI" --db "$db" scan --root "$fixture" --json --now 1795564800 >"$tmp/1.json" 2>"$tmp/err"; rc=$?
t "fixture scan exits 0 without --fail-on" [ $rc -eq 0 ]
t "JSON has the documented sections" json "$tmp/1.json" \
	'all(k in doc for k in ("host","packages","listening","users","interfaces","findings","score"))'
t "every finding has id, kajo 1-5, severity, title, detail, action, evidence" json "$tmp/1.json" \
	'doc["findings"] and all(set(("id","kajo","severity","title","detail","action","evidence"))<=set(f) and 1<=f["kajo"]<=5 and f["severity"] in ("info","low","medium","high","critical") and f["title"] and f["action"] for f in doc["findings"])'
t "scores are 0-100" json "$tmp/1.json" \
	'0<=doc["score"]["overall"]<=100 and all(0<=doc["score"]["kajo"][k]<=100 for k in "1234") and doc["score"]["kajo"]["5"] is None'
t "no password hash leaks into the JSON" sh -c "! grep -q '\\\$6\\\$\|\\\$y\\\$\|\\\$1\\\$' '$tmp/1.json'"
t "first stored scan has no changes" json "$tmp/1.json" 'doc["changes"] is None and doc["scan"]["id"]==1'

# --fail-on
"$MAMORI" --db "$tmp/none.db" scan --root "$fixture" --no-store --fail-on high --now 1795564800 >/dev/null 2>&1
t "--fail-on high exits 1 on the weak host" [ $? -eq 1 ]
"$MAMORI" --db "$tmp/none.db" scan --root "$MAMORI_SRC/tests/fixtures/trees/clean-host" --no-store --fail-on low --now 1795564800 >"$tmp/clean.txt" 2>&1; rc=$?
t "--fail-on low exits 0 on the clean host ($rc)" [ $rc -eq 0 ]

# Language.
LANG=ja_JP.UTF-8 "$MAMORI" --db "$tmp/none.db" scan --root "$fixture" --no-store --now 1795564800 >"$tmp/ja.txt" 2>&1
t "LANG=ja_JP gives the Japanese report" grep -q "総合スコア" "$tmp/ja.txt"
LANG=ja_JP.UTF-8 "$MAMORI" --db "$tmp/none.db" --lang en scan --root "$fixture" --no-store --now 1795564800 >"$tmp/en.txt" 2>&1
t "--lang en overrides LANG" grep -q "Overall score" "$tmp/en.txt"
"$MAMORI" --db "$tmp/none.db" --lang ja scan --root "$fixture" --no-store --json --now 1795564800 >"$tmp/ja.json" 2>&1
t "--lang ja gives Japanese finding text in JSON" json "$tmp/ja.json" \
	'doc["findings"] and all(any(ord(ch)>0x3000 for ch in f["title"]+f["action"]) for f in doc["findings"])'

# Storage: a second scan of a changed tree reports what changed.
cp -a "$fixture" "$tmp/host"
python3 - "$tmp/host" <<'PY'
import sys, os
root = sys.argv[1]
with open(os.path.join(root, "var/lib/dpkg/status"), "a") as f:
    f.write("\nPackage: netcat-traditional\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.10-47\n")
with open(os.path.join(root, "etc/passwd"), "a") as f:
    f.write("intruder:x:0:0::/root:/bin/bash\n")
PY
"$MAMORI" --db "$db" scan --root "$tmp/host" --json --now 1795564900 >"$tmp/2.json" 2>/dev/null
t "second scan knows the previous one" json "$tmp/2.json" 'doc["scan"]["previous_id"]==1'
t "new software is reported" json "$tmp/2.json" \
	'any(p["name"]=="netcat-traditional" for p in (doc["changes"] or {}).get("packages_added",[]))'
t "new administrator is reported" json "$tmp/2.json" \
	'any(a["user"]=="intruder" for a in (doc["changes"] or {}).get("admins_added",[]))'
t "the database holds both scans" [ "$(sqlite3 "$db" 'select count(*) from scans')" = 2 ]

# Bad database and bad configuration: clear errors, non-zero exits.
printf 'not a database at all, just some text of sufficient length ..............\n' >"$tmp/bad.db"
"$MAMORI" --db "$tmp/bad.db" scan --root "$fixture" >/dev/null 2>"$tmp/err"; rc=$?
t "a file that is not a database is refused ($rc)" [ $rc -eq 73 ] && grep -q "database" "$tmp/err"
printf 'scan:\n  password_check_ms: [\n' >"$tmp/bad.yaml"
"$MAMORI" --config "$tmp/bad.yaml" scan --no-store >/dev/null 2>"$tmp/err"; rc=$?
t "broken configuration exits 78 with file:line" [ $rc -eq 78 ] && grep -q "bad.yaml:" "$tmp/err"
printf 'scan:\n  password_check_ms: 100\n' >"$tmp/good.yaml"
"$MAMORI" --config "$tmp/good.yaml" config >"$tmp/conf.txt"
t "config file values are used" grep -q "scan.password_check_ms: 100$" "$tmp/conf.txt"

tap_end
