#!/bin/sh
# report_api.sh - the monthly report from the dashboard's API: GET
# /api/report?month=YYYY-MM&format=html|pdf is an HTML or PDF download for
# the session's tenant (the month, the company's name, its own computers and
# findings with their titles, never another tenant's), readable by a
# viewer; the PDF has the text of `mamori report`'s PDF (pdftotext) and
# renders (pdftoppm); a bad month, a month far from the stored data, a bad
# format or lang is 400, no session 401; a month without scans is a valid
# PDF that says so; parallel PDFs are each a PDF or 503 "busy"; without
# the PDF module the answer is 503 naming it, in Japanese and English. New
# devices of the month are the tenant's own.
# GET /api/report/months lists the tenant's months with scans.
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}"
. "$(dirname "$0")/tap.inc"
need curl python3 sqlite3 pdftotext pdftoppm
db="$tmp/m.db"
M() { "$MAMORI" --db "$db" "$@"; }
# The default tenant scans the weak host, acme the clean one, both in
# November 2026 (1795000000 = 2026-11-17 UTC).
M scan --root "$MAMORI_SRC/tests/fixtures/trees/weak-host" --now 1795000000 >/dev/null 2>&1
. "$(dirname "$0")/manager.inc"
manager_accounts
M scan --root "$MAMORI_SRC/tests/fixtures/trees/clean-host" --now 1795000000 >/dev/null 2>&1
# acme also scanned in October (1792000000 = 2026-10-13 UTC).
M scan --root "$MAMORI_SRC/tests/fixtures/trees/clean-host" --now 1792000000 >/dev/null 2>&1
sqlite3 "$db" "UPDATE hosts SET tenant_id = (SELECT id FROM tenants WHERE name = 'acme') WHERE hostname = 'office-pc-clean'"
# Devices the sensor saw (as eve_intake stores them): a printer of the
# default tenant in November, acme's camera, and one seen before November.
sqlite3 "$db" "INSERT INTO net_assets (tenant_id, mac, vendor, ip, hostname, first_seen, last_seen) VALUES
 (1, '00:80:92:aa:bb:01', 'Silex Technology', '192.168.10.31', 'office-printer', 1794300000000, 1795000000000),
 ((SELECT id FROM tenants WHERE name = 'acme'), '00:80:92:aa:bb:02', 'Acme Cam', '192.168.20.5', 'acme-camera', 1794300000000, 1795000000000),
 (1, '00:80:92:aa:bb:03', 'Old Router', '192.168.10.1', 'old-router', 1790000000000, 1795000000000)"
manager_start
login olivia olivia-password-1 "$tmp/jar" >/dev/null
login victor victor-password-1 "$tmp/jarv" >/dev/null
login bob bob-password-123 "$tmp/jarb" acme >/dev/null
R() { code -D "$tmp/h" -b "$tmp/jar" "$base/api/report?$1"; }

t "without a session: 401" [ "$(code "$base/api/report?month=2026-11")" = 401 ]
t "November's report: 200" [ "$(R 'month=2026-11&format=html')" = 200 ]
cp "$tmp/body" "$tmp/nov.html"
t "as text/html" grep -qi '^content-type: text/html; charset=utf-8' "$tmp/h"
t "a download named for the month" grep -qi '^content-disposition: attachment; filename="mamori-report-2026-11.html"' "$tmp/h"
t "Japanese by default, for November 2026" grep -q '<title>月次セキュリティレポート 2026年11月' "$tmp/nov.html"
t "without company.name, no company line for the default tenant" sh -c "grep -q '<p class=\"sub\">作成日' '$tmp/nov.html'"
t "the tenant's computer and a score" sh -c "grep -q office-pc-weak '$tmp/nov.html' && grep -q 'class=\"score\"' '$tmp/nov.html'"
# Titles come from the stored findings' text in the report's language (the
# scan was stored in English), as the CLI's check table gives them.
M --lang ja report --month 2026-11 -o "$tmp/cli.html" --now 1796456000 2>/dev/null
code -b "$tmp/jar" "$base/api/report?month=2026-11&lang=ja" >/dev/null
t "the same problem titles as mamori report" python3 -c '
import re, sys
def rows(p):
    s = open(p, encoding="utf-8").read()
    return sorted(re.findall(r"<tr><td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td>", s))
a, b = rows(sys.argv[1]), rows(sys.argv[2])
sys.exit(0 if a and a == b else 1)' "$tmp/body" "$tmp/cli.html"
t "another tenant's computer is not in it" sh -c "! grep -q office-pc-clean '$tmp/nov.html'"
t "new devices: the tenant's printer seen in November, not acme's, not an older one" sh -c "grep -q '新しい機器' '$tmp/nov.html' && grep -q '<td>Silex Technology</td><td>office-printer</td><td>192.168.10.31</td><td>00:80:92:aa:bb:01</td>' '$tmp/nov.html' && ! grep -q 'acme-camera' '$tmp/nov.html' && ! grep -q 'old-router' '$tmp/nov.html' && grep -q '今月新しく見つかった機器は 1 台です' '$tmp/nov.html'"
t "English on lang=en: 200" [ "$(R 'month=2026-11&lang=en')" = 200 ]
t "in English" grep -q '<title>Monthly security report November 2026' "$tmp/body"
t "a month without scans: 200" [ "$(R month=2026-09)" = 200 ]
t "with the no-data note, no computer" sh -c "grep -q 'class=\"note\"' '$tmp/body' && ! grep -q office-pc-weak '$tmp/body'"
for bad in 'month=2026-13' 'month=2026-1' 'month=26-11x' 'month=' '' 'month=2026-11&format=docx' \
    'month=2026-11&lang=fr' 'month=2026-13&format=pdf' 'month=0000-00&format=pdf'; do
	t "bad query '$bad': 400" [ "$(R "$bad")" = 400 ]
done

# PDF. A render takes seconds under the sanitizers: curl waits longer.
P() { code --max-time 300 -D "$tmp/h" -b "${2:-$tmp/jar}" "$base/api/report?$1"; }
starts() { case "$1" in "$2"*) return 0 ;; esac; return 1; }
J() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$tmp/body" "$1"; }
t "PDF without a session: 401" [ "$(code "$base/api/report?month=2026-11&format=pdf")" = 401 ]
t "November's PDF: 200" [ "$(P 'month=2026-11&format=pdf')" = 200 ]
cp "$tmp/body" "$tmp/nov.pdf"
t "as application/pdf" grep -qi '^content-type: application/pdf' "$tmp/h"
t "a PDF download named for the month" grep -qi '^content-disposition: attachment; filename="mamori-report-2026-11.pdf"' "$tmp/h"
t "a whole PDF (%PDF- to %%EOF)" sh -c "head -c 5 '$tmp/nov.pdf' | grep -q '%PDF-' && tail -c 8 '$tmp/nov.pdf' | grep -q '%%EOF'"
pdftotext -layout "$tmp/nov.pdf" "$tmp/nov.txt" 2>"$tmp/pdf.err"
t "pdftotext reads it without complaint" [ ! -s "$tmp/pdf.err" ]
t "Japanese by default: the title for November 2026" grep -q '月次セキュリティレポート 2026年11月' "$tmp/nov.txt"
t "the tenant's computer is in it, another tenant's is not" sh -c "grep -q office-pc-weak '$tmp/nov.txt' && ! grep -q office-pc-clean '$tmp/nov.txt'"
M --lang ja report --month 2026-11 -o "$tmp/cli.pdf" 2>/dev/null
pdftotext -layout "$tmp/cli.pdf" "$tmp/cli.txt"
t "the same text as mamori report's PDF (but the date made)" sh -c "
	grep -v '作成日' '$tmp/nov.txt' >'$tmp/a.txt'; grep -v '作成日' '$tmp/cli.txt' >'$tmp/b.txt'
	[ -s '$tmp/a.txt' ] && cmp -s '$tmp/a.txt' '$tmp/b.txt'"
pdftoppm -r 40 -png -f 1 -l 1 -singlefile "$tmp/nov.pdf" "$tmp/nov-1"
t "pdftoppm renders page 1" sh -c "[ \$(wc -c <'$tmp/nov-1.png') -gt 5000 ]"
t "English PDF on lang=en: 200" [ "$(P 'month=2026-11&format=pdf&lang=en')" = 200 ]
t "in English" sh -c "pdftotext '$tmp/body' - | grep -q 'Monthly security report November 2026'"
t "a month without scans: 200" [ "$(P 'month=2026-09&format=pdf')" = 200 ]
pdftotext "$tmp/body" "$tmp/empty.txt" 2>"$tmp/pdf.err"
t "a valid PDF that says there is no scan, with no computer" sh -c "[ ! -s '$tmp/pdf.err' ] &&
	tr -d '\n' <'$tmp/empty.txt' | grep -q '2026年9月に保存されたスキャン結果がない' && ! grep -q office-pc '$tmp/empty.txt'"
t "a viewer downloads the PDF: 200" [ "$(P 'month=2026-11&format=pdf' "$tmp/jarv")" = 200 ]
t "the viewer's PDF names the computer" sh -c "pdftotext '$tmp/body' - | grep -q office-pc-weak"
t "acme's PDF: 200" [ "$(P 'month=2026-11&format=pdf' "$tmp/jarb")" = 200 ]
t "acme's PDF has its computer and nothing of the default tenant" sh -c "pdftotext '$tmp/body' - >'$tmp/acme.txt' &&
	grep -q office-pc-clean '$tmp/acme.txt' && grep -q acme '$tmp/acme.txt' && ! grep -q office-pc-weak '$tmp/acme.txt'"
# Months far from the stored data: more than 12 months before the first
# scan (2026-10 for acme, 2026-11 here) or after this month.
t "a month long before the data: 400" [ "$(P 'month=2020-01&format=pdf')" = 400 ]
msg=$(J 'd["error"] + " " + d["message"]')
t "with a Japanese message giving the months that can be reported" starts "$msg" 'bad_month 2020年01月のレポートは作れません。対象は 2025-11 から'

t "a month in the future: 400" [ "$(P 'month=2099-01&format=pdf&lang=en')" = 400 ]
msg=$(J 'd["message"]')
t "with the English message on lang=en" starts "$msg" 'No report for 2099-01: reports cover 2025-11 to '
t "acme may ask from 12 months before its first scan: 2025-10 is 200" [ "$(P 'month=2025-10' "$tmp/jarb")" = 200 ]
t "and 2025-09 is 400" [ "$(P 'month=2025-09' "$tmp/jarb")" = 400 ]
t "the default tenant may not ask for 2025-10: 400" [ "$(P 'month=2025-10')" = 400 ]

# The month picker's list, per tenant, newest first.
t "months: 200" [ "$(code -b "$tmp/jarv" "$base/api/report/months")" = 200 ]
t "the default tenant's months: November 2026, 1 scan of 1 computer" [ "$(J '[(m["month"], m["scans"], m["hosts"]) for m in d["months"]]')" = "[('2026-11', 1, 1)]" ]
t "with the range a report may be asked for" [ "$(J 'd["from"]')" = 2025-11 ]
code -b "$tmp/jarb" "$base/api/report/months" >/dev/null
t "acme's months: November, then October" [ "$(J '[m["month"] for m in d["months"]]')" = "['2026-11', '2026-10']" ]
t "months without a session: 401" [ "$(code "$base/api/report/months")" = 401 ]

# PDFs asked for at once: each is a whole PDF or 503 "busy" with
# Retry-After, never a broken one; the server answers other calls meanwhile.
pids=
for i in 1 2 3 4 5; do
	C --max-time 300 -D "$tmp/ph$i" -o "$tmp/p$i.pdf" -w '%{http_code}' -b "$tmp/jar" \
	    "$base/api/report?month=2026-11&format=pdf" >"$tmp/pc$i" &
	pids="$pids $!"
done
t "other calls are answered while PDFs render" [ "$(code -b "$tmp/jar" "$base/api/hosts")" = 200 ]
# shellcheck disable=SC2086
wait $pids
t "five PDFs at once: each 200 with a PDF or 503 busy with Retry-After" sh -c "
	ok=0
	for i in 1 2 3 4 5; do
		c=\$(cat '$tmp/pc'\$i)
		if [ \"\$c\" = 200 ]; then pdftotext '$tmp/p'\$i.pdf - 2>/dev/null | grep -q office-pc-weak && ok=\$((ok + 1)) || exit 1
		elif [ \"\$c\" = 503 ]; then grep -qi '^retry-after: 5' '$tmp/ph'\$i && grep -q '\"busy\"' '$tmp/p'\$i.pdf || exit 1
		else exit 1; fi
	done
	[ \$ok -ge 1 ]"
t "a viewer reads the report: 200" [ "$(code -b "$tmp/jarv" "$base/api/report?month=2026-11")" = 200 ]
t "the viewer's report names the computer" grep -q office-pc-weak "$tmp/body"
t "acme's report: 200" [ "$(code -b "$tmp/jarb" "$base/api/report?month=2026-11")" = 200 ]
cp "$tmp/body" "$tmp/acme.html"
t "acme's report carries its company name and its own computer" sh -c "grep -q '<p class=\"sub\">acme ・ 作成日' '$tmp/acme.html' && grep -q office-pc-clean '$tmp/acme.html'"
t "acme's report has nothing of the default tenant" sh -c "! grep -q office-pc-weak '$tmp/acme.html'"
kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
t "server stops cleanly on SIGTERM" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || sed 's/^/# /' "$tmp/serve.err" | tail -40

# Without the PDF module: a copy of the binary in a directory of its own
# (the module is looked for beside it, then in the install directory).
mkdir "$tmp/bin" && cp "$MAMORI" "$tmp/bin/mamori"
MAMORI="$tmp/bin/mamori" manager_start
login olivia olivia-password-1 "$tmp/jar" >/dev/null
P 'month=2026-11&format=pdf' >"$tmp/code"
installed=$(J 'd.get("text", {}).get("en", "")' 2>/dev/null | sed -n 's/.*mamori-pdf.so in \([^ ]*\) .*/\1/p')
if [ "$(cat "$tmp/code")" = 200 ] || [ -e "$installed/mamori-pdf.so" ]; then
	skip "the PDF module is installed on this machine"
else
	t "no PDF module: 503, not 500" [ "$(cat "$tmp/code")" = 503 ]
	J 'd["error"]' >"$tmp/why"; J 'd["message"]' >>"$tmp/why"; J 'd["text"]["en"]' >>"$tmp/why"
	t "saying which module and packages to install, in Japanese and English" sh -c "
		grep -qx pdf_unavailable '$tmp/why' && grep -q '^PDF レポートには mamori の PDF モジュール mamori-pdf.so' '$tmp/why' &&
		grep -q 'mamori-pdf.so in .*apt-get install libpangocairo-1.0-0 fonts-noto-cjk' '$tmp/why'"
	t "the HTML report still works: 200" [ "$(R 'month=2026-11')" = 200 ]
fi
kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
t "that server stops cleanly too" [ "$rc" -eq 0 ]
tap_end
