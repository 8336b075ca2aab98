#!/bin/sh
# sensor_detect.sh - the behaviour detectors on captures written here (every
# packet known): beaconing at a steady interval and not at an irregular one,
# SMB/RDP answered by an internet server, a large upload against the
# sensor.outbound_mb_per_hour threshold from a config file, HTTP Basic
# passwords, mail through many outside servers, remote desktop answered on
# the LAN (once per server) and from the internet, a program written to an
# SMB2 share named in Japanese; the real SMBv1, RDP and SMB2 delete
# captures with their switches; the real ICMP tunnel capture,
# also against its threshold; and the real captures of Emotet (spam, C2 by
# address), TrickBot, Tor, mining, Kerberoasting and Zerologon, each with
# its threshold from the config, while no office capture raises them.
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}"
. "$(dirname "$0")/tap.inc"
py() { # file expression over alerts -> exit status
	python3 -c 'import json,sys; ev=[json.loads(l) for l in open(sys.argv[1])]; al=[e["alert"]["mamori"] | {"src": e.get("src_ip"), "dst": e.get("dest_ip"), "dport": e.get("dest_port")} for e in ev if e["event_type"]=="alert"]; ids=[a["rule_id"] for a in al]; sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2"
}
python3 - "$tmp/mix.pcap" <<'PY'
import struct, sys

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF

def ip4(a):
    return bytes(int(x) for x in a.split("."))

def frame(src, dst, proto, l4):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), 1, 0, 64, proto, 0, ip4(src), ip4(dst))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00" + hdr + l4

def tcp(src, sp, dst, dp, flags, payload=b"", seq=1):
    return frame(src, dst, 6, struct.pack("!HHIIBBHHH", sp, dp, seq, 0, 0x50, flags, 65535, 0, 0) + payload)

def udp(src, sp, dst, dp, payload):
    return frame(src, dst, 17, struct.pack("!HHHH", sp, dp, 8 + len(payload), 0) + payload)

pk = []
t0 = 1700000000.0
# beaconing: 10 connections every 60 s (+-0.5 s) to one internet server
for i in range(10):
    ts = t0 + i * 60 + (0.5 if i % 2 else 0)
    pk.append((ts, tcp("192.168.1.10", 50000 + i, "203.0.113.5", 8443, 0x02)))
    pk.append((ts + 0.01, tcp("203.0.113.5", 8443, "192.168.1.10", 50000 + i, 0x12)))
# irregular connections from another PC: no beacon
for i, d in enumerate([0, 7, 100, 130, 400, 410, 500, 720, 725, 900]):
    ts = t0 + d
    pk.append((ts, tcp("192.168.1.20", 51000 + i, "203.0.113.6", 443, 0x02)))
    pk.append((ts + 0.01, tcp("203.0.113.6", 443, "192.168.1.20", 51000 + i, 0x12)))
# SMB answered by an internet server; RDP attempt that nobody answers
pk.append((t0 + 5, tcp("192.168.1.11", 52000, "198.51.100.7", 445, 0x02)))
pk.append((t0 + 5.01, tcp("198.51.100.7", 445, "192.168.1.11", 52000, 0x12)))
pk.append((t0 + 6, tcp("192.168.1.11", 52001, "198.51.100.8", 3389, 0x02)))
# 1.5 MB uploaded by one PC within the hour
for i in range(1100):
    pk.append((t0 + 10 + i * 0.5, udp("192.168.1.12", 40000, "198.51.100.9", 9000, bytes(1400))))
# HTTP Basic authentication to a printer
pk.append((t0 + 20, tcp("192.168.1.13", 53000, "192.168.1.200", 80, 0x18,
                        b"GET /admin HTTP/1.1\r\nHost: printer\r\nAuthorization: Basic YWRtaW46YWRtaW4=\r\n\r\n")))
# SSH on a port that is not 22: known by its banners
pk.append((t0 + 30, tcp("192.168.1.14", 54000, "192.168.1.201", 2222, 0x18, b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")))
pk.append((t0 + 30.1, tcp("192.168.1.201", 2222, "192.168.1.14", 54000, 0x18, b"SSH-2.0-dropbear_2022.83\r\n")))
# one PC mailing through 6 outside mail servers (spam bot); another through one
for i in range(6):
    pk.append((t0 + 40 + i, tcp("192.168.1.15", 55000 + i, "198.51.100.%d" % (20 + i), 25, 0x18,
                                b"EHLO pc15\r\nMAIL FROM:<a@example.jp>\r\n")))
for i in range(6):
    pk.append((t0 + 50 + i, tcp("192.168.1.16", 56000 + i, "198.51.100.30", 587, 0x18,
                                b"EHLO [192.168.1.16]\r\nMAIL FROM:<b@example.jp>\r\n")))
# remote desktop answered: two clients of one server, one of another, and
# one from the internet (that one is exposure, not the LAN notice)
cr = b"\x03\x00\x00\x13\x0e\xe0\x00\x00\x00\x00\x00\x01\x00\x08\x00\x0b\x00\x00\x00"
cc_nla = b"\x03\x00\x00\x13\x0e\xd0\x00\x00\x12\x34\x00\x02\x1f\x08\x00\x02\x00\x00\x00"
cc_old = b"\x03\x00\x00\x0b\x06\xd0\x00\x00\x12\x34\x00"
for i, (cl, sv, cc) in enumerate([("192.168.1.51", "192.168.1.50", cc_nla), ("192.168.1.52", "192.168.1.50", cc_nla),
                                  ("192.168.1.51", "192.168.1.60", cc_old), ("203.0.113.77", "192.168.1.61", cc_nla)]):
    ts = t0 + 60 + i
    pk.append((ts, tcp(cl, 57000 + i, sv, 3389, 0x02)))
    pk.append((ts + 0.01, tcp(sv, 3389, cl, 57000 + i, 0x12)))
    pk.append((ts + 0.02, tcp(cl, 57000 + i, sv, 3389, 0x18, cr, seq=2)))
    pk.append((ts + 0.03, tcp(sv, 3389, cl, 57000 + i, 0x18, cc, seq=2)))

# SMB2: a share named in Japanese, a program written to it (a CREATE chained
# to a CLOSE, a second NetBIOS frame in the same segment), then another
# program read from it in the hour: one alert; a look at a program's
# attributes only (Explorer listing a folder): none
def smb2(cmd, msgid, tree, body, flags=0, nxt=0, status=0):
    return b"\xfeSMB" + struct.pack("<HHIHHIIQIIQ16s", 64, 1, status, cmd, 1, flags, nxt, msgid, 0, tree, 7, b"") + body

def nb(*msgs):
    return b"".join(b"\x00" + len(m).to_bytes(3, "big") + m for m in msgs)

def create(msgid, tree, name, access, disp, nxt=0):
    n = name.encode("utf-16-le")
    body = struct.pack("<HBBIQQIIIIIHHII", 57, 0, 0, 2, 0, 0, access, 0x80, 7, disp, 0x40, 120, len(n), 0, 0) + n
    m = smb2(5, msgid, tree, body, nxt=nxt)
    return m + b"\0" * (-len(m) % 8) if nxt else m

def close(msgid, tree):
    return smb2(6, msgid, tree, struct.pack("<HHI16s", 24, 0, 0, b"\xff" * 16), flags=4)

def smb(ts, cl, sv, payload, seq, to_server=True):
    a, b, sp, dp = (cl, sv, 58000, 445) if to_server else (sv, cl, 445, 58000)
    pk.append((ts, tcp(a, sp, b, dp, 0x18, payload, seq=seq)))

path = "\\\\FS01\\経理".encode("utf-16-le")
pk.append((t0 + 70, tcp("192.168.1.70", 58000, "192.168.1.80", 445, 0x02)))
pk.append((t0 + 70.01, tcp("192.168.1.80", 445, "192.168.1.70", 58000, 0x12)))
smb(t0 + 70.1, "192.168.1.70", "192.168.1.80", nb(smb2(3, 5, 0, struct.pack("<HHHH", 9, 0, 72, len(path)) + path)), 2)
smb(t0 + 70.2, "192.168.1.70", "192.168.1.80", nb(smb2(3, 5, 9, struct.pack("<HBBIII", 16, 1, 0, 0, 0, 0x1f01ff), flags=1)), 2, False)
c1 = create(6, 9, "請求書.exe", 0x0012019f, 5, nxt=1)
c1 = c1[:20] + struct.pack("<I", len(c1)) + c1[24:]
smb(t0 + 70.3, "192.168.1.70", "192.168.1.80", nb(c1 + close(7, 9), create(8, 9, "readme.txt", 0x0012019f, 5)), 200)
smb(t0 + 70.4, "192.168.1.70", "192.168.1.80", nb(create(9, 9, "tools\\run.ps1", 0x00120089, 1)), 800)
pk.append((t0 + 71, tcp("192.168.1.71", 58001, "192.168.1.80", 445, 0x02)))
pk.append((t0 + 71.1, tcp("192.168.1.71", 58001, "192.168.1.80", 445, 0x18, nb(create(3, 4, "setup.exe", 0x00100080, 1)), seq=2)))
# PsExec with a renamed service: blabla.exe written to ADMIN$ on one
# connection, its pipe opened on IPC$ on another (remote execution); and
# the service pipe opened by .70 after its program went to an ordinary
# share (no remote execution)
def smb_on(ts, cl, sv, port, payload, seq, to_server=True):
    a, b, sp, dp = (cl, sv, port, 445) if to_server else (sv, cl, 445, port)
    pk.append((ts, tcp(a, sp, b, dp, 0x18, payload, seq=seq)))

def tree(ts, cl, sv, port, msgid, tid, unc):
    u = unc.encode("utf-16-le")
    pk.append((ts, tcp(cl, port, sv, 445, 0x02)))
    pk.append((ts + 0.01, tcp(sv, 445, cl, port, 0x12)))
    smb_on(ts + 0.02, cl, sv, port, nb(smb2(3, msgid, 0, struct.pack("<HHHH", 9, 0, 72, len(u)) + u)), 2)
    smb_on(ts + 0.03, cl, sv, port, nb(smb2(3, msgid, tid, struct.pack("<HBBIII", 16, 1, 0, 0, 0, 0x1f01ff), flags=1)), 2, False)

tree(t0 + 80, "192.168.1.90", "192.168.1.91", 58010, 21, 31, "\\\\PC91\\ADMIN$")
smb_on(t0 + 80.1, "192.168.1.90", "192.168.1.91", 58010, nb(create(22, 31, "blabla.exe", 0x0012019f, 5)), 400)
tree(t0 + 95, "192.168.1.90", "192.168.1.91", 58011, 23, 32, "\\\\PC91\\IPC$")
smb_on(t0 + 95.1, "192.168.1.90", "192.168.1.91", 58011, nb(create(24, 32, "blabla-NLLT108334-37048-stdin", 0x0012019f, 1)), 400)
tree(t0 + 96, "192.168.1.70", "192.168.1.80", 58012, 25, 33, "\\\\FS01\\IPC$")
smb_on(t0 + 96.1, "192.168.1.70", "192.168.1.80", 58012, nb(create(26, 33, "svcctl", 0x0012019f, 1)), 400)
pk.sort(key=lambda r: r[0])
with open(sys.argv[1], "wb") as o:
    o.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    for ts, f in pk:
        o.write(struct.pack("<IIII", int(ts), int((ts % 1) * 1e6), len(f), len(f)) + f)
PY
printf 'sensor:\n  outbound_mb_per_hour: 1\n' >"$tmp/low.yaml"
"$MAMORI" --config "$tmp/low.yaml" sensor -r "$tmp/mix.pcap" --eve - >"$tmp/low.json" 2>"$tmp/low.err"; rc=$?
"$MAMORI" sensor -r "$tmp/mix.pcap" --eve - >"$tmp/def.json" 2>"$tmp/def.err"; rc2=$?
t "both runs exit 0 ($rc, $rc2)" [ $rc -eq 0 ] && [ $rc2 -eq 0 ]
t "beaconing: 192.168.1.10 -> 203.0.113.5:8443 every 60 s" py "$tmp/def.json" \
	"any(a['rule_id']=='mamori.net.beacon' and a['src']=='192.168.1.10' and a['dport']==8443 and a['interval_s']==60 for a in al)"
t "irregular connections are not beaconing" py "$tmp/def.json" "ids.count('mamori.net.beacon')==1"
t "SMB answered by an internet server" py "$tmp/def.json" \
	"[a['dst'] for a in al if a['rule_id']=='mamori.net.outbound_smb_rdp']==['198.51.100.7']"
t "large upload: over 1 MB/h with the config threshold at 1" py "$tmp/low.json" \
	"any(a['rule_id']=='mamori.net.large_upload' and a['src']=='192.168.1.12' and a['bytes']>=1048576 for a in al)"
t "large upload: nothing at the default 1024 MB/h" py "$tmp/def.json" "'mamori.net.large_upload' not in ids"
t "HTTP Basic password in clear" py "$tmp/def.json" \
	"any(a['rule_id']=='mamori.net.cleartext_http_basic' and a['dst']=='192.168.1.200' for a in al)"
t "mail through 6 outside servers: spam bot; 6 mails through one server: nothing" py "$tmp/def.json" \
	"[(a['src'], a['reason']) for a in al if a['rule_id']=='mamori.net.smtp_spam']==[('192.168.1.15','many_servers')]"
t "every alert has ja/en what/why/action" py "$tmp/def.json" \
	"all(a['text'][l][k] for a in al for l in ('en','ja') for k in ('what','why','action'))"
t "remote desktop on the LAN: once per server (two clients of .50: one notice), NLA or not" py "$tmp/def.json" \
	"sorted((a['server'], a['client'], a['security'], a['severity']) for a in al if a['rule_id']=='mamori.net.rdp_lan')==[('192.168.1.50','192.168.1.51','nla','low'),('192.168.1.60','192.168.1.51','rdp','low')]"
t "remote desktop from the internet: the high exposure alert, no LAN notice" py "$tmp/def.json" \
	"[(a['src'], a['severity']) for a in al if a['rule_id']=='mamori.net.exposed_service']==[('203.0.113.77','high')] and '192.168.1.61' not in [a.get('server') for a in al]"
t "program written to a share named in Japanese: one alert in the hour, the file named" py "$tmp/def.json" \
	"[(a['client'], a['server'], a['share'], a['files'], a['severity']) for a in al if a['rule_id']=='mamori.net.share_executable' and a['client']!='192.168.1.90']==[('192.168.1.70','192.168.1.80','経理',[{'name':'請求書.exe','action':'written'}],'low')]"
t "renamed PsExec service: blabla.exe written to ADMIN$, its pipe opened on IPC$ on another connection: high remote_exec; svcctl after a program on an ordinary share: none" py "$tmp/def.json" \
	"[(a['client'], a['server'], a['share'], a['program'], a['pipe'], a['seconds_after_write'], a['severity']) for a in al if a['rule_id']=='mamori.net.remote_exec']==[('192.168.1.90','192.168.1.91','ADMIN\$','blabla.exe','blabla-NLLT108334-37048-stdin',15,'high')]"
printf 'sensor:\n  rdp_lan: false\n  share_executables: false\n' >"$tmp/off.yaml"
"$MAMORI" --config "$tmp/off.yaml" sensor -r "$tmp/mix.pcap" --eve - >"$tmp/off.json" 2>/dev/null
t "sensor.rdp_lan and sensor.share_executables false: neither raised (remote_exec still is)" py "$tmp/off.json" \
	"'mamori.net.rdp_lan' not in ids and 'mamori.net.share_executable' not in ids and 'mamori.net.exposed_service' in ids and 'mamori.net.remote_exec' in ids"
printf 'sensor:\n  remote_exec: false\n' >"$tmp/rx.yaml"
"$MAMORI" --config "$tmp/rx.yaml" sensor -r "$tmp/mix.pcap" --eve - >"$tmp/rx.json" 2>/dev/null
t "sensor.remote_exec false: no remote_exec, the share alert stays" py "$tmp/rx.json" \
	"'mamori.net.remote_exec' not in ids and 'mamori.net.share_executable' in ids"
printf 'sensor:\n  outbound_mb_per_hour: 0\n' >"$tmp/bad.yaml"
"$MAMORI" --config "$tmp/bad.yaml" sensor -r "$tmp/mix.pcap" >/dev/null 2>"$tmp/bad.err"; rc=$?
t "threshold out of range: config error 78 ($rc)" [ $rc -eq 78 ]

evpy() { python3 -c 'import json,sys; ev=[json.loads(l) for l in open(sys.argv[1])]; sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2"; }
t "SSH on port 2222 from both banners" evpy "$tmp/def.json" \
	"any(e['event_type']=='ssh' and e['ssh'].get('client',{}).get('software_version')=='OpenSSH_9.2p1' for e in ev) and any(e['event_type']=='ssh' and e['ssh'].get('server',{}).get('software_version')=='dropbear_2022.83' for e in ev) and any(e['event_type']=='flow' and e['dest_port']==2222 and e.get('app_proto')=='ssh' for e in ev)"
pcaps="$MAMORI_SRC/tests/data/pcap"
"$MAMORI" sensor -r "$pcaps/ndpi_zoom.pcap" --eve - >"$tmp/zoom.json" 2>/dev/null
t "asset: DHCP host name and vendor class, OUI vendor (TP-Link switch)" evpy "$tmp/zoom.json" \
	"any(e['event_type']=='asset' and e['asset']['mac']=='d8:0d:17:d6:55:ab' and e['asset'].get('hostname')=='TL-SG116E' and e['asset'].get('dhcp_vendor_class')=='TL-SG116E' and e['asset'].get('vendor','').startswith('TP-LINK') for e in ev)"
t "asset: NetBIOS registration names the iMac, not its workgroup" evpy "$tmp/zoom.json" \
	"{e['asset'].get('hostname') for e in ev if e['event_type']=='asset' and e['asset']['mac']=='28:37:37:00:6d:c8'}=={None,'LUCAS-IMAC'}"
t "asset: each device is new once; stats count them" evpy "$tmp/zoom.json" \
	"sum(1 for e in ev if e['event_type']=='asset' and e['asset']['new'])==ev[-1]['stats']['assets']['devices']>=3"
"$MAMORI" sensor -r "$pcaps/ndpi_smbv1.pcap" --eve - >"$tmp/smb.json" 2>/dev/null
"$MAMORI" sensor -r "$pcaps/ndpi_rdp.pcap" --eve - >"$tmp/rdp.json" 2>/dev/null
smb_rdp() {
	evpy "$tmp/smb.json" "any(e['event_type']=='flow' and e.get('app_proto')=='smb' for e in ev)" &&
		evpy "$tmp/rdp.json" "any(e['event_type']=='flow' and e.get('app_proto')=='rdp' for e in ev)"
}
t "SMB1 and RDP recognised by their handshakes" smb_rdp
t "SMBv1: medium alert naming server 10.128.0.243 and client 172.16.156.130" py "$tmp/smb.json" \
	"[(a['rule_id'], a['severity'], a['server'], a['client']) for a in al]==[('mamori.net.smb1','medium','10.128.0.243','172.16.156.130')]"
printf 'sensor:\n  smb1: false\n' >"$tmp/smb1.yaml"
"$MAMORI" --config "$tmp/smb1.yaml" sensor -r "$pcaps/ndpi_smbv1.pcap" --eve - >"$tmp/smb1off.json" 2>/dev/null
t "SMBv1: sensor.smb1 false: quiet" py "$tmp/smb1off.json" "not al"
t "RDP capture: low notice that 192.168.2.142 accepts remote desktop (NLA)" py "$tmp/rdp.json" \
	"[(a['rule_id'], a['severity'], a['server'], a['client'], a['security']) for a in al]==[('mamori.net.rdp_lan','low','192.168.2.142','172.16.2.185','nla')]"
"$MAMORI" sensor -r "$pcaps/ndpi_smb_deletefile.pcap" --eve - >"$tmp/smbdel.json" 2>/dev/null
t "SMB2 capture: innosetup-5.6.1.exe deleted on the share (tree 17), not the folder listing" py "$tmp/smbdel.json" \
	"[(a['rule_id'], a['severity'], a['client'], a['server'], a['share'], a['files']) for a in al]==[('mamori.net.share_executable','low','192.168.1.118','192.168.1.187','tree 17',[{'name':'Luca\\\\Downloads\\\\innosetup-5.6.1.exe','action':'deleted'}])]"

# The PsExec capture with its SMB segments cut into 37- and 100-byte pieces
# (tree connects, CREATEs and NetBIOS headers across segments), and with
# every 50th piece left out (gaps).
seg() { # split drop out
	python3 "$MAMORI_SRC/tests/e2e/pcap_segments.py" "$pcaps/sv_smb2_psexec_add_user.pcap" "$tmp/seg.pcap" \
		--port 445 --split "$1" --drop "$2" >/dev/null && "$MAMORI" sensor -r "$tmp/seg.pcap" --eve - >"$tmp/$3" 2>/dev/null
}
for sz in 37 100; do
	seg $sz 0 "seg$sz.json"; rc=$?
	t "PsExec capture in $sz-byte segments: exit 0, share write and remote execution found through the SMB buffer ($rc)" evpy "$tmp/seg$sz.json" \
		"$rc==0 and sorted(e['alert']['mamori']['rule_id'] for e in ev if e['event_type']=='alert' and e['dest_port']==445)==['mamori.net.remote_exec','mamori.net.share_executable'] and ev[-1]['stats']['smb_buffer']['reassembled']>=10 and ev[-1]['stats']['smb_buffer']['gaps']==0"
done
seg 37 50 segdrop.json; rc=$?
t "PsExec capture with every 50th piece missing: exit 0, gaps counted in stats.smb_buffer ($rc)" evpy "$tmp/segdrop.json" \
	"$rc==0 and ev[-1]['stats']['smb_buffer']['gaps']>=50"
# The delete capture in 37-byte pieces, every 50th missing: the gaps land
# inside frames; the sensor resumes at the next SMB message and still sees
# the delete.
python3 "$MAMORI_SRC/tests/e2e/pcap_segments.py" "$pcaps/ndpi_smb_deletefile.pcap" "$tmp/segdel.pcap" \
	--port 445 --split 37 --drop 50 >/dev/null && "$MAMORI" sensor -r "$tmp/segdel.pcap" --eve - >"$tmp/segdel.json" 2>/dev/null
t "SMB2 delete capture with every 50th 37-byte piece missing: the delete still found, gaps counted, framing never lost" evpy "$tmp/segdel.json" \
	"[(e['alert']['mamori']['rule_id'], e['alert']['mamori']['files']) for e in ev if e['event_type']=='alert']==[('mamori.net.share_executable',[{'name':'Luca\\\\Downloads\\\\innosetup-5.6.1.exe','action':'deleted'}])] and ev[-1]['stats']['smb_buffer']['gaps']>=10 and ev[-1]['stats']['smb_buffer']['not_smb']==0"
"$MAMORI" sensor -r "$pcaps/sv_smb2_psexec_add_user.pcap" --eve - >"$tmp/psx.json" 2>/dev/null
t "PsExec capture as captured: nothing reassembled, nothing lost" evpy "$tmp/psx.json" \
	"ev[-1]['stats']['smb_buffer']=={'reassembled':0,'gaps':0,'over_flow_cap':0,'over_global_cap':0,'not_smb':0,'resynced':0,'skipped_bytes':0,'false_syncs':0,'scan_exhausted':0}"

icmp="$MAMORI_SRC/tests/data/pcap/ndpi_icmp-tunnel.pcap"
"$MAMORI" sensor -r "$icmp" --eve - >"$tmp/icmp.json" 2>/dev/null
t "ICMP tunnel between 192.168.154.131 and .132" py "$tmp/icmp.json" \
	"[a['rule_id'] for a in al]==['mamori.net.icmp_tunnel'] and {al[0]['src'], al[0]['dst']}=={'192.168.154.131','192.168.154.132'}"
printf 'sensor:\n  icmp_tunnel_bytes: 1000000\n' >"$tmp/icmp.yaml"
"$MAMORI" --config "$tmp/icmp.yaml" sensor -r "$icmp" --eve - >"$tmp/icmp2.json" 2>/dev/null
t "ICMP tunnel threshold from the config (1 MB: quiet)" py "$tmp/icmp2.json" "not al"

# Real captures of the attacks, each with its threshold from the config.
real() { # pcap out [config]
	if [ -n "${3:-}" ]; then
		"$MAMORI" --config "$3" sensor -r "$pcaps/$1" --eve - >"$tmp/$2" 2>/dev/null
	else
		"$MAMORI" sensor -r "$pcaps/$1" --eve - >"$tmp/$2" 2>/dev/null
	fi
}
conf() { printf 'sensor:\n  %s\n' "$1" >"$tmp/c.yaml"; }
real ndpi_emotet.pcap emotet.json
t "Emotet: spam from 10.2.25.102 greeting with a false address" py "$tmp/emotet.json" \
	"[(a['src'], a['dst'], a['dport'], a['reason'], a['severity']) for a in al if a['rule_id']=='mamori.net.smtp_spam']==[('10.2.25.102','193.252.22.84',587,'false_helo','high')]"
t "Emotet: C2 by address (TLS without a name, twice, never looked up)" py "$tmp/emotet.json" \
	"[(a['src'], a['dst'], a['connections']) for a in al if a['rule_id']=='mamori.net.tls_ip_c2']==[('10.4.25.101','138.197.147.101',2)]"
conf 'c2_ip_connections: 3'; real ndpi_emotet.pcap emotet3.json "$tmp/c.yaml"
t "Emotet: C2 threshold from the config (3 connections: quiet)" py "$tmp/emotet3.json" "'mamori.net.tls_ip_c2' not in ids and 'mamori.net.smtp_spam' in ids"
real ndpi_trickbot.pcap trickbot.json
t "TrickBot: POST to a bare address on port 7080" py "$tmp/trickbot.json" \
	"[(a['src'], a['dst'], a['dport'], a['severity']) for a in al]==[('10.12.29.101','82.118.225.196',7080,'high')] and 'MSIE 7.0' in al[0]['user_agent']"
real ndpi_tor.pcap tor.json
t "Tor: 192.168.1.252 to relays under made-up names" py "$tmp/tor.json" \
	"[(a['rule_id'], a['src'], a['relays']) for a in al]==[('mamori.net.tor','192.168.1.252',2)]"
conf 'tor_relays: 6'; real ndpi_tor.pcap tor6.json "$tmp/c.yaml"
t "Tor: threshold from the config (6 relays, the capture has 5: quiet)" py "$tmp/tor6.json" "not al"
conf 'tor_relays: 5'; real ndpi_tor.pcap tor5.json "$tmp/c.yaml"
t "Tor: threshold 5 relays: raised" py "$tmp/tor5.json" "[a['relays'] for a in al]==[5]"
real ndpi_mining.pcapng mining.json
t "mining: the 4 pool connections (Stratum, Ethereum proxy, Monero login)" py "$tmp/mining.json" \
	"sorted((a['src'], a['dst'], a['dport'], a['method']) for a in al if a['rule_id']=='mamori.net.crypto_mining')==[('147.229.13.222','185.71.66.39',9999,'eth_submitLogin'),('192.168.2.148','116.211.167.195',3333,'mining.subscribe'),('192.168.2.148','94.23.199.191',3333,'mining.subscribe'),('192.168.2.92','178.32.196.217',9050,'login')]"
real sv_kerberoast.pcap krb.json
t "Kerberoasting: RC4 ticket for HTTP/dc-mantvydas to 10.0.0.2" py "$tmp/krb.json" \
	"[(a['rule_id'], a['src'], a['service'], a['client'], a['ticket_etype']) for a in al]==[('mamori.net.kerberoast','10.0.0.2','HTTP/dc-mantvydas.offense.local','spotless',23)]"
conf 'kerberoast_services: 2'; real sv_kerberoast.pcap krb2.json "$tmp/c.yaml"
t "Kerberoasting: threshold from the config (2 services: quiet)" py "$tmp/krb2.json" "not al"
real sv_zerologon.pcap zl.json
t "Zerologon: attempts from 172.16.0.10 on DC 172.16.5.58, then the password reset (critical)" py "$tmp/zl.json" \
	"[(a['rule_id'], a['severity'], a['src'], a['dst']) for a in al]==[('mamori.net.zerologon','high','172.16.0.10','172.16.5.58'),('mamori.net.zerologon_reset','critical','172.16.0.10','172.16.5.58')] and al[0]['attempts']==3 and al[0]['computer']=='BAS-AD-01'"
conf 'zerologon_attempts: 16'; real sv_zerologon.pcap zl16.json "$tmp/c.yaml"
t "Zerologon: threshold from the config (16 attempts within 10 min)" py "$tmp/zl16.json" \
	"[a['attempts'] for a in al if a['rule_id']=='mamori.net.zerologon']==[16]"
conf 'zerologon_attempts: 17'; "$MAMORI" --config "$tmp/c.yaml" sensor -r "$pcaps/sv_zerologon.pcap" >/dev/null 2>&1
t "Zerologon: threshold above the counters' 16: config error 78" [ $? -eq 78 ]

# The office captures raise none of these, and nothing above low.
new="['mamori.net.smtp_spam','mamori.net.http_ip_c2','mamori.net.tls_ip_c2','mamori.net.tor','mamori.net.crypto_mining','mamori.net.kerberoast','mamori.net.zerologon','mamori.net.zerologon_reset','mamori.net.smb1','mamori.net.rdp_lan','mamori.net.share_executable','mamori.net.remote_exec']"
for p in ndpi_443-firefox.pcap ndpi_NTPv4.pcap ndpi_anyconnect-vpn.pcap ndpi_dns.pcap ndpi_dropbox.pcap \
    ndpi_google_ssl.pcap ndpi_googledns_android10.pcap ndpi_http.pcapng ndpi_imaps.pcap ndpi_ipp.pcap \
    ndpi_kerberos.pcap ndpi_netbios.pcap ndpi_smtp.pcap ndpi_snmp.pcap ndpi_syslog.pcap ndpi_teams.pcap \
    ndpi_windowsupdate_over_http.pcap ndpi_zoom.pcap; do
	real "$p" office.json
	t "office capture $p: none of the new alerts, nothing above low" py "$tmp/office.json" \
		"not any(i in $new for i in ids) and not any(a['severity'] in ('medium','high','critical') for a in al)"
done
tap_end
