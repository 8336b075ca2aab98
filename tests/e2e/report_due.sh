#!/bin/sh
# report_due.sh - the monthly report on a schedule: `mamori report --due
# DIR` writes last month's report once (Japanese, with the scanned
# computer), a second run leaves it alone, a month without scans still
# gives a valid report, another tenant's report goes into its own
# directory with only its computers, and an unwritable directory is an error.
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}"
. "$(dirname "$0")/tap.inc"
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
# A second company: its computer's scans are its own, its report goes into out/acme.
printf 'bob-password-123\n' | M user add bob --role admin --tenant acme 2>/dev/null
M scan --root "$MAMORI_SRC/tests/fixtures/trees/weak-host" --now 1795000000 >/dev/null 2>&1  # 2026-11-17
sqlite3 "$db" "UPDATE hosts SET tenant_id = (SELECT id FROM tenants WHERE name = 'acme') WHERE hostname = 'office-pc-weak'"
M --lang ja report --due "$tmp/out" --now 1796456000 2>"$tmp/e3"
t "the default tenant's November report is already there" grep -q "mamori-report-2026-11.html already there" "$tmp/e3"
t "the other tenant's November report is written into out/acme" grep -q "out/acme/mamori-report-2026-11.html written" "$tmp/e3"
t "it names the other tenant's computer and the tenant" sh -c "grep -q office-pc-weak '$tmp/out/acme/mamori-report-2026-11.html' && grep -q acme '$tmp/out/acme/mamori-report-2026-11.html'"
t "the default tenant's reports never name it" sh -c "! grep -q office-pc-weak '$tmp/out/mamori-report-2026-11.html'"
printf 'eve-password-1234\n' | M user add eve --role admin --tenant '../evil co' 2>/dev/null
M report --due "$tmp/out" --now 1796456000 2>"$tmp/e4"
t "a tenant whose name is no safe file name gets tenant-ID, inside the directory" sh -c "grep -q 'out/tenant-3/mamori-report-2026-11.html written' '$tmp/e4' && [ ! -e '$tmp/evil co' ]"
M report --tenant acme --month 2026-11 -o "$tmp/acme.html" --now 1796456000 2>/dev/null
t "on demand: report --tenant acme" grep -q office-pc-weak "$tmp/acme.html"
M report --month 2026-11 -o "$tmp/default.html" --now 1796456000 2>/dev/null
t "on demand without --tenant: the default tenant's, without acme's computer" sh -c "[ -s '$tmp/default.html' ] && ! grep -q office-pc-weak '$tmp/default.html'"
M report --tenant nosuch --month 2026-11 -o "$tmp/x.html" 2>/dev/null
t "an unknown tenant is a usage error" [ $? -eq 2 ]
M report --due /nonexistent/dir --now 1796456000 2>/dev/null
t "an unwritable directory is 73" [ $? -eq 73 ]
M report --due "$tmp/out" --month 2026-10 2>/dev/null
t "--due with --month is a usage error" [ $? -eq 2 ]
tap_end
