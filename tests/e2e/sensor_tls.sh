#!/bin/sh
# sensor_tls.sh - TLS certificates through the handshake buffer: the real
# nDPI capture whose server certificate is on the (nDPI test copy of the)
# SSLBL SHA-1 list raises mamori.net.ioc_cert with Suricata's tls fields;
# then a certificate made here (150 names, ~5 KB, so it spans TCP
# segments), served by openssl s_server to s_client in a private network
# namespace and captured with tcpdump, is read whole and matches a listed-
# fingerprint file made from it. The Teams capture with every ClientHello
# cut in two and sent second part first gives the same hellos.
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}"
py() { # file expression over events (ev), tls events (tl), alerts (al)
	python3 -c 'import json,sys; ev=[json.loads(l) for l in open(sys.argv[1])]; al=[e for e in ev if e["event_type"]=="alert"]; tl=[e["tls"] for e in ev if e["event_type"]=="tls"]; sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2"
}
. "$(dirname "$0")/tap.inc"
chmod 755 "$tmp"
data="$MAMORI_SRC/tests/data"

"$MAMORI" sensor -r "$data/pcap/ndpi_tls_malicious_sha1.pcapng" --eve - \
	--ioc "$data/ioc/abusech_sslbl_sha1_fingerprints.csv" >"$tmp/m.json" 2>"$tmp/m.err"
t "real capture: exit 0" [ $? -eq 0 ]
t "real capture: certificate fields as Suricata names them" py "$tmp/m.json" \
	"any(x.get('fingerprint')=='0d:db:34:f8:75:63:2c:7e:1e:c0:9d:75:82:7f:82:d2:33:6d:fe:b6' and x['subject']=='CN=www.prbtest.dev' and x['issuerdn']=='C=US, O=Google Trust Services LLC, CN=GTS CA 1D4' and x['notbefore']=='2023-11-28T12:50:11' and x['notafter']=='2024-02-26T13:39:22' for x in tl)"
t "real capture: SSLBL SHA-1 indicator raises mamori.net.ioc_cert" py "$tmp/m.json" \
	"any(a['alert']['mamori']['rule_id']=='mamori.net.ioc_cert' and a['alert']['mamori']['ioc']['value']=='0ddb34f875632c7e1ec09d75827f82d2336dfeb6' and a['alert']['mamori']['ioc']['label']=='Fake' and a['dest_port']==443 for a in al)"
"$MAMORI" sensor -r "$data/pcap/ndpi_teams.pcap" --eve - >"$tmp/teams.json" 2>/dev/null
t "real capture with reordered segments (Teams): 36 connections' certificates, 19 held segments used" py "$tmp/teams.json" \
	"sum(1 for x in tl if 'fingerprint' in x)==36 and ev[-1]['stats']['tls_buffer']['reordered']==19 and ev[-1]['stats']['tls_buffer']['hold_dropped']==0 and ev[-1]['stats']['tls_buffer']['gaps']==0"
# The same capture with each connection's ClientHello cut after 100 bytes
# and its second part sent first (tests/e2e/pcap_segments.py).
python3 "$MAMORI_SRC/tests/e2e/pcap_segments.py" "$data/pcap/ndpi_teams.pcap" "$tmp/teams_ch.pcap" \
	--port 443 --swap-first-client 100 >"$tmp/teams_ch.out"
"$MAMORI" sensor -r "$tmp/teams_ch.pcap" --eve - >"$tmp/teams_ch.json" 2>/dev/null
hellos() { python3 -c 'import json,sys; print(sorted((e["src_port"], e["tls"].get("sni"), e["tls"]["ja3"]["hash"], e["tls"].get("ja4")) for e in map(json.loads, open(sys.argv[1])) if e["event_type"]=="tls" and "ja3" in e["tls"]))' "$1"; }
hellos "$tmp/teams.json" >"$tmp/h1"; hellos "$tmp/teams_ch.json" >"$tmp/h2"
t "ClientHellos out of order ($(cat "$tmp/teams_ch.out")): the same SNI, JA3 and JA4 as in order" \
	sh -c "grep -q 'swapped 37' '$tmp/teams_ch.out' && cmp -s '$tmp/h1' '$tmp/h2'"
t "ClientHellos out of order: all 38 read" py "$tmp/teams_ch.json" "sum(1 for x in tl if 'ja3' in x)==38"
t "ClientHellos out of order: the held second parts counted in stats.tls_buffer (held, reordered)" py "$tmp/teams_ch.json" \
	"ev[-1]['stats']['tls_buffer']['reordered']>=19+36 and ev[-1]['stats']['tls_buffer']['hold_dropped']==0 and ev[-1]['stats']['tls_buffer']['gaps']==0"
t "real capture: JA4 beside JA3 in the ClientHello event" py "$tmp/m.json" \
	"any(x.get('ja4')=='t12d2808h2_d943125447b4_dd0a478c1db3' and x['ja3']['hash'] for x in tl)"
t "without the list: no alert" sh -c "'$MAMORI' sensor -r '$data/pcap/ndpi_tls_malicious_sha1.pcapng' --eve - 2>/dev/null | grep -c '\"event_type\":\"alert\"' | grep -qx 0"

if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null 2>&1 || ! command -v tcpdump >/dev/null 2>&1 ||
    ! command -v openssl >/dev/null 2>&1 || ! unshare -n true 2>/dev/null; then
	n=$((n + 1)); echo "ok $n - generated TLS capture # SKIP needs root, unshare, tcpdump, openssl"
	echo "1..$n"; [ $fail -eq 0 ]; exit
fi
cat >"$tmp/gen.sh" <<'GEN'
set -e
d=$1
ip link set lo up
san=$(python3 -c 'print(",".join("DNS:host%03d.office.example.jp" % i for i in range(150)))')
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/key.pem" -out "$d/cert.pem" -days 30 \
	-subj "/C=JP/O=Mamori Test/CN=big.office.example.jp" -addext "subjectAltName=$san" 2>/dev/null
tcpdump -i lo -U --immediate-mode -w "$d/tls.pcap" tcp port 4433 2>"$d/tcpdump.err" & td=$!
i=0; while ! grep -q listening "$d/tcpdump.err" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
openssl s_server -accept 127.0.0.1:4433 -cert "$d/cert.pem" -key "$d/key.pem" -tls1_2 -quiet \
	>/dev/null 2>&1 & sv=$!
i=0; while ! (echo >/dev/tcp/127.0.0.1/4433) 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
echo hello | timeout 10 openssl s_client -connect 127.0.0.1:4433 -servername big.office.example.jp \
	-tls1_2 -quiet >/dev/null 2>&1 || true
sleep 1
kill $sv; kill $td; wait $td 2>/dev/null || true
GEN
chmod 644 "$tmp/gen.sh"
unshare -n bash "$tmp/gen.sh" "$tmp" >/dev/null 2>&1
der_sha1=$(openssl x509 -in "$tmp/cert.pem" -outform DER | sha1sum | cut -c1-40)
openssl x509 -in "$tmp/cert.pem" -outform DER >"$tmp/cert.der"
t "generated: leaf certificate is larger than one segment" [ "$(wc -c <"$tmp/cert.der")" -gt 4096 ]
{ head -9 "$data/ioc/abusech_sslbl_sha1_fingerprints.csv"; echo "2026-12-05 00:00:00,$der_sha1,Test C&C"; } >"$tmp/list.csv"
"$MAMORI" sensor -r "$tmp/tls.pcap" --eve - --ioc "$tmp/list.csv" >"$tmp/g.json" 2>"$tmp/g.err"
t "generated: exit 0" [ $? -eq 0 ]
fp=$(echo "$der_sha1" | sed 's/../&:/g; s/:$//')
t "generated: certificate over several segments read ($fp)" py "$tmp/g.json" \
	"any(x.get('fingerprint')=='$fp' and x['subject']=='C=JP, O=Mamori Test, CN=big.office.example.jp' for x in tl) and ev[-1]['stats']['tls_buffer']['started']>=1 and ev[-1]['stats']['app_layer']['tls_certificates']==1"
t "generated: listed fingerprint raises mamori.net.ioc_cert" py "$tmp/g.json" \
	"any(a['alert']['mamori']['rule_id']=='mamori.net.ioc_cert' and a['alert']['mamori']['ioc']['value']=='$der_sha1' and a['alert']['mamori']['ioc']['label']=='Test C&C' for a in al)"
[ $fail -eq 0 ] || { tail -n 1 "$tmp/g.json"; tcpdump -nr "$tmp/tls.pcap" 2>/dev/null | head -30; } | sed 's/^/# /'
# the same capture with the segment that finishes the certificate removed:
# no certificate, no alert, no crash; with the server's first two data
# segments swapped (the second held before the buffer starts) and with its
# second and third swapped (held past a gap): the certificate all the same
cat >"$tmp/edit.py" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
hdr, off, recs = d[:24], 24, []
le = d[:4] == b"\xd4\xc3\xb2\xa1"
while off + 16 <= len(d):
    ts, us, cl, wl = struct.unpack(("<" if le else ">") + "IIII", d[off:off + 16])
    recs.append(d[off:off + 16 + cl]); off += 16 + cl
# the server's data segments (sport 4433, payload > 0) of the connection
# that got most (the readiness probe's is another)
srv, got = {}, {}
for i, r in enumerate(recs):
    f = r[16:]
    ihl = (f[14] & 15) * 4 if len(f) > 14 and f[12:14] == b"\x08\x00" else 0
    if ihl:
        tcp = f[14 + ihl:]
        sport, dport = struct.unpack(">HH", tcp[:4])
        plen = len(tcp) - (tcp[12] >> 4) * 4
        if sport == 4433 and plen > 0:
            srv.setdefault(dport, []).append(i)
            got[dport] = got.get(dport, 0) + plen
srv = srv[max(got, key=got.get)]
mode = sys.argv[3]
if mode == "cut":
    del recs[srv[1]]
else:
    a, b = srv[int(mode[4])], srv[int(mode[5])]
    recs[a], recs[b] = recs[b], recs[a]
open(sys.argv[2], "wb").write(hdr + b"".join(recs))
PY
python3 "$tmp/edit.py" "$tmp/tls.pcap" "$tmp/cut.pcap" cut
"$MAMORI" sensor -r "$tmp/cut.pcap" --eve - --ioc "$tmp/list.csv" >"$tmp/c.json" 2>/dev/null
t "segment missing: no certificate, no alert, exit 0 ($?)" py "$tmp/c.json" \
	"not any('fingerprint' in x for x in tl) and not al and ev[-1]['event_type']=='stats'"
for m in swap01 swap12; do
	python3 "$tmp/edit.py" "$tmp/tls.pcap" "$tmp/$m.pcap" $m
	"$MAMORI" sensor -r "$tmp/$m.pcap" --eve - --ioc "$tmp/list.csv" >"$tmp/$m.json" 2>/dev/null
	t "segments out of order ($m): certificate read, the held segment used, listed fingerprint raised" py "$tmp/$m.json" \
		"any(x.get('fingerprint')=='$fp' for x in tl) and ev[-1]['stats']['tls_buffer']['reordered']>=1 and ev[-1]['stats']['tls_buffer']['hold_dropped']==0 and any(a['alert']['mamori']['rule_id']=='mamori.net.ioc_cert' for a in al)"
done
tap_end
