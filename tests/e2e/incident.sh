#!/bin/sh
# incident.sh - incident response end to end: an incident opened from a real
# alert (alerts of real third-party logs, imported) and by hand, walked
# through IPA's three steps from the CLI and the manager's API, with the
# PPC countdowns (30 days, 60 days for wrongful purpose), reports, evidence,
# contacts, closing, roles, CSRF, bad bodies (nothing changed) and another
# tenant that sees nothing.
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}"
. "$(dirname "$0")/tap.inc"
need curl python3
db="$tmp/m.db"
M() { "$MAMORI" --db "$db" "$@"; }
. "$(dirname "$0")/manager.inc"

logs=$(find "$MAMORI_SRC/tests/data/logs/crowdsec" "$MAMORI_SRC/tests/data/logs/fail2ban" -type f ! -name '*.assert' | sort)
# shellcheck disable=SC2086
M logs --json $logs 2>/dev/null | M alerts import --source logs 2>/dev/null
t "real log alerts imported" [ "$(M alerts list | wc -l)" -ge 1 ]
alert_msg=$(M alerts list --json | tail -1 | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["message"])')

# CLI
id=$(M incident open --kind malware --alert 1 2>/dev/null)
t "open from alert 1 prints the id" [ "$id" = 1 ]
M incident show 1 --json >"$tmp/i1.json"
t "the title is the alert's message, the alert is linked" json "$tmp/i1.json" \
    "doc['title'] == '''$alert_msg''' and doc['alert_id'] == 1 and doc['kind'] == 'malware'"
t "three steps with IPA's nine sub-steps plus the malware playbook" json "$tmp/i1.json" \
    "[s['id'] for s in doc['steps']] == ['detect','report','recover'] and sum(s['total'] for s in doc['steps']) == 13 and any(i['id'] == 'malware.isolate' for i in doc['steps'][0]['items'])"
t "every item has Japanese and English text" json "$tmp/i1.json" \
    "all(i['text']['ja'] and i['text']['en'] for s in doc['steps'] for i in s['items'])"
t "malware: IPA 届出 recommended, no PPC countdown yet" json "$tmp/i1.json" \
    "[a['need'] for a in doc['authorities'] if a['id'] == 'ipa'] == ['should'] and doc['deadlines'] == []"
M incident open --kind malware --alert 999 2>/dev/null
t "an unknown alert is refused (65)" [ $? -eq 65 ]
M incident open --kind fire --title x 2>/dev/null
t "an unknown kind is a usage error" [ $? -eq 2 ]
M incident open --kind leak 2>/dev/null
t "no title and no alert is a usage error" [ $? -eq 2 ]

id=$(M incident open --kind leak --title "顧客名簿の流出" --discovered 2026-04-01T10:00+09:00 2>/dev/null)
t "open by hand with the discovery time" [ "$id" = 2 ]
M incident step 2 detect.report leak.scope --what "顧客名簿" --who "不明な第三者" --ppc wrongful,over1000 --note "VPN経由" 2>/dev/null
t "tick two items, fill 5W1H and the PPC cases" [ $? -eq 0 ]
M incident show 2 --json >"$tmp/i2.json"
t "the PPC report is a must; 速報 due 5 April, 確報 (wrongful) due 30 May, both JST" json "$tmp/i2.json" \
    "doc['ppc']['required'] and [d['due'] for d in doc['deadlines']] == [1775401199, 1780153199] and [a['need'] for a in doc['authorities'] if a['id'] == 'ppc'] == ['must']"
t "the countdowns are overdue long after" json "$tmp/i2.json" "all(d['status'] == 'overdue' and d['remaining'] < 0 for d in doc['deadlines'])"
t "ticks and 5W1H kept" json "$tmp/i2.json" \
    "doc['steps'][0]['done'] == 2 and doc['w5h1']['what'] == '顧客名簿' and doc['w5h1']['who'] == '不明な第三者'"
M incident step 2 --ppc over1000 2>/dev/null
M incident show 2 --json >"$tmp/i2b.json"
t "without wrongful purpose the 確報 is due on day 30 (30 April JST)" json "$tmp/i2b.json" "doc['deadlines'][1]['due'] == 1777561199"
M incident step 2 --reported ppc_prelim --at 2026-04-03T09:00+09:00 2>/dev/null
M incident show 2 --json >"$tmp/i2c.json"
t "a filed 速報 is done" json "$tmp/i2c.json" "doc['deadlines'][0]['status'] == 'done' and doc['reports']['ppc_prelim']['at'] == 1775174400"
M incident step 2 --ppc over1000 --encrypted 2>/dev/null
t "strongly encrypted data: no report required, no countdown" sh -c "'$MAMORI' --db '$db' incident show 2 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d[\"deadlines\"] == [] and not d[\"ppc\"][\"required\"] else 1)'"
M incident step 2 ransomware.keep_power 2>/dev/null
t "another kind's item is refused (2)" [ $? -eq 2 ]
M incident step 2 leak.stop --ppc bogus 2>/dev/null
t "a bad change is refused" [ $? -eq 2 ]
t "and nothing of it was applied" sh -c "'$MAMORI' --db '$db' incident show 2 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if not any(i[\"id\"] == \"leak.stop\" and i[\"done\"] for i in d[\"steps\"][0][\"items\"]) else 1)'"
M incident step 2 --evidence "VPN機器のログ" --location "USBメモリ #3" --sha256 "$(printf x | sha256sum | cut -c1-64)" --to report 2>/dev/null
t "evidence and the next step" sh -c "'$MAMORI' --db '$db' incident show 2 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d[\"step\"] == \"report\" and d[\"evidence\"][0][\"location\"] == \"USBメモリ #3\" else 1)'"
M incident contacts vendor --name "ABC保守" --phone 03-1234-5678 >/dev/null 2>&1
M incident contacts insurer --name "○○損保" --note "証券 123" >/dev/null 2>&1
t "contacts entered in advance" [ "$(M incident contacts | wc -l)" -eq 2 ]
M incident contacts landlord --name x 2>/dev/null
t "an unknown contact role is a usage error" [ $? -eq 2 ]
M --lang ja incident show 2 >"$tmp/show.txt"
t "the Japanese view has the steps, the PPC and the contacts" sh -c "grep -q '1. 検知・初動対応' '$tmp/show.txt' && grep -q '個人情報保護委員会' '$tmp/show.txt' && grep -q 'ABC保守' '$tmp/show.txt'"
M incident close 2 --note "再発防止策を実施" 2>/dev/null
t "close" [ $? -eq 0 ]
M incident close 2 2>/dev/null
t "closing twice is refused (65)" [ $? -eq 65 ]
t "a closed incident leaves the open list" [ "$(M incident list --json | python3 -c 'import json,sys; print([i["id"] for i in json.load(sys.stdin)])')" = "[1]" ]
t "--all still has it" [ "$(M incident list --all --json | python3 -c 'import json,sys; print([i["id"] for i in json.load(sys.stdin)])')" = "[2, 1]" ]
M incident show 77 2>/dev/null
t "an unknown incident is 65" [ $? -eq 65 ]

# API
manager_accounts
manager_start
csrf=$(login olivia olivia-password-1 "$tmp/jar")
P() { code -b "$tmp/jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' "$@"; }

t "incidents without a session: 401" [ "$(code "$base/api/incidents")" = 401 ]
t "open incidents 200" [ "$(code -b "$tmp/jar" "$base/api/incidents")" = 200 ]
t "one open incident" json "$tmp/body" "[i['id'] for i in doc] == [1]"
t "open from alert 2 without CSRF: 403" [ "$(code -b "$tmp/jar" -d '{"kind":"ransomware","alert_id":2}' "$base/api/incidents")" = 403 ]
t "open from alert 2 with CSRF: 201" [ "$(P -d '{"kind":"ransomware","alert_id":2}' "$base/api/incidents")" = 201 ]
t "the answer is the new incident with its ransomware playbook" json "$tmp/body" \
    "doc['id'] == 3 and doc['alert_id'] == 2 and doc['kind_label']['ja'] == 'ランサムウェア' and any(i['id'] == 'ransomware.keep_power' for i in doc['steps'][0]['items'])"
t "ransomware: police recommended" json "$tmp/body" "[a['need'] for a in doc['authorities'] if a['id'] == 'police'] == ['should']"
t "tick, step and PPC in one change: 200" [ "$(P -d '{"check":["detect.report","ransomware.note"],"step":"report","ppc":{"cases":["wrongful"]},"fields":{"where":"本社サーバ"}}' "$base/api/incidents/3")" = 200 ]
t "all of it applied, the 確報 due in 60 days" json "$tmp/body" \
    "doc['step'] == 'report' and doc['steps'][0]['done'] == 2 and doc['w5h1']['where'] == '本社サーバ' and doc['deadlines'][1]['due'] - doc['deadlines'][0]['due'] == 55 * 86400"
t "the timeline names olivia" json "$tmp/body" "all(s['actor'] == 'olivia' for s in doc['timeline'])"
t "a change with a bad part: 400" [ "$(P -d '{"check":"detect.team","step":"later"}' "$base/api/incidents/3")" = 400 ]
t "and the good part was not applied" sh -c "[ \"\$(curl -sk -b '$tmp/jar' '$base/api/incidents/3' | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d[\"steps\"][0][\"done\"])')\" = 2 ]"
t "an unknown change: 400" [ "$(P -d '{"delete":true}' "$base/api/incidents/3")" = 400 ]
t "malformed JSON: 400" [ "$(P -d '{"check":' "$base/api/incidents/3")" = 400 ]
t "report to the police recorded" [ "$(P -d '{"reported":{"authority":"police","note":"受理番号 42"}}' "$base/api/incidents/3")" = 200 ]
t "the police entry says reported" json "$tmp/body" "[a['reported']['note'] for a in doc['authorities'] if a['id'] == 'police'] == ['受理番号 42']"
t "contacts over the API" [ "$(P -d '{"role":"provider","name":"お助け隊","phone":"0120-000-000"}' "$base/api/contacts")" = 200 ]
t "three contacts now" json "$tmp/body" "sorted(c['role'] for c in doc) == ['insurer','provider','vendor']"
t "a contact's bad role: 400" [ "$(P -d '{"role":"cat"}' "$base/api/contacts")" = 400 ]
t "incident kinds for the forms" [ "$(code -b "$tmp/jar" "$base/api/incident-kinds")" = 200 ]
t "six kinds and four PPC cases" json "$tmp/body" "len(doc['kinds']) == 6 and len(doc['ppc_cases']['cases']) == 4"
t "close: 200" [ "$(P -d '{"state":"closed","note":"復旧済み"}' "$base/api/incidents/3")" = 200 ]
t "close again: 409" [ "$(P -d '{"state":"closed"}' "$base/api/incidents/3")" = 409 ]
t "reopen: 200" [ "$(P -d '{"state":"open"}' "$base/api/incidents/3")" = 200 ]
t "an unknown incident: 404" [ "$(code -b "$tmp/jar" "$base/api/incidents/99")" = 404 ]
vcsrf=$(login victor victor-password-1 "$tmp/jarv")
t "a viewer reads an incident" [ "$(code -b "$tmp/jarv" "$base/api/incidents/3")" = 200 ]
t "a viewer cannot change it (403)" [ "$(code -b "$tmp/jarv" -H "X-CSRF-Token: $vcsrf" -d '{"check":"detect.team"}' "$base/api/incidents/3")" = 403 ]
t "a viewer cannot open one (403)" [ "$(code -b "$tmp/jarv" -H "X-CSRF-Token: $vcsrf" -d '{"kind":"other","title":"x"}' "$base/api/incidents")" = 403 ]
bcsrf=$(login bob bob-password-123 "$tmp/jarb" acme)
t "another tenant sees no incidents" [ "$(C -b "$tmp/jarb" "$base/api/incidents?state=all")" = '[]' ]
t "nor contacts" [ "$(C -b "$tmp/jarb" "$base/api/contacts")" = '[]' ]
t "another tenant reading an incident: 404" [ "$(code -b "$tmp/jarb" "$base/api/incidents/3")" = 404 ]
t "another tenant changing it: 404" [ "$(code -b "$tmp/jarb" -H "X-CSRF-Token: $bcsrf" -d '{"check":"detect.team"}' "$base/api/incidents/3")" = 404 ]
t "another tenant opening one from our alert: 404" [ "$(code -b "$tmp/jarb" -H "X-CSRF-Token: $bcsrf" -d '{"kind":"malware","alert_id":1}' "$base/api/incidents")" = 404 ]
kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
t "server stops cleanly on SIGTERM" [ "$rc" -eq 0 ]
tap_end
