#!/bin/sh
# sensor_frag.sh - IP fragment reassembly. Real fragments: a 3.8 KB DNS
# answer sent over IPv4 and IPv6 on a loopback with MTU 1280 in a private
# network namespace, captured by tcpdump, must be reassembled and read
# whole (its last TXT record is in the last fragment). Crafted fragments:
# an IPv4 overlap (the data first received is kept), an IPv6 overlap (the
# datagram is dropped), a fragment past 64 KiB, a datagram that never
# completes (timeout) and more datagrams in flight than the cap: each a
# counted anomaly event, never a crash.
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}"
py() { # file expression over events (ev), dns events (dn), anomaly names (an)
	python3 -c 'import json,sys; ev=[json.loads(l) for l in open(sys.argv[1])]; dn=[e for e in ev if e["event_type"]=="dns"]; an=[e["anomaly"]["event"] for e in ev if e["event_type"]=="anomaly"]; st=ev[-1]["stats"]; sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2"
}
. "$(dirname "$0")/tap.inc"
chmod 755 "$tmp"
trap "rm -rf $tmp" EXIT

# The DNS answer both tests use: 20 TXT records of 200 bytes.
cat >"$tmp/dns.py" <<'PY'
import struct
def name(n):
    return b"".join(bytes([len(p)]) + p for p in n.encode().split(b".")) + b"\0"
def answer(qname):
    msg = struct.pack(">HHHHHH", 0x1234, 0x8180, 1, 20, 0, 0) + name(qname) + struct.pack(">HH", 16, 1)
    for i in range(20):
        txt = (b"answer%02d-" % i) * 20
        msg += b"\xc0\x0c" + struct.pack(">HHIH", 16, 1, 300, len(txt) + 1) + bytes([len(txt)]) + txt
    return msg
PY

if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null 2>&1 && command -v tcpdump >/dev/null 2>&1 &&
    unshare -n true 2>/dev/null; then
	cat >"$tmp/gen.sh" <<'GEN'
set -e
d=$1
ip link set lo mtu 1280 up
tcpdump -i lo -U --immediate-mode -w "$d/frag.pcap" udp 2>"$d/tcpdump.err" & td=$!
i=0; while ! grep -q listening "$d/tcpdump.err" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
PYTHONPATH="$d" python3 -c '
import socket, dns
msg = dns.answer("big.frag.example.jp")
for fam, addr in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    s = socket.socket(fam, socket.SOCK_DGRAM)
    if fam == socket.AF_INET:
        s.setsockopt(socket.IPPROTO_IP, 10, 0)   # IP_MTU_DISCOVER: IP_PMTUDISC_DONT
    else:
        s.setsockopt(socket.IPPROTO_IPV6, 23, 0)  # IPV6_MTU_DISCOVER: dont
    s.bind((addr, 53))
    s.sendto(msg, (addr, 40000))
'
sleep 1
kill $td; wait $td 2>/dev/null || true
GEN
	unshare -n bash "$tmp/gen.sh" "$tmp" >/dev/null 2>&1
	"$MAMORI" sensor -r "$tmp/frag.pcap" --eve - >"$tmp/real.json" 2>"$tmp/real.err"
	t "real fragments: exit 0" [ $? -eq 0 ]
	t "real fragments: 8 fragments captured, 2 datagrams reassembled" py "$tmp/real.json" \
		"st['decoder']['fragments']==8 and st['defrag']['reassembled']==2 and st['defrag']['in_flight']==0 and not an"
	t "real fragments: the 3.8 KB DNS answer read over IPv4 and IPv6" py "$tmp/real.json" \
		"sorted(e['src_ip'] for e in dn if e['dns'].get('rrname')=='big.frag.example.jp' and e['dns']['type']=='answer')==['127.0.0.1','::1']"
	if command -v tshark >/dev/null 2>&1; then
		t "tshark oracle: the same DNS names from the reassembled datagrams" \
			sh -c "python3 '$MAMORI_SRC/tests/e2e/sensor_oracle.py' '$MAMORI' '$tmp/frag.pcap' >'$tmp/oracle.tap'"
	fi
else
	n=$((n + 1)); echo "ok $n - real fragments # SKIP needs root, unshare and tcpdump"
fi

# Crafted fragments in a pcap (Ethernet).
PYTHONPATH="$tmp" python3 - "$tmp/crafted.pcap" <<'PY'
import struct, sys, dns
out = [struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)]
def frame(ts, l3, v6=False):
    f = b"\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02" + (b"\x86\xdd" if v6 else b"\x08\x00") + l3
    out.append(struct.pack("<IIII", int(ts), int(ts * 1e6) % 1000000, len(f), len(f)) + f)
def v4frag(ts, ident, off, mf, data, src=b"\x0a\x00\x00\x35", dst=b"\x0a\x00\x00\x02"):
    h = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(data), ident, (0x2000 if mf else 0) | off // 8, 64, 17, 0, src, dst)
    frame(ts, h + data)
def v6frag(ts, ident, off, mf, data):
    fh = struct.pack(">BBHI", 17, 0, off | (1 if mf else 0), ident)
    h = struct.pack(">IHBB", 0x60000000, 8 + len(data), 44, 64) + b"\xfe\x80" + b"\0" * 13 + b"\x01" + b"\xfe\x80" + b"\0" * 13 + b"\x02"
    frame(ts, h + fh + data, True)
msg = dns.answer("overlap.example.jp")
udp = struct.pack(">HHHH", 53, 40000, 8 + len(msg), 0) + msg
# the first TXT record's text starts at byte 57 of the UDP datagram
forged = udp[:64] + b"X" * 32 + udp[96:]
# IPv4 overlap: A [0,72) MF, B [64,96) all X, C [72,end): bytes 64-72 stay
# A's (first received), 72-96 are B's (it came before C)
v4frag(1000.0, 7, 0, True, udp[:72])
v4frag(1000.1, 7, 64, True, forged[64:96])
v4frag(1000.2, 7, 72, False, udp[72:])
# IPv6 overlap: the datagram is dropped
v6frag(1001.0, 9, 0, True, udp[:48])
v6frag(1001.1, 9, 40, True, udp[40:96])
v6frag(1001.2, 9, 96, False, udp[96:])
# a fragment past 64 KiB
v4frag(1002.0, 8, 65528, False, b"\0" * 64)
# a first fragment whose rest never comes, then traffic 40 s later: timeout
v4frag(1003.0, 11, 0, True, udp[:64])
# 300 first fragments: more datagrams than the 256 in flight
for i in range(300):
    v4frag(1004.0 + i / 1000, 1000 + i, 0, True, udp[:64], src=bytes([10, 1, i // 256, i % 256]))
v4frag(1050.0, 12, 0, False, struct.pack(">HHHH", 5000, 5001, 12, 0) + b"late")
open(sys.argv[1], "wb").write(b"".join(out))
PY
"$MAMORI" sensor -r "$tmp/crafted.pcap" --eve - >"$tmp/c.json" 2>"$tmp/c.err"
t "crafted: exit 0" [ $? -eq 0 ]
t "IPv4 overlap: anomaly defrag.ipv4.frag_overlap" py "$tmp/c.json" "'defrag.ipv4.frag_overlap' in an"
t "IPv4 overlap: reassembled with the data first received for each byte" py "$tmp/c.json" \
	"any(e['src_ip']=='10.0.0.53' and e['dns']['answers'][0]['rdata'][:39]=='answer00-answer0'[:15]+'X'*24 for e in dn if e['dns'].get('answers'))"
t "IPv6 overlap: anomaly and the datagram dropped" py "$tmp/c.json" \
	"'defrag.ipv6.frag_overlap' in an and not any(e['src_ip'].startswith('fe80') for e in dn)"
t "fragment past 64 KiB: defrag.ipv4.frag_too_large" py "$tmp/c.json" "'defrag.ipv4.frag_too_large' in an"
t "datagram never completed: defrag.timeout" py "$tmp/c.json" "'defrag.timeout' in an"
t "more than 256 datagrams in flight: defrag.max_frag_hit, memory bounded" py "$tmp/c.json" \
	"an.count('defrag.max_frag_hit')>=44 and st['defrag']['in_flight']<=256 and st['decoder']['event']['defrag.max_frag_hit']>=44 and st['decoder']['event']['defrag.timeout']>=200"
tap_end
