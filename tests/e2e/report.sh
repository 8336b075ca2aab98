#!/bin/sh
# report.sh - mamori report: the monthly report from stored scans, as HTML
# (self-contained, escaped) and as PDF (rendered with pdftoppm, Japanese
# text checked with pdftotext); problems fixed during the month; alerts,
# vulnerabilities opened (KEV first) and closed, new devices; a month
# without data; bad arguments; an output that cannot be written.
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}"
. "$(dirname "$0")/tap.inc"
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
db="$tmp/m.db"
# A copy of the weak host that gets fixed during November.
cp -a "$MAMORI_SRC/tests/fixtures/trees/weak-host" "$tmp/host"
S() { "$MAMORI" --db "$db" scan --root "$tmp/host" --now "$1" >/dev/null 2>&1; }
S 1791072000   # 2026-10-04: the baseline before the month
S 1793577600   # 2026-11-02
sed -i 's/^PermitRootLogin yes/PermitRootLogin no/' "$tmp/host/etc/ssh/sshd_config"
S 1794268800   # 2026-11-10: root login over SSH fixed
S 1795132800   # 2026-11-20
R() { "$MAMORI" report --db "$db" --now 1795564800 "$@"; }

# What was detected: an alert of November, stored as the engines print it.
printf '%s\n' '{"@timestamp":"2026-11-12T03:00:00Z","event.kind":"alert","severity":"high","rule.id":"test.smb_bruteforce","rule.name":"smb brute force","host.name":"office-pc-weak","message":"many failed logins","mamori.text":{"en":{"what":"Many failed logins to the file server"},"ja":{"what":"ファイルサーバーへのログイン失敗が多発しています"}}}' |
	"$MAMORI" --db "$db" alerts import --source logs >/dev/null 2>&1
# Vulnerabilities opened and closed: glibc fixed in October's scan comes
# back in November's (CVE-2023-4911, KEV), curl gets fixed (CVE-2024-2398).
fx="$MAMORI_SRC/tests/fixtures/vuln"
"$MAMORI" --db "$db" vuln update "$fx/data/tracker.json" "$fx/data/kev.json" "$fx/data/epss.csv" >/dev/null 2>&1
cp -a "$fx/bookworm-host" "$tmp/vhost"
sed -i 's/2.36-9+deb12u1/2.36-9+deb12u3/' "$tmp/vhost/var/lib/dpkg/status"
"$MAMORI" --db "$db" vuln scan --root "$tmp/vhost" --now 1791072000 >/dev/null 2>&1
sed -i -e 's/2.36-9+deb12u3/2.36-9+deb12u1/' -e 's/7.88.1-10+deb12u5/7.88.1-10+deb12u6/' "$tmp/vhost/var/lib/dpkg/status"
"$MAMORI" --db "$db" vuln scan --root "$tmp/vhost" --now 1794268800 >/dev/null 2>&1

R --month 2026-11 --lang ja -o "$tmp/r.html" 2>"$tmp/err"; rc=$?
t "HTML report exits 0 ($rc)" [ $rc -eq 0 -a -s "$tmp/r.html" ]
t "HTML has the sections" sh -c "grep -q '月次セキュリティレポート 2026年11月' '$tmp/r.html' && grep -q '今月のまとめ' '$tmp/r.html' && grep -q '情報セキュリティ5か条' '$tmp/r.html' && grep -q '来月の優先対応' '$tmp/r.html' && grep -q '自社診断' '$tmp/r.html'"
t "HTML is self-contained: no scripts, no external resources" sh -c "! grep -Eiq '<script|src=|href=|@import|url\\(' '$tmp/r.html'"
t "the fixed SSH root login shows as fixed" python3 -c '
import re,sys
h=open(sys.argv[1]).read()
rows=re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td>", h)
sys.exit(0 if any(r[0]=="解決" and "SSH" in r[2] for r in rows) and not any(r[0]=="継続" and "root" in r[2] for r in rows) else 1)' "$tmp/r.html"
t "score trend has one bar per scan day" sh -c "[ \$(grep -c '<rect' '$tmp/r.html') -eq 3 ]"
t "weather summary and previous-month comparison" sh -c "grep -q '先月末のスコア' '$tmp/r.html'"
t "detected: the alert's Japanese title, its computer and severity" python3 -c '
import re,sys
h=open(sys.argv[1]).read()
assert "検知したこと・対応したこと" in h and "今月の警告は 1 件" in h
rows=re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", h)
assert ("高", "ファイルサーバーへのログイン失敗が多発しています", "office-pc-weak", "2026-11-12", "未対応") in rows, rows
' "$tmp/r.html"
t "vulnerabilities: the KEV CVE opened first, the curl one closed" python3 -c '
import re,sys
h=open(sys.argv[1]).read()
assert "脆弱性（新たに見つかったもの・解消したもの）" in h
rows=re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>(CVE-[^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", h)
assert rows[0][1:4] == ("新規", "CVE-2023-4911", "glibc") and rows[0][4] != "-", rows
assert any(r[1:4] == ("解消", "CVE-2024-2398", "curl") for r in rows), rows
assert "新たに見つかった脆弱性 1 件（うち悪用が確認されているもの 1 件）、解消した脆弱性 1 件" in h
' "$tmp/r.html"
t "no device seen: the new-devices section says so" sh -c "grep -q '新しい機器' '$tmp/r.html' && grep -q '今月ネットワークセンサーが新しく見つけた機器はありませんでした' '$tmp/r.html'"

R --month 2026-11 --lang en -o "$tmp/r.pdf" 2>"$tmp/err"; rc=$?
t "PDF (English) exits 0 ($rc)" [ $rc -eq 0 ]
t "PDF is a PDF" sh -c "head -c 5 '$tmp/r.pdf' | grep -q '%PDF-'"
R --month 2026-11 --lang ja --format pdf -o "$tmp/ja.out" 2>"$tmp/err"; rc=$?
t "PDF (Japanese, --format pdf) exits 0 ($rc)" [ $rc -eq 0 ]
if command -v pdftotext >/dev/null 2>&1; then
	pdftotext "$tmp/ja.out" "$tmp/ja.txt"
	t "pdftotext finds the Japanese title" grep -q '月次セキュリティレポート 2026年11月' "$tmp/ja.txt"
	t "pdftotext finds the Japanese section headings" sh -c "grep -q '検出した問題と対応状況' '$tmp/ja.txt' && grep -q '来月の優先対応' '$tmp/ja.txt'"
	t "pdftotext finds the alert, the CVE and the new sections" sh -c "grep -q '検知したこと・対応したこと' '$tmp/ja.txt' && grep -q 'ファイルサーバーへのログイン失敗' '$tmp/ja.txt' && grep -q 'CVE-2023-4911' '$tmp/ja.txt' && grep -q '新しい機器' '$tmp/ja.txt'"
	pdftoppm -r 40 -png "$tmp/ja.out" "$tmp/page"
	t "pdftoppm renders the pages" sh -c "ls '$tmp'/page*.png >/dev/null 2>&1 && [ \$(wc -c <\$(ls '$tmp'/page*.png | head -1)) -gt 1000 ]"
	pdftotext "$tmp/r.pdf" "$tmp/en.txt"
	t "English PDF text" grep -q 'Monthly security report November 2026' "$tmp/en.txt"
else
	for x in 1 2 3 4 5; do n=$((n + 1)); echo "ok $n # SKIP poppler-utils not installed"; done
fi

# An incident opened from the alert shows in the month it was opened (the
# CLI stamps it with the clock, so the month comes from the record).
iid=$("$MAMORI" --db "$db" incident open --kind other --alert 1 2>/dev/null)
imonth=$("$MAMORI" --db "$db" incident show "$iid" --json 2>/dev/null | python3 -c '
import json, sys, time
print(time.strftime("%Y-%m", time.gmtime(json.load(sys.stdin)["opened_at"])))')
R --month "$imonth" --lang en -o "$tmp/inc.html" 2>/dev/null
t "the month's incident, opened and not closed" python3 -c '
import re, sys
h = open(sys.argv[1]).read()
assert "1 incident(s) opened or closed this month" in h, h
rows = re.findall(r"<tr><td>([^<]*)</td><td>Other incident</td><td>([^<]*)</td><td>-</td><td>open: being handled</td></tr>", h)
assert len(rows) == 1 and "failed logins" in rows[0][0], rows
' "$tmp/inc.html"

# A month without data: a valid report that says so, exit 0 and a note.
R --month 2025-01 --lang en -o "$tmp/empty.html" 2>"$tmp/err"; rc=$?
t "month without data exits 0 with a note ($rc)" sh -c "[ $rc -eq 0 ] && grep -q 'no stored scans' '$tmp/err'"
t "the report says there is no data" grep -q 'No scan is stored for January 2025' "$tmp/empty.html"
t "an empty month says there were no alerts" grep -q 'There were no alerts this month' "$tmp/empty.html"
R --month 2025-01 --lang ja -o "$tmp/empty-ja.html" 2>/dev/null
t "... in Japanese too" grep -q '今月は警告はありませんでした' "$tmp/empty-ja.html"
R --month 2025-01 -o "$tmp/empty.pdf" 2>/dev/null; rc=$?
t "empty month PDF is a PDF ($rc)" sh -c "[ $rc -eq 0 ] && head -c 5 '$tmp/empty.pdf' | grep -q '%PDF-'"

# Bad arguments.
R --month 2026-13 -o "$tmp/x.html" 2>"$tmp/err"; rc=$?
t "--month 2026-13 is a usage error ($rc)" [ $rc -eq 2 -a "$(wc -l <"$tmp/err")" -eq 1 ]
R --month 2026-11 2>/dev/null; t "-o is required" [ $? -eq 2 ]
R -o "$tmp/x.html" 2>/dev/null; t "--month is required" [ $? -eq 2 ]
R --month 2026-11 --format docx -o "$tmp/x" 2>/dev/null; t "--format docx is refused" [ $? -eq 2 ]
R --month 2026-11 --format pdf -o - 2>/dev/null; t "PDF to stdout is refused" [ $? -eq 2 ]
R --month 2026-11 -o - >"$tmp/stdout.html"; t "HTML to stdout" grep -q '</html>' "$tmp/stdout.html"
R --month 2026-11 -o - >/dev/full 2>"$tmp/err"; rc=$?
t "HTML to a full stdout: exit 73, the reason said ($rc)" sh -c \
    "[ $rc -eq 73 ] && grep -q 'cannot write to standard output: No space left' '$tmp/err'"

# An output directory that cannot be written: clear error, nothing left.
mkdir "$tmp/ro" && chmod 0555 "$tmp/ro"
if [ "$(id -u)" -eq 0 ]; then
	# root writes anyway; use a path below a file instead.
	: >"$tmp/file"
	out="$tmp/file/r.pdf"
else
	out="$tmp/ro/r.pdf"
fi
R --month 2026-11 -o "$out" 2>"$tmp/err"; rc=$?
t "unwritable output: exit 73 with a message ($rc)" sh -c "[ $rc -eq 73 ] && grep -q 'cannot create' '$tmp/err'"
t "no partial file is left" sh -c "! ls '$tmp'/ro/* '$tmp'/*.tmp* 2>/dev/null | grep -q ."

tap_end
