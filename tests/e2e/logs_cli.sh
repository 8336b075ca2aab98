#!/bin/sh
# logs_cli.sh - mamori logs end to end: the CrowdSec cases through the real
# binary (NDJSON shape, expected rule and source), text output, stdin,
# usage errors, unreadable files, long lines and binary input, --year.
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}"
. "$(dirname "$0")/tap.inc"
cs="$MAMORI_SRC/tests/data/logs/crowdsec"

# NDJSON: every line parses, has the documented keys, and the expected alert.
alert() { # case file rule ip
	"$MAMORI" logs --json "$cs/$1/$2" >"$tmp/o.json" 2>"$tmp/err" || return 1
	python3 - "$tmp/o.json" "$3" "$4" <<'PY'
import json, sys
path, rule, ip = sys.argv[1:4]
found = False
for line in open(path, encoding="utf-8"):
    a = json.loads(line)
    for k in ("@timestamp", "event.kind", "rule.id", "rule.name", "message", "mamori.text"):
        assert k in a, k
    assert a["event.kind"] == "alert"
    assert a["mamori.text"]["ja"]["what"] and a["mamori.text"]["en"]["action"]
    found |= a["rule.id"] == rule and a.get("source.ip") == ip
sys.exit(0 if found else 1)
PY
}
t "ssh-bf: SSH brute force from 35.188.49.176" alert ssh-bf ssh-bf.log mamori.bruteforce.ssh 35.188.49.176
t "fortinet-vpn-bf: VPN brute force from 192.168.0.1" alert fortinet-vpn-bf fortinet-vpn-bf.log mamori.bruteforce.vpn 192.168.0.1
t "windows-bf: Windows brute force from 192.168.9.212" alert windows-bf windows-bf.log mamori.bruteforce.windows 192.168.9.212
t "smb-bf: SMB brute force from 1.2.3.4" alert smb-bf smb-bf.log mamori.bruteforce.smb 1.2.3.4
t "postfix-sasl-bf: mail brute force" alert postfix-sasl-bf postfix-sasl-bf.log mamori.bruteforce.mail 203.0.113.42
t "openvpn-bf: VPN brute force" alert openvpn-bf openvpn.log mamori.bruteforce.vpn 192.168.1.31
t "pulse CVE-2019-11510 from 192.168.1.3" alert pulse-secure-sslvpn-cve-2019-11510 pulse-secure-sslvpn-cve-2019-11510.log mamori.web.vpn_exploit 192.168.1.3
t "SQL injection probing from 127.0.0.1" alert nginx-http-sqli-probing nginx-http-sqli-probing.log mamori.web.sqli 127.0.0.1
t "Log4Shell (obfuscated) from 192.168.1.4" alert apache_log4j2_cve-2021-44228 apache_log4j2_cve-2021-44228.log mamori.web.log4shell 192.168.1.4
t "summary on stderr counts lines" grep -q "^mamori logs: 5 lines, 3 decoded, 2 undecoded, 3 alerts" "$tmp/err"

# Text output in both languages; stdin.
"$MAMORI" --lang ja logs - <"$cs/ssh-bf/ssh-bf.log" >"$tmp/ja.txt" 2>/dev/null
t "Japanese text from stdin" grep -q "SSH のパスワードを何度も試されています" "$tmp/ja.txt"
t "text names the place" grep -q "(stdin):5" "$tmp/ja.txt"
"$MAMORI" --lang en logs "$cs/ssh-bf/ssh-bf.log" >"$tmp/en.txt" 2>/dev/null
t "English text" grep -q "Someone is guessing SSH passwords" "$tmp/en.txt"

# Usage and input errors.
"$MAMORI" logs >"$tmp/out" 2>"$tmp/err"; rc=$?
t "no file: usage error 2, one line" [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ]
"$MAMORI" logs --bogus x 2>/dev/null; t "unknown option exits 2" [ $? -eq 2 ]
"$MAMORI" logs --year 19 x 2>/dev/null; t "bad --year exits 2" [ $? -eq 2 ]
"$MAMORI" logs "$tmp/missing.log" "$cs/ssh-bf/ssh-bf.log" >"$tmp/out" 2>"$tmp/err"; rc=$?
t "missing file: exit 66, the other file is still read" [ $rc -eq 66 ] && grep -q "mamori.bruteforce.ssh" "$tmp/out"

# Bad input: a 3 MB line, binary junk, NUL bytes; bounded and counted.
python3 - "$tmp/bad.log" <<'PY'
import sys, os
with open(sys.argv[1], "wb") as f:
    f.write(b"Mar  1 10:00:00 srv sshd[1]: Failed password for " + b"A" * 3_000_000 + b" from 10.0.0.1 port 1 ssh2\n")
    f.write(os.urandom(200_000))
    f.write(b"\nMar  1 10:00:01 srv sshd[1]: Failed pass\0word for root from 10.0.0.2 port 1 ssh2\n")
    for i in range(6):
        f.write(b"Mar  1 10:00:0%d srv sshd[2]: Failed password for root from 10.0.0.3 port 1 ssh2\n" % i)
PY
"$MAMORI" logs --json "$tmp/bad.log" >"$tmp/bad.json" 2>"$tmp/err"; rc=$?
t "junk input exits 0" [ $rc -eq 0 ]
t "the long line is counted as cut" grep -q "1 long lines cut" "$tmp/err"
t "detection still works after junk" grep -q '"source.ip":"10.0.0.3"' "$tmp/bad.json"

# --year: the alert time carries it.
"$MAMORI" logs --json --year 2021 "$cs/ssh-bf/ssh-bf.log" 2>/dev/null | head -1 >"$tmp/y.json"
t "--year sets the year of syslog dates" grep -q '"@timestamp":"2021-02-12T14:10:' "$tmp/y.json"

# --rules: Sigma rules run beside the built-in ones; a bad rule is reported and skipped.
mkdir -p "$tmp/rules"
cat >"$tmp/rules/root.yml" <<'YML'
title: Root SSH login failure
id: 5f0e1c8a-0000-4000-8000-000000000001
logsource:
  product: linux
  service: sshd
detection:
  selection:
    user.name: root
    event.outcome: failure
  condition: selection
level: low
YML
cat >"$tmp/rules/bad.yml" <<'YML'
title: Uses an unknown modifier
id: 5f0e1c8a-0000-4000-8000-000000000002
logsource:
  product: linux
detection:
  selection:
    user.name|frobnicate: root
  condition: selection
YML
printf 'Mar  1 10:00:01 srv sshd[10]: Failed password for root from 203.0.113.9 port 1 ssh2\nMar  1 10:00:02 srv sshd[10]: Failed password for bob from 203.0.113.9 port 1 ssh2\n' >"$tmp/r.log"
"$MAMORI" logs --json --rules "$tmp/rules" "$tmp/r.log" >"$tmp/r.json" 2>"$tmp/r.err"; rc=$?
t "--rules runs with exit 0" [ $rc -eq 0 ]
t "Sigma rule raised once, for root" [ "$(grep -c '"rule.name":"Root SSH login failure"' "$tmp/r.json")" -eq 1 ] && grep -q '"user.name":"root"' "$tmp/r.json"
t "unsupported rule reported by name and skipped" grep -q "rule 'Uses an unknown modifier' skipped" "$tmp/r.err"
"$MAMORI" logs --rules "$tmp/nope" "$tmp/r.log" >/dev/null 2>&1; t "missing rules dir exits 66" [ $? -eq 66 ]

# Days off for the administrator-login rule, set in the configuration file:
# 2025-03-20 (春分の日, a Thursday) 10:00 JST is a holiday; 2025-08-13 a company day off.
printf '%s\n' '2025-03-20T01:00:00Z srv sshd[1]: Accepted password for root from 192.0.2.1 port 1 ssh2' \
    '2025-08-13T01:00:00Z srv sshd[2]: Accepted password for root from 192.0.2.1 port 1 ssh2' >"$tmp/off.log"
printf 'logs:\n  closed_days: 08-13\n' >"$tmp/closed.yaml"
printf 'logs:\n  holidays: false\n' >"$tmp/noholidays.yaml"
printf 'logs:\n  closed_days: 13-01\n' >"$tmp/badclosed.yaml"
"$MAMORI" --config "$tmp/closed.yaml" logs --json "$tmp/off.log" >"$tmp/off.json" 2>/dev/null
t "holiday and company day off: two off-hours alerts" [ "$(grep -c '"rule.id":"mamori.auth.admin_off_hours"' "$tmp/off.json")" -eq 2 ]
t "named: Vernal Equinox Day, company day off" grep -q "on a day off: Vernal Equinox Day" "$tmp/off.json" && grep -q "company day off" "$tmp/off.json"
"$MAMORI" --config "$tmp/noholidays.yaml" logs --json "$tmp/off.log" >"$tmp/off2.json" 2>/dev/null
t "logs.holidays: false and no closed days: a Thursday 10:00 login is quiet" [ ! -s "$tmp/off2.json" ]
"$MAMORI" --config "$tmp/badclosed.yaml" logs "$tmp/off.log" >/dev/null 2>"$tmp/off3.err"
t "a bad logs.closed_days: exit 78, named" [ $? -eq 78 ] && grep -q "logs.closed_days: '13-01'" "$tmp/off3.err"

tap_end
