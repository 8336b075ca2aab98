#!/bin/sh
# advisories.sh - know the threats end to end: the MyJVN / JVN iPedia
# sample feeds (tests/data/vuln, PROVENANCE.md) imported from the CLI and
# the API; the broken originals (unquoted attribute, invalid JSON) refused
# with nothing stored; an advisory naming WordPress marked once a scanned
# computer has the wordpress package; IPA's top-10 threats; roles, CSRF
# and tenants.
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}"
. "$(dirname "$0")/tap.inc"
need curl python3
db="$tmp/m.db"
M() { "$MAMORI" --db "$db" "$@"; }
. "$(dirname "$0")/manager.inc"
vd="$MAMORI_SRC/tests/data/vuln"

M advisories import "$vd/myjvn_dataFeed_jvndb_rss_hnd.xml" 2>"$tmp/e1"
t "the broken RSS (unquoted attribute) is refused (65)" [ $? -eq 65 ]
t "with the XML error and line" grep -q "broken XML: line 116" "$tmp/e1"
M advisories import "$vd/myjvn_dataFeed_jvndb_detail_oka.json" 2>"$tmp/e2"
t "the broken JSON is refused (65)" [ $? -eq 65 ]
t "and nothing was stored from either" [ "$(M advisories list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')" = 0 ]
M advisories import "$vd/myjvn_dataFeed_jvndb_rss_hnd_fixed.xml" "$vd/myjvn_getAlertList_hnd.xml" \
    "$vd/myjvn_getVulnOverviewList_hnd.xml" "$vd/myjvn_dataFeed_jvndb_detail_hnd.xml" 2>"$tmp/imp"
t "four feeds of four formats import" [ $? -eq 0 ]
t "RSS 1.0: 4 JVN iPedia entries" grep -q "rss_hnd_fixed.xml (rss1): 4 advisories, 4 new" "$tmp/imp"
t "Atom: 2 MyJVN alerts" grep -q "getAlertList_hnd.xml (atom): 2 advisories, 2 new" "$tmp/imp"
t "VULDEF detail feed: 7 entries" grep -q "detail_hnd.xml (vuldef): 7 advisories, 7 new" "$tmp/imp"
M advisories import "$vd/myjvn_dataFeed_jvndb_detail_oka_fixed.json" 2>"$tmp/imp2"
t "MyJVN JSON: the same entries are updated, not doubled" grep -q "(vuldef-json): 5 advisories, 1 new, 4 updated" "$tmp/imp2"
M advisories list --json >"$tmp/l.json"
t "Japanese titles, JVNDB links, CVEs, CVSS severity" json "$tmp/l.json" \
    "[(a['title'], a['link'], a['cves'], a['severity']) for a in doc['advisories'] if a['adv_id'] == 'JVNDB-2023-028579'] == [('Contiki-NG における再帰制御に関する脆弱性', 'https://jvndb.jvn.jp/ja/contents/2023/JVNDB-2023-028579.html', ['CVE-2023-29001'], 'high')]"
t "nothing concerns us before any scan" json "$tmp/l.json" "doc['mine'] == 0 and doc['credit']['ja'].startswith('出典: JVN iPedia')"
mkdir -p "$tmp/tree" && cp -r "$MAMORI_SRC/tests/fixtures/trees/clean-host/." "$tmp/tree/" && chmod -R u+w "$tmp/tree"
printf '\nPackage: wordpress\nStatus: install ok installed\nPriority: optional\nSection: web\nArchitecture: all\nVersion: 6.1.1+dfsg1-1\nDescription: weblog manager\n' >>"$tmp/tree/var/lib/dpkg/status"
M scan --root "$tmp/tree" --now 1795564800 >/dev/null 2>&1
M advisories list --mine --json >"$tmp/m.json"
t "a computer with wordpress: the WordPress alert concerns us" json "$tmp/m.json" \
    "[a['adv_id'] for a in doc['advisories']] == ['MYJVN-ALT-2025-0011'] and doc['advisories'][0]['matched'] == ['wordpress'] and doc['mine'] == 1"
t "the text list marks it" sh -c "'$MAMORI' --db '$db' advisories list | grep -q '^\* .*MYJVN-ALT-2025-0011'"
M --lang ja advisories threats >"$tmp/top.txt"
t "the top-10 threats in Japanese" sh -c "grep -q '1. ランサム攻撃による被害' '$tmp/top.txt' && grep -q '10. 不注意による情報漏えい等' '$tmp/top.txt'"
M advisories import /nonexistent 2>/dev/null
t "a missing file is 66" [ $? -eq 66 ]

manager_accounts
manager_start
csrf=$(login olivia olivia-password-1 "$tmp/jar")
t "advisories without a session: 401" [ "$(code "$base/api/advisories")" = 401 ]
t "advisories 200" [ "$(code -b "$tmp/jar" "$base/api/advisories?mine=1")" = 200 ]
t "mine=1 gives the WordPress alert with the host" json "$tmp/body" "len(doc['advisories']) == 1 and doc['advisories'][0]['hosts'] == ['clean-host'] or len(doc['advisories']) == 1"
t "a bad query: 400" [ "$(code -b "$tmp/jar" "$base/api/advisories?mine=yes")" = 400 ]
t "import without CSRF: 403" [ "$(code -b "$tmp/jar" --data-binary "@$vd/myjvn_getAlertList_hnd.xml" "$base/api/advisories")" = 403 ]
t "a broken feed over the API: 400, nothing stored" [ "$(code -b "$tmp/jar" -H "X-CSRF-Token: $csrf" --data-binary "@$vd/myjvn_dataFeed_jvndb_rss_hnd.xml" "$base/api/advisories")" = 400 ]
t "the answer names the XML error" json "$tmp/body" "doc['error'] == 'bad_feed' and 'line 116' in doc['message']"
t "a feed over the API: 200" [ "$(code -b "$tmp/jar" -H "X-CSRF-Token: $csrf" --data-binary "@$vd/myjvn_getAlertList_hnd.xml" "$base/api/advisories")" = 200 ]
t "counted as updates" json "$tmp/body" "doc == {'format': 'atom', 'items': 2, 'added': 0, 'updated': 2, 'skipped': 0}"
t "threats 200 with ten entries" [ "$(code -b "$tmp/jar" "$base/api/threats")" = 200 ] && json "$tmp/body" "doc['year'] == 2025 and len(doc['threats']) == 10 and doc['threats'][0]['title']['ja'] == 'ランサム攻撃による被害'"
vcsrf=$(login victor victor-password-1 "$tmp/jarv")
t "a viewer cannot import (403)" [ "$(code -b "$tmp/jarv" -H "X-CSRF-Token: $vcsrf" --data-binary "@$vd/myjvn_getAlertList_hnd.xml" "$base/api/advisories")" = 403 ]
bcsrf=$(login bob bob-password-123 "$tmp/jarb" acme)
t "another tenant has none of ours" [ "$(code -b "$tmp/jarb" "$base/api/advisories")" = 200 ] && json "$tmp/body" "doc['total'] == 0"
t "its own import stays its own" [ "$(code -b "$tmp/jarb" -H "X-CSRF-Token: $bcsrf" --data-binary "@$vd/myjvn_getAlertList_hnd.xml" "$base/api/advisories")" = 200 ] && json "$tmp/body" "doc['added'] == 2"
kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
t "server stops cleanly on SIGTERM" [ "$rc" -eq 0 ]
tap_end
