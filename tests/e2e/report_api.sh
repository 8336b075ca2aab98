#!/bin/sh
# report_api.sh - the monthly report from the dashboard's API: GET
# /api/report?month=YYYY-MM&format=html is an HTML download for the
# session's tenant (the month, the company's name, its own computers and
# findings with their titles, never another tenant's), readable by a
# viewer; a bad month, format or lang is 400, no session 401.
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}"
. "$(dirname "$0")/tap.inc"
need curl python3 sqlite3
db="$tmp/m.db"
M() { "$MAMORI" --db "$db" "$@"; }
# The default tenant scans the weak host, acme the clean one, both in
# November 2026 (1795000000 = 2026-11-17 UTC).
M scan --root "$MAMORI_SRC/tests/fixtures/trees/weak-host" --now 1795000000 >/dev/null 2>&1
. "$(dirname "$0")/manager.inc"
manager_accounts
M scan --root "$MAMORI_SRC/tests/fixtures/trees/clean-host" --now 1795000000 >/dev/null 2>&1
sqlite3 "$db" "UPDATE hosts SET tenant_id = (SELECT id FROM tenants WHERE name = 'acme') WHERE hostname = 'office-pc-clean'"
manager_start
login olivia olivia-password-1 "$tmp/jar" >/dev/null
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
t "English on lang=en: 200" [ "$(R 'month=2026-11&lang=en')" = 200 ]
t "in English" grep -q '<title>Monthly security report November 2026' "$tmp/body"
t "a month without scans: 200" [ "$(R month=2026-09)" = 200 ]
t "with the no-data note, no computer" sh -c "grep -q 'class=\"note\"' '$tmp/body' && ! grep -q office-pc-weak '$tmp/body'"
for bad in 'month=2026-13' 'month=2026-1' 'month=26-11x' 'month=' '' 'month=2026-11&format=pdf' \
    'month=2026-11&lang=fr'; do
	t "bad query '$bad': 400" [ "$(R "$bad")" = 400 ]
done
login victor victor-password-1 "$tmp/jarv" >/dev/null
t "a viewer reads the report: 200" [ "$(code -b "$tmp/jarv" "$base/api/report?month=2026-11")" = 200 ]
t "the viewer's report names the computer" grep -q office-pc-weak "$tmp/body"
login bob bob-password-123 "$tmp/jarb" acme >/dev/null
t "acme's report: 200" [ "$(code -b "$tmp/jarb" "$base/api/report?month=2026-11")" = 200 ]
cp "$tmp/body" "$tmp/acme.html"
t "acme's report carries its company name and its own computer" sh -c "grep -q '<p class=\"sub\">acme ・ 作成日' '$tmp/acme.html' && grep -q office-pc-clean '$tmp/acme.html'"
t "acme's report has nothing of the default tenant" sh -c "! grep -q office-pc-weak '$tmp/acme.html'"
kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
t "server stops cleanly on SIGTERM" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || sed 's/^/# /' "$tmp/serve.err" | tail -40
tap_end
