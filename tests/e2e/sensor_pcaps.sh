#!/bin/sh
# sensor_pcaps.sh - mamori sensor over the real captures in tests/data/pcap:
# each attack capture raises the alert its provenance row names, the office
# captures raise nothing above low, EVE alone on stdout, bad input handled,
# and every DNS name / HTTP host / TLS SNI / JA3 agrees with tshark.
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}"
. "$(dirname "$0")/tap.inc"
pcaps="$MAMORI_SRC/tests/data/pcap"
iocs="--ioc $MAMORI_SRC/tests/data/ioc/abusech_sslbl_ja3_fingerprints.csv --ioc $MAMORI_SRC/tests/data/ioc/abusech_feodotracker_ipblocklist.csv --ioc $MAMORI_SRC/tests/data/ioc/abusech_urlhaus_tld_feed_sample.csv"
py() { # file expression over events (list of dicts) -> exit status
	python3 -c 'import json,sys; ev=[json.loads(l) for l in open(sys.argv[1])]; al=[e for e in ev if e["event_type"]=="alert"]; sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2"
}
run() { # pcap -> $tmp/<name>.json
	# shellcheck disable=SC2086
	"$MAMORI" sensor -r "$pcaps/$1" --eve - $iocs >"$tmp/$1.json" 2>"$tmp/$1.err"
}
alert() { # pcap rule_id python-condition-on-alert
	run "$1"; rc=$?
	t "$1 exits 0 ($rc)" [ $rc -eq 0 ]
	t "$1 raises $2" py "$tmp/$1.json" "any(a['alert']['mamori']['rule_id']=='$2' and ($3) for a in al)"
}
alert ndpi_synscan.pcap mamori.net.port_scan "a['src_ip']=='172.16.0.8' and a['dest_ip']=='64.13.134.52'"
alert ndpi_dns-tunnel-iodine.pcap mamori.net.dns_tunnel "a['src_ip']=='10.0.2.30' and a['alert']['mamori']['domain']=='pirate.sea'"
alert ndpi_dns_exfiltration.pcap mamori.net.dns_tunnel "a['src_ip']=='192.168.220.56'"
alert ndpi_emotet.pcap mamori.net.ioc_ja3 "a['alert']['mamori']['ioc']['value']=='51c64c77e60f3980eea90869b68c58a8' and a['alert']['mamori']['ioc']['label']=='Dridex'"
alert ndpi_WebattackSQLinj.pcap mamori.net.sqli "a['src_ip']=='172.16.0.1' and a['dest_ip']=='192.168.10.50'"
t "SQL injection: the 7 injected requests, not the 2 clean ones" py "$tmp/ndpi_WebattackSQLinj.pcap.json" "len(al)==7"
alert ndpi_log4j-webapp-exploit.pcap mamori.net.log4shell "a['src_ip']=='172.16.238.1' and a['dest_port']==8080"
alert ndpi_telnet.pcap mamori.net.cleartext_telnet "a['dest_ip']=='192.168.0.1'"
alert ndpi_ftp_failed.pcap mamori.net.cleartext_ftp "a['dest_port']==21"
alert ndpi_smbv1.pcap mamori.net.smb1 "a['src_ip']=='172.16.156.130' and a['dest_ip']=='10.128.0.243' and a['alert']['mamori']['severity']=='medium'"
alert ndpi_rdp.pcap mamori.net.rdp_lan "a['alert']['mamori']['server']=='192.168.2.142' and a['alert']['mamori']['severity']=='low'"
alert ndpi_smb_deletefile.pcap mamori.net.share_executable "a['src_ip']=='192.168.1.118' and a['alert']['mamori']['files'][0]['action']=='deleted'"
alert sv_smb2_psexec_add_user.pcap mamori.net.remote_exec "a['src_ip']=='192.168.10.31' and a['dest_ip']=='192.168.10.10' and a['alert']['mamori']['severity']=='high' and a['alert']['mamori']['share']=='ADMIN\$' and a['alert']['mamori']['program']=='PSEXESVC.exe' and a['alert']['mamori']['pipe']=='svcctl'"
t "PsExec capture: one remote_exec alert (the later PSEXESVC pipes and the second copy fall in its hour)" py "$tmp/sv_smb2_psexec_add_user.pcap.json" \
	"sum(1 for a in al if a['alert']['mamori']['rule_id']=='mamori.net.remote_exec')==1"
# The same feeds from the configuration (sensor.ioc_files), as the sensor of
# mamori up and of the agent gets them.
printf 'sensor:\n  ioc_files: %s , %s\n' "$MAMORI_SRC/tests/data/ioc/abusech_sslbl_ja3_fingerprints.csv" \
	"$MAMORI_SRC/tests/data/ioc/abusech_feodotracker_ipblocklist.csv" >"$tmp/iocconf.yaml"
"$MAMORI" --config "$tmp/iocconf.yaml" sensor -r "$pcaps/ndpi_emotet.pcap" --eve - >"$tmp/iocconf.json" 2>"$tmp/iocconf.err"; rc=$?
t "sensor.ioc_files: both feeds loaded without --ioc, the Dridex JA3 raised ($rc)" py "$tmp/iocconf.json" \
	"$rc==0 and any(a['alert']['mamori']['rule_id']=='mamori.net.ioc_ja3' and a['alert']['mamori']['ioc']['label']=='Dridex' for a in al) and open('$tmp/iocconf.err').read().count(' indicators (')==2"
printf 'sensor:\n  ioc_files: feeds/ja3.csv\n' >"$tmp/iocrel.yaml"
"$MAMORI" --config "$tmp/iocrel.yaml" sensor -r "$pcaps/ndpi_emotet.pcap" >/dev/null 2>"$tmp/iocrel.err"; rc=$?
t "sensor.ioc_files with a relative path: configuration error 78, named ($rc)" [ $rc -eq 78 ] && grep -q "feeds/ja3.csv" "$tmp/iocrel.err"
t "alerts carry Japanese and English what/why/action" py "$tmp/ndpi_emotet.pcap.json" \
	"all(a['alert']['mamori']['text'][l][k] for a in al for l in ('en','ja') for k in ('what','why','action')) and 'LANケーブル' in al[0]['alert']['mamori']['text']['ja']['action']"
t "EVE envelope: timestamp, flow_id, 5-tuple, proto" py "$tmp/ndpi_emotet.pcap.json" \
	"all(k in a for a in al for k in ('timestamp','flow_id','src_ip','src_port','dest_ip','dest_port','proto')) and al[0]['alert']['signature_id']>0 and al[0]['alert']['severity']==1"
t "flow events with per-direction counters" py "$tmp/ndpi_telnet.pcap.json" \
	"any(e['event_type']=='flow' and e['flow']['pkts_toserver']>0 and e['flow']['pkts_toclient']>0 and e['flow']['bytes_toclient']>0 for e in ev)"
t "stats event at the end" py "$tmp/ndpi_synscan.pcap.json" "ev[-1]['event_type']=='stats' and ev[-1]['stats']['decoder']['pkts']>1900 and ev[-1]['stats']['flow']['total']>=1000"
t "only EVE JSON on stdout (every line parses)" py "$tmp/ndpi_emotet.pcap.json" "len(ev)>0"

for p in ndpi_dns.pcap ndpi_http.pcapng ndpi_google_ssl.pcap ndpi_windowsupdate_over_http.pcap ndpi_imaps.pcap \
    ndpi_kerberos.pcap ndpi_netbios.pcap ndpi_anyconnect-vpn.pcap; do
	run "$p"; rc=$?
	t "office capture $p: exit 0 and no alert above low" py "$tmp/$p.json" \
		"$rc==0 and not any(a['alert']['mamori']['severity'] in ('medium','high','critical') for a in al)"
done
t "pcapng is read (HTTP host from ndpi_http.pcapng)" py "$tmp/ndpi_http.pcapng.json" \
	"any(e['event_type']=='http' and e['http'].get('hostname') for e in ev)"
t "QinQ + PPPoE frames decoded (e7.whatsapp.net in ndpi_dns.pcap)" py "$tmp/ndpi_dns.pcap.json" \
	"any(e['event_type']=='dns' and e['dns']['rrname']=='e7.whatsapp.net' for e in ev)"

# Bad input: garbage, a truncated capture, a missing file, usage errors.
head -c 4000 /dev/urandom >"$tmp/garbage.pcap"
"$MAMORI" sensor -r "$tmp/garbage.pcap" >"$tmp/g.out" 2>"$tmp/g.err"; rc=$?
t "garbage file: clean error exit 66, nothing on stdout ($rc)" [ $rc -eq 66 ] && [ ! -s "$tmp/g.out" ]
head -c 60000 "$pcaps/ndpi_synscan.pcap" >"$tmp/trunc.pcap"
"$MAMORI" sensor -r "$tmp/trunc.pcap" >"$tmp/t.json" 2>"$tmp/t.err"; rc=$?
t "truncated capture: events for what was read, then exit 65 ($rc)" py "$tmp/t.json" "$rc==65 and ev[-1]['event_type']=='stats'"
# A capture of damaged frames: every header length wrong in turn.
python3 - "$tmp/bad.pcap" <<'PY'
import struct, sys, random
random.seed(7)
eth = b"\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\x08\x00"
ip = bytearray(b"\x45\x00\x00\x3c\x12\x34\x40\x00\x40\x06\x00\x00\x0a\x00\x00\x01\x0a\x00\x00\x02")
tcp = bytearray(b"\x04\xd2\x00\x50\x00\x00\x00\x01\x00\x00\x00\x00\x50\x02\x72\x10\x00\x00\x00\x00")
frames = []
for i in range(200):
    f = bytearray(eth + ip + tcp + b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    for _ in range(3):
        f[random.randrange(len(f))] = random.randrange(256)
    frames.append(bytes(f[:random.randrange(1, len(f) + 1)]))
with open(sys.argv[1], "wb") as o:
    o.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i, f in enumerate(frames):
        o.write(struct.pack("<IIII", 1700000000 + i, 0, len(f), len(f)) + f)
PY
"$MAMORI" sensor -r "$tmp/bad.pcap" >"$tmp/b.json" 2>"$tmp/b.err"; rc=$?
t "damaged frames: exit 0, counted anomaly events ($rc)" py "$tmp/b.json" \
	"$rc==0 and sum(1 for e in ev if e['event_type']=='anomaly')>10 and ev[-1]['stats']['decoder']['invalid']>10"
"$MAMORI" sensor -r "$tmp/none.pcap" 2>/dev/null; t "missing file exits 66" [ $? -eq 66 ]
"$MAMORI" sensor 2>"$tmp/u.err"; rc=$?
t "no -r/-i: usage error, exit 2, one line" [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/u.err")" -eq 1 ]
"$MAMORI" sensor -r "$pcaps/ndpi_dns.pcap" --eve "$tmp/eve.json" >"$tmp/so" 2>/dev/null; rc=$?
t "--eve FILE writes the file, not stdout" [ $rc -eq 0 ] && [ -s "$tmp/eve.json" ] && [ ! -s "$tmp/so" ]
"$MAMORI" sensor -r "$pcaps/ndpi_synscan.pcap" --max-flows 100 >"$tmp/cap.json" 2>/dev/null
t "flow memory cap: evictions counted" py "$tmp/cap.json" "ev[-1]['stats']['flow']['evicted']>=1800 and ev[-1]['stats']['flow']['memcap_flows']==100"

# The oracle: tshark must extract the same names and fingerprints.
if command -v tshark >/dev/null 2>&1; then
	python3 "$MAMORI_SRC/tests/e2e/sensor_oracle.py" "$MAMORI" "$pcaps"/* >"$tmp/oracle.tap" 2>&1
	t "tshark oracle: DNS names, HTTP hosts, SNI, JA3 identical on every capture; every certificate tshark finds (per connection, out-of-order segments too) found" [ $? -eq 0 ]
	grep '^not ok\|^#' "$tmp/oracle.tap" | head -20 | sed 's/^/# /'
else
	n=$((n + 1)); echo "ok $n - tshark oracle # SKIP tshark not installed"
fi
tap_end
