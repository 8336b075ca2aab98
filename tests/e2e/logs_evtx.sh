#!/bin/sh
# logs_evtx.sh - mamori logs on Windows .evtx files: the EVTX-ATTACK-SAMPLES
# raise the alerts their provenance rows describe, and a truncated or
# damaged file still yields its intact records with the damage reported.
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}"
. "$(dirname "$0")/tap.inc"
W="$MAMORI_SRC/tests/data/logs/windows"
L() { "$MAMORI" --lang en logs --json "$@"; }
# count FILE rule.id [field=value]: alerts of that rule (with that field)
count() {
	python3 -c 'import json,sys
n=0
for l in open(sys.argv[1]):
    a=json.loads(l)
    if a.get("rule.id")!=sys.argv[2]: continue
    if len(sys.argv)>3:
        k,v=sys.argv[3].split("=",1)
        if str(a.get(k))!=v: continue
    n+=1
print(n)' "$@"
}

L "$W/DE_1102_security_log_cleared.evtx" >"$tmp/1102" 2>"$tmp/1102.err"; rc=$?
t "1102 sample: exit 0 ($rc)" [ $rc -eq 0 ]
t "1102 sample: 112 records decoded" grep -q "112 lines, 112 decoded" "$tmp/1102.err"
t "1102 sample: log cleared by user01" [ "$(count "$tmp/1102" mamori.log.cleared user.name=user01)" = 1 ]

L "$W/LM_Remote_Service02_7045.evtx" >"$tmp/7045" 2>/dev/null
t "7045 sample: 3 service installs" [ "$(count "$tmp/7045" mamori.windows.service_installed)" = 3 ]
t "7045 sample: on WIN-77LTAPHIQ1R" [ "$(count "$tmp/7045" mamori.windows.service_installed host.name=WIN-77LTAPHIQ1R.example.corp)" = 3 ]

L "$W/Network_Service_Guest_added_to_admins_4732.evtx" >"$tmp/4732" 2>/dev/null
t "4732 sample: 2 admin group additions" [ "$(count "$tmp/4732" mamori.iam.admin_group_add)" = 2 ]
t "4732 sample: NETWORK SERVICE (S-1-5-20) added" [ "$(count "$tmp/4732" mamori.iam.admin_group_add user.name=S-1-5-20)" = 1 ]

L "$W/kerberos_pwd_spray_4771.evtx" >"$tmp/4771" 2>/dev/null
t "4771 sample: password spraying from 172.16.66.1" [ "$(count "$tmp/4771" mamori.auth.spray source.ip=172.16.66.1)" -ge 1 ]
t "4771 sample: log cleared too" [ "$(count "$tmp/4771" mamori.log.cleared)" = 1 ]

# Damage: cut inside the last record; flip bytes in a record.
head -c 11000 "$W/CA_4624_4625_LogonType2_LogonProc_chrome.evtx" >"$tmp/cut.evtx"
L "$tmp/cut.evtx" >/dev/null 2>"$tmp/cut.err"; rc=$?
t "truncated file: exit 0 ($rc)" [ $rc -eq 0 ]
t "truncated file: 3 intact records read" grep -q "3 lines, 3 decoded" "$tmp/cut.err"
t "truncated file: damage reported" grep -q "EVTX: 3 records read.*file truncated" "$tmp/cut.err"
python3 -c 'import sys
b=bytearray(open(sys.argv[1],"rb").read())
for i in range(4096+3700, 4096+3800): b[i]^=0x5a
open(sys.argv[2],"wb").write(b)' "$W/CA_4624_4625_LogonType2_LogonProc_chrome.evtx" "$tmp/bad.evtx"
L "$tmp/bad.evtx" >/dev/null 2>"$tmp/bad.err"; rc=$?
t "damaged record: exit 0 ($rc)" [ $rc -eq 0 ]
t "damaged record: damaged chunk reported" grep -q "1 damaged chunks" "$tmp/bad.err"
head -c 100 /dev/urandom >"$tmp/x.evtx"
printf 'ElfFile\0' | cat - "$tmp/x.evtx" >"$tmp/short.evtx"
L "$tmp/short.evtx" >/dev/null 2>"$tmp/short.err"; rc=$?
t "header-only file: exit 0, reported truncated ($rc)" sh -c "[ $rc -eq 0 ] && grep -q 'file truncated' '$tmp/short.err'"

tap_end
