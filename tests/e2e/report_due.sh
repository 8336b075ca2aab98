#!/bin/sh
# report_due.sh - the monthly report on a schedule: `mamori report --due
# DIR` writes last month's report once (Japanese, with the scanned
# computer), a second run leaves it alone, a month without scans still
# gives a valid report, and an unwritable directory is an error.
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 fail=0
t() { # description, then a command that must succeed
	n=$((n + 1)); d=$1; shift
	if "$@"; then echo "ok $n - $d"; else echo "not ok $n - $d"; fail=$((fail + 1)); fi
}
db="$tmp/m.db"
M() { "$MAMORI" --db "$db" "$@"; }
M scan --root "$MAMORI_SRC/tests/fixtures/trees/clean-host" --now 1793000000 >/dev/null 2>&1  # 2026-10-25
mkdir "$tmp/out"
M --lang ja report --due "$tmp/out" --now 1794000000 2>"$tmp/e1"                              # 2026-11-05
t "the first run exits 0" [ $? -eq 0 ]
t "it wrote October's report" grep -q "mamori-report-2026-10.html written" "$tmp/e1"
t "in Japanese, for October 2026" grep -q "<title>月次セキュリティレポート 2026年10月" "$tmp/out/mamori-report-2026-10.html"
t "naming the scanned computer" grep -q "office-pc-clean" "$tmp/out/mamori-report-2026-10.html"
before=$(cksum <"$tmp/out/mamori-report-2026-10.html")
M report --due "$tmp/out" --now 1794003600 2>"$tmp/e2"
t "a second run the same month leaves it" sh -c "grep -q 'already there' '$tmp/e2' && [ \"\$(cksum <'$tmp/out/mamori-report-2026-10.html')\" = '$before' ]"
M report --due "$tmp/out" --now 1796456000 2>/dev/null                                         # 2026-12-05
t "next month: November's report, though no scan was stored in it" [ -s "$tmp/out/mamori-report-2026-11.html" ]
t "no temporary files left" [ "$(ls "$tmp/out" | wc -l)" -eq 2 ]
M report --due /nonexistent/dir --now 1796456000 2>/dev/null
t "an unwritable directory is 73" [ $? -eq 73 ]
M report --due "$tmp/out" --month 2026-10 2>/dev/null
t "--due with --month is a usage error" [ $? -eq 2 ]
echo "1..$n"
[ $fail -eq 0 ]
