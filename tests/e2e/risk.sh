#!/bin/sh
# risk.sh - the information asset ledger end to end: assets added, changed
# and deleted from the CLI and the API, computers pulled in from stored
# scans of fixture trees (a second import keeps the owner's ratings), risk
# values as IPA's sheet computes them, and the CSV export read back with
# Python's csv module (BOM, CRLF, formula cells neutralised), roles, CSRF
# and another tenant.
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}"
. "$(dirname "$0")/tap.inc"
need curl python3
db="$tmp/m.db"
M() { "$MAMORI" --db "$db" "$@"; }
. "$(dirname "$0")/manager.inc"

t "add an asset with personal data" [ "$(M risk add --name 顧客名簿 --category 営業 --owner 営業部 --location 社内サーバ --c 2 --i 2 --a 1 --personal --threat 3 --weakness 2 2>/dev/null)" = 1 ]
t "add one whose name and note are a formula and CSV syntax" [ "$(M risk add --name '=HYPERLINK("http://evil","x")' --note 'a,"b"
c' --c 1 --i 1 --a 1 --threat 1 --weakness 1 2>/dev/null)" = 2 ]
M risk list --json >"$tmp/l.json"
t "personal data: importance 3; threat 3 x weakness 2: likelihood 2; risk 6 (high)" json "$tmp/l.json" \
    "[(a['importance'], a['likelihood'], a['risk'], a['level']) for a in doc['assets']] == [(3, 2, 6, 'high'), (1, 1, 1, 'low')]"
t "one high risk not yet treated" json "$tmp/l.json" "doc['summary'] == {'count': 2, 'high': 1, 'medium': 0, 'low': 1, 'high_untreated': 1}"
M risk set 1 --treatment reduce --plan "アクセス権を営業部に限定" 2>/dev/null
M risk set 1 --weakness 1 2>/dev/null
M risk list --json >"$tmp/l2.json"
t "two changes of different fields both kept; weakness 1: risk 3" json "$tmp/l2.json" \
    "doc['assets'][0]['treatment'] == 'reduce' and doc['assets'][0]['plan'] and doc['assets'][0]['risk'] == 3"
M risk set 1 --c 4 2>/dev/null
t "a rating of 4 is a usage error" [ $? -eq 2 ]
M risk add --c 1 2>/dev/null
t "an asset without a name is a usage error" [ $? -eq 2 ]
M risk set 1 --treatment ignore 2>/dev/null
t "an unknown treatment is a usage error" [ $? -eq 2 ]
M risk set 42 --c 1 2>/dev/null
t "an unknown asset is 65" [ $? -eq 65 ]

M scan --root "$MAMORI_SRC/tests/fixtures/trees/weak-host" --now 1795564800 >/dev/null 2>&1
M scan --root "$MAMORI_SRC/tests/fixtures/trees/clean-host" --now 1795564900 >/dev/null 2>&1
M risk import 2>"$tmp/imp.err"
t "import adds the two scanned computers" grep -q "2 computers added, 0 refreshed" "$tmp/imp.err"
M risk list --json >"$tmp/l3.json"
t "inventory rows: weak host weakness 3 (score < 50), clean host better" json "$tmp/l3.json" \
    "sorted((a['name'], a['weakness']) for a in doc['assets'] if a['source'] == 'inventory')[0][1] in (1, 2) and max(a['weakness'] for a in doc['assets'] if a['source'] == 'inventory') == 3"
inv=$(python3 -c 'import json,sys; print([a["id"] for a in json.load(open(sys.argv[1]))["assets"] if a["source"] == "inventory"][0])' "$tmp/l3.json")
M risk set "$inv" --c 3 --owner 総務部 2>/dev/null
M risk import 2>"$tmp/imp2.err"
t "a second import refreshes, adds nothing" grep -q "0 computers added, 2 refreshed" "$tmp/imp2.err"
t "and keeps the owner's ratings" sh -c "'$MAMORI' --db '$db' risk list --json | python3 -c 'import json,sys; a=[a for a in json.load(sys.stdin)[\"assets\"] if a[\"id\"] == $inv][0]; sys.exit(0 if a[\"c\"] == 3 and a[\"owner\"] == \"総務部\" else 1)'"

M --lang ja risk export -o "$tmp/ledger.csv" 2>/dev/null
t "export writes a file" [ -s "$tmp/ledger.csv" ]
t "it starts with the UTF-8 byte-order mark" [ "$(head -c 3 "$tmp/ledger.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ]
t "every record ends in CRLF" python3 -c '
import sys
b = open(sys.argv[1], "rb").read()
assert b.endswith(b"\r\n") and b.count(b"\r\n") == 5, b.count(b"\r\n")' "$tmp/ledger.csv"
t "Python's csv reads it back: IPA's headers, the formula neutralised, quotes and line breaks kept" python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
assert rows[0][:4] == ["No", "業務分類", "情報資産名称", "備考"], rows[0]
assert rows[0][8:16] == ["機密性", "完全性", "可用性", "重要度", "脅威の起こりやすさ", "脆弱性のつけ込みやすさ", "被害発生可能性", "リスク値"], rows[0]
assert rows[2][2] == "'"'"'=HYPERLINK(\"http://evil\",\"x\")", rows[2][2]
assert rows[2][3] == "a,\"b\"\nc", rows[2][3]
assert rows[1][7] == "有" and rows[1][15] == "3" and rows[1][17].startswith("低減")
assert len(rows) == 5 and all(len(r) == 20 for r in rows)' "$tmp/ledger.csv"
M risk export -o /nonexistent/dir/x.csv 2>/dev/null
t "an unwritable output is 74" [ $? -eq 74 ]
M risk delete 2 2>/dev/null
t "delete" [ "$(M risk list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["count"])')" = 3 ]

manager_accounts
manager_start
csrf=$(login olivia olivia-password-1 "$tmp/jar")
P() { code -b "$tmp/jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' "$@"; }
t "the ledger without a session: 401" [ "$(code "$base/api/risk")" = 401 ]
t "the ledger 200" [ "$(code -b "$tmp/jar" "$base/api/risk")" = 200 ]
t "three assets with computed values and ja/en labels" json "$tmp/body" \
    "len(doc['assets']) == 3 and all(a['level_text']['ja'] and a['treatment_text']['en'] for a in doc['assets'])"
t "add without CSRF: 403" [ "$(code -b "$tmp/jar" -d '{"name":"見積書"}' "$base/api/risk")" = 403 ]
t "add: 201" [ "$(P -d '{"name":"見積書","c":2,"i":2,"a":1,"threat":2,"weakness":3}' "$base/api/risk")" = 201 ]
new=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$tmp/body")
t "the new asset: importance 2 x likelihood 2 = 4 (medium)" json "$tmp/body" \
    "[(a['risk'], a['level']) for a in doc['assets'] if a['id'] == $new] == [(4, 'medium')]"
t "change one field: 200" [ "$(P -d '{"treatment":"accept"}' "$base/api/risk/$new")" = 200 ]
t "a bad body changes nothing: 400" [ "$(P -d '{"treatment":"reduce","c":9}' "$base/api/risk/$new")" = 400 ]
t "the treatment is still accept" sh -c "curl -sk -b '$tmp/jar' '$base/api/risk' | python3 -c 'import json,sys; sys.exit(0 if [a[\"treatment\"] for a in json.load(sys.stdin)[\"assets\"] if a[\"id\"] == $new] == [\"accept\"] else 1)'"
t "an unknown field: 400" [ "$(P -d '{"colour":"red"}' "$base/api/risk/$new")" = 400 ]
t "import from the inventory: 200" [ "$(P -X POST "$base/api/risk-import")" = 200 ]
t "it refreshed the two computers" json "$tmp/body" "doc['added'] == 0 and doc['refreshed'] == 2"
t "CSV download 200" [ "$(code -b "$tmp/jar" -D "$tmp/h" "$base/api/risk.csv?lang=en")" = 200 ]
t "as text/csv" grep -qi '^content-type: text/csv; charset=utf-8' "$tmp/h"
t "with the BOM and English headers" python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
assert open(sys.argv[1], "rb").read(3) == b"\xef\xbb\xbf"
assert rows[0][2] == "Information asset" and len(rows) == 5' "$tmp/body"
t "a bad lang: 400" [ "$(code -b "$tmp/jar" "$base/api/risk.csv?lang=fr")" = 400 ]
t "delete: 200" [ "$(P -d '{"delete":true}' "$base/api/risk/$new")" = 200 ]
t "delete again: 404" [ "$(P -d '{"delete":true}' "$base/api/risk/$new")" = 404 ]
vcsrf=$(login victor victor-password-1 "$tmp/jarv")
t "a viewer reads the ledger and the CSV" [ "$(code -b "$tmp/jarv" "$base/api/risk.csv")" = 200 ]
t "a viewer cannot change it (403)" [ "$(code -b "$tmp/jarv" -H "X-CSRF-Token: $vcsrf" -d '{"c":1}' "$base/api/risk/1")" = 403 ]
bcsrf=$(login bob bob-password-123 "$tmp/jarb" acme)
t "another tenant's ledger is empty" json /dev/stdin "doc['assets'] == []" <<EOF2
$(C -b "$tmp/jarb" "$base/api/risk")
EOF2
t "another tenant changing our asset: 404" [ "$(code -b "$tmp/jarb" -H "X-CSRF-Token: $bcsrf" -d '{"c":1}' "$base/api/risk/1")" = 404 ]
kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
t "server stops cleanly on SIGTERM" [ "$rc" -eq 0 ]
tap_end
