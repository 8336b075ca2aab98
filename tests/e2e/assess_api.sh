#!/bin/sh
# assess_api.sh - the self-assessment and SECURITY ACTION through the API:
# evidence from stored scans of fixture trees, item 24 from the incident
# contacts, answers saved with history, bad answers refused with nothing
# saved, the policy draft downloaded (HTML and Markdown, 宣言 never 認定),
# its publication making ★★ depend only on the assessment, roles, CSRF and
# another tenant that sees none of it.
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}"
. "$(dirname "$0")/tap.inc"
need curl python3
db="$tmp/m.db"
M() { "$MAMORI" --db "$db" "$@"; }
. "$(dirname "$0")/manager.inc"

M scan --root "$MAMORI_SRC/tests/fixtures/trees/weak-host" --now 1795564800 >/dev/null 2>&1
M incident contacts lead --name "総務 山田" --phone 03-1111-2222 >/dev/null 2>&1
M incident contacts vendor --name "ABC保守" --email help@abc.example >/dev/null 2>&1
manager_accounts
manager_start
csrf=$(login olivia olivia-password-1 "$tmp/jar")
P() { code -b "$tmp/jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' "$@"; }
item() { echo "doc['items'][$1 - 1]"; }

t "the assessment without a session: 401" [ "$(code "$base/api/assess")" = 401 ]
t "the assessment: 200" [ "$(code -b "$tmp/jar" "$base/api/assess")" = 200 ]
cp "$tmp/body" "$tmp/a0.json"
t "25 items in three parts (5, 13, 7)" json "$tmp/a0.json" \
    "len(doc['items']) == 25 and [sum(1 for i in doc['items'] if i['part'] == p) for p in (1, 2, 3)] == [5, 13, 7]"
t "items 1-4 pre-filled from the weak host's scan, with findings as evidence" json "$tmp/a0.json" \
    "all($(item 1)['source'] == 'evidence' for k in range(1)) and doc['items'][2]['source'] == 'evidence' and doc['items'][2]['evidence']['findings']"
t "item 24 pre-filled from the contacts (person in charge + vendor): done" json "$tmp/a0.json" \
    "$(item 24)['source'] == 'evidence' and $(item 24)['answer'] == 4 and sorted($(item 24)['evidence']['contacts']) == ['lead', 'vendor']"
t "a band with its next step, in Japanese by default" json "$tmp/a0.json" \
    "doc['band']['id'] and any(ord(ch) > 0x3000 for ch in doc['band']['next_step'])"
t "SECURITY ACTION readiness: ★ not ready with failing basics, ★★ not ready" json "$tmp/a0.json" \
    "doc['security_action']['star1']['ready'] is False and doc['security_action']['star2']['ready'] is False"
t "no history yet" json "$tmp/a0.json" "doc['history'] == [] and doc['saved'] is None"
t "English on ?lang=en" sh -c "[ \"\$(curl -sk -b '$tmp/jar' '$base/api/assess?lang=en' | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"band\"][\"next_step\"].isascii())')\" = True ]"

t "answer without CSRF: 403" [ "$(code -b "$tmp/jar" -d '{"answers":{"5":4}}' "$base/api/assess")" = 403 ]
t "answer items 5, 6 and override item 24: 200" [ "$(P -d '{"answers":{"5":4,"6":2,"24":0}}' "$base/api/assess")" = 200 ]
cp "$tmp/body" "$tmp/a1.json"
t "the answers are in force, item 24 overridden by the owner" json "$tmp/a1.json" \
    "$(item 5)['answer'] == 4 and $(item 6)['answer'] == 2 and $(item 24)['answer'] == 0 and $(item 24)['source'] == 'manual'"
t "saved as a snapshot, in the history" json "$tmp/a1.json" "doc['saved'] > 0 and len(doc['history']) == 1"
t "an answer of 3: 400" [ "$(P -d '{"answers":{"7":3}}' "$base/api/assess")" = 400 ]
t "item 26: 400" [ "$(P -d '{"answers":{"26":4}}' "$base/api/assess")" = 400 ]
t "not JSON: 400" [ "$(P -d 'answers=4' "$base/api/assess")" = 400 ]
t "one bad answer among good ones saves nothing" [ "$(P -d '{"answers":{"7":4,"8":5}}' "$base/api/assess")" = 400 ]
C -b "$tmp/jar" "$base/api/assess" >"$tmp/a2.json"
t "item 7 still unanswered, history unchanged" json "$tmp/a2.json" "$(item 7)['answer'] is None and len(doc['history']) == 1"
t "null hands item 24 back to the contacts' evidence" [ "$(P -d '{"answers":{"24":null}}' "$base/api/assess")" = 200 ]
t "item 24 is 4 from evidence again" json "$tmp/body" "$(item 24)['answer'] == 4 and $(item 24)['source'] == 'evidence' and len(doc['history']) == 2"
all=$(python3 -c 'import json; print(json.dumps({"answers": {str(k): 4 for k in range(1, 26)}}))')
t "all 25 answered" [ "$(P -d "$all" "$base/api/assess")" = 200 ]
t "total 100, the best band, assessment done" json "$tmp/body" \
    "doc['total'] == 100 and doc['answered'] == 25 and doc['security_action']['star2']['assessment_done'] is True"

t "policy draft without CSRF: 403" [ "$(code -b "$tmp/jar" -d '{}' "$base/api/policy-draft")" = 403 ]
t "policy draft (HTML): 200" [ "$(P -D "$tmp/h" -d '{"company":"株式会社まもり","representative":"山田 太郎","date":"2026-12-01"}' "$base/api/policy-draft")" = 200 ]
t "as text/html" grep -qi '^content-type: text/html; charset=utf-8' "$tmp/h"
t "the usual headings, the company, the date and the representative" python3 -c '
import sys
s = open(sys.argv[1], encoding="utf-8").read()
for w in ("情報セキュリティ基本方針", "経営者の責任", "社内体制", "従業員", "法令", "事故", "株式会社まもり", "山田 太郎", "2026年12月1日"):
    assert w in s, w
assert "認定" not in s' "$tmp/body"
t "markdown in English" [ "$(P -D "$tmp/h" -d '{"format":"markdown","company":"<Acme>"}' "$base/api/policy-draft?lang=en")" = 200 ]
t "as text/markdown, escaped" sh -c "grep -qi '^content-type: text/markdown' '$tmp/h' && grep -q 'Basic Information Security Policy' '$tmp/body' && ! grep -q '<Acme>' '$tmp/body'"
t "a date that does not exist: 400" [ "$(P -d '{"date":"2026-02-30"}' "$base/api/policy-draft")" = 400 ]
t "an unknown format: 400" [ "$(P -d '{"format":"pdf"}' "$base/api/policy-draft")" = 400 ]
C -b "$tmp/jar" "$base/api/assess" >"$tmp/a3.json"
t "the draft is recorded, not yet published" json "$tmp/a3.json" \
    "doc['security_action']['star2']['policy_drafted'] is True and doc['security_action']['star2']['policy_published'] is False"
t "publication without a place: 400" [ "$(P -d '{"where":""}' "$base/api/policy-published")" = 400 ]
t "publication recorded: 200" [ "$(P -d '{"where":"社内掲示板"}' "$base/api/policy-published")" = 200 ]
t "★★ ready: assessment done, policy drafted and published" json "$tmp/body" \
    "doc['security_action']['star2']['ready'] is True"
t "the readiness never calls it 認定" sh -c "! grep -q '認定' '$tmp/body'"

vcsrf=$(login victor victor-password-1 "$tmp/jarv")
t "a viewer reads the assessment" [ "$(code -b "$tmp/jarv" "$base/api/assess")" = 200 ]
t "a viewer cannot answer (403)" [ "$(code -b "$tmp/jarv" -H "X-CSRF-Token: $vcsrf" -d '{"answers":{"1":0}}' "$base/api/assess")" = 403 ]
t "a viewer cannot draft the policy (403)" [ "$(code -b "$tmp/jarv" -H "X-CSRF-Token: $vcsrf" -d '{}' "$base/api/policy-draft")" = 403 ]
bcsrf=$(login bob bob-password-123 "$tmp/jarb" acme)
C -b "$tmp/jarb" "$base/api/assess" >"$tmp/b.json"
t "another tenant: no answers, no evidence, no history, no policy" json "$tmp/b.json" \
    "doc['answered'] == 0 and doc['history'] == [] and doc['security_action']['star2']['policy_drafted'] is False"
t "another tenant answers: 200" [ "$(code -b "$tmp/jarb" -H "X-CSRF-Token: $bcsrf" -H 'Content-Type: application/json' -d '{"answers":{"1":0}}' "$base/api/assess")" = 200 ]
t "our item 1 is untouched" sh -c "curl -sk -b '$tmp/jar' '$base/api/assess' | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d[\"items\"][0][\"answer\"] == 4 and len(d[\"history\"]) == 3 else 1)'"
kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
t "server stops cleanly on SIGTERM" [ "$rc" -eq 0 ]
M assess --json >"$tmp/cli.json" 2>/dev/null
t "the CLI sees the dashboard's answers" json "$tmp/cli.json" "doc['total'] == 100"
M assess --tenant acme --json >"$tmp/cli_acme.json" 2>/dev/null
t "the CLI with --tenant acme sees the other tenant's answer only" json "$tmp/cli_acme.json" \
    "doc['items'][0]['answer'] == 0 and doc['answered'] == 1"
M assess --tenant nosuch --json >/dev/null 2>&1
t "an unknown tenant is a usage error" [ $? -eq 2 ]
tap_end
