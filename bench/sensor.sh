#!/bin/sh
# sensor.sh [SIZE_MB] [RUNS] - mamori sensor beside Suricata on the same
# capture, one core each, in one run:
#   mamori sensor -r MIX --eve FILE --ioc ...      (all detectors on)
#   suricata --runmode single -r MIX -S RULES     (EVE: alert, flow, dns, http, tls, anomaly, stats)
#   tshark -r MIX -T fields -e dns... -e http... -e tls...  (Wireshark's dissectors, same metadata)
#   tcpdump -r MIX -w /dev/null                   (the floor: reading the file)
# MIX is an office-mix capture of SIZE_MB (default 1024) made by
# gen_pcap_mix.py from the shared captures (../shared/data/pcap: office
# traffic and attacks), each copy with its own addresses.
# Indicators: the real abuse.ch feeds plus 100,000 generated IPv4 addresses,
# loaded by both: mamori from the files (--ioc), Suricata as datasets in
# rules (ip.src/ip.dst, ja3.hash, dns.query) plus content rules for
# Log4Shell and SQL injection. The rule sets are equal in what they look
# for, not in how: mamori matches domains with their subdomains and also
# runs behaviour detectors (scans, DNS tunnels, exposure, cleartext logins)
# that have no counterpart in this Suricata rule set; Suricata parses more
# application protocols (SMB, Kerberos, ...) with its default config.
# Median of RUNS (default 3) after a warm-up (bench/measure.py): wall time,
# CPU time (user+sys; the machine is shared, CPU time is the steadier
# figure) and peak RSS.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
size=${1:-1024}
runs=${2:-3}
build="$src/build-bench"
[ -f "$build/build.ninja" ] || meson setup "$build" "$src" --buildtype=release >/dev/null
ninja -C "$build" mamori >/dev/null
command -v suricata >/dev/null || { echo "sensor.sh: needs suricata (tools/deps.sh bench)" >&2; exit 1; }
command -v editcap >/dev/null || { echo "sensor.sh: needs editcap (tshark)" >&2; exit 1; }
data=${MAMORI_SHARED_DATA:-$src/../shared/data}
[ -d "$data/pcap" ] || data=/work/shared/data
out="$src/bench/out/sensor"
mkdir -p "$out/src" "$out/suricata" "$out/mamori"

# MIX=office (default): attack captures are 5% of the bytes, the rest is
# the shared office captures; MIX=attack-heavy: every capture in every copy
# (about 40% attack bytes, many tiny packets: the worst case per byte).
mixkind=${MIX:-office}
case $mixkind in
office) share=0.05 ;;
attack-heavy) share=1 ;;
*) echo "sensor.sh: MIX must be office or attack-heavy" >&2; exit 2 ;;
esac
mix="$out/mix$size-$mixkind.pcap"
if [ ! -s "$mix" ]; then
	mkdir -p "$out/src/normal" "$out/src/attack"
	for f in "$data"/pcap/normal/* "$data"/pcap/attack/*; do
		k=$(basename "$(dirname "$f")"); b=$(basename "$f")
		editcap -F pcap "$f" "$out/src/$k/${b%.*}.pcap" 2>/dev/null || true
	done
	python3 "$src/bench/gen_pcap_mix.py" "$mix" "$size" --attack-share "$share" \
		"$out"/src/normal/*.pcap --attacks "$out"/src/attack/*.pcap
fi

# 100,000 indicator addresses (fixed seed) + the real feeds
python3 - "$out" "$data/ioc" <<'PY'
import base64, csv, os, random, sys
out, ioc = sys.argv[1], sys.argv[2]
random.seed(4)
ips = set()
while len(ips) < 100000:
    a = random.randrange(1, 224)
    if a in (10, 127, 172, 192):
        continue
    ips.add(f"{a}.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}")
for line in open(os.path.join(ioc, "abusech_feodotracker_ipblocklist.csv")):
    if line[:1].isdigit() or line.startswith('"'):
        f = next(csv.reader([line]))
        if len(f) > 1 and f[1].count(".") == 3:
            ips.add(f[1])
with open(os.path.join(out, "ioc_ips.txt"), "w") as o:
    o.write("\n".join(sorted(ips)) + "\n")
ja3 = []
for line in open(os.path.join(ioc, "abusech_sslbl_ja3_fingerprints.csv")):
    f = line.split(",")
    if len(f) > 1 and len(f[0]) == 32:
        ja3.append(f[0])
with open(os.path.join(out, "ioc_ja3.txt"), "w") as o:
    o.write("\n".join(ja3) + "\n")
doms = []
for line in open(os.path.join(ioc, "abusech_urlhaus_tld_feed_sample.csv")):
    f = next(csv.reader([line])) if line.strip() and not line.startswith("#") else []
    for v in f:
        if "://" in v:
            h = v.split("://", 1)[1].split("/", 1)[0].split(":", 1)[0]
            if h and not h[0].isdigit():
                doms.append(h)
with open(os.path.join(out, "ioc_domains.txt"), "w") as o:
    o.write("\n".join(sorted(set(doms))) + "\n")
with open(os.path.join(out, "ioc_domains.b64"), "w") as o:
    o.write("\n".join(base64.b64encode(d.encode()).decode() for d in sorted(set(doms))) + "\n")
PY

cat >"$out/bench.rules" <<EOT
alert ip any any -> any any (msg:"IOC address (source)"; ip.src; dataset:isset,iocip,type ipv4,load $out/ioc_ips.txt; sid:1; rev:1;)
alert ip any any -> any any (msg:"IOC address (destination)"; ip.dst; dataset:isset,iocip,type ipv4,load $out/ioc_ips.txt; sid:2; rev:1;)
alert tls any any -> any any (msg:"IOC JA3"; ja3.hash; dataset:isset,iocja3,type md5,load $out/ioc_ja3.txt; sid:3; rev:1;)
alert dns any any -> any any (msg:"IOC domain"; dns.query; dataset:isset,iocdom,type string,load $out/ioc_domains.b64; sid:4; rev:1;)
alert http any any -> any any (msg:"Log4Shell"; http.header; content:"jndi:"; nocase; sid:5; rev:1;)
alert http any any -> any any (msg:"SQL injection"; http.uri; content:"union"; nocase; content:"select"; nocase; distance:0; sid:6; rev:1;)
alert http any any -> any any (msg:"SQL injection quote"; http.uri; content:"'"; content:"or"; nocase; distance:0; sid:7; rev:1;)
EOT
# Suricata's own configuration, with EVE cut to the event types mamori writes
sed -e 's/^\( *\)- eve-log:/\1- eve-log:/' /etc/suricata/suricata.yaml >"$out/suricata.yaml"
python3 - "$out/suricata.yaml" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
# the first eve-log "types:" list becomes ours; everything else stays as shipped
start = s.index("  - eve-log:")
t = s.index("      types:", start)
end = s.index("\n  - ", t)
s = s[:t] + "      types:\n        - alert\n        - anomaly\n        - http\n        - dns\n        - tls\n        - flow\n        - stats\n" + s[end:]
open(p, "w").write(s)
PY

cat >"$out/suricata.sh" <<EOT
#!/bin/sh
exec suricata -c "$out/suricata.yaml" --runmode single -k none -r "$mix" -S "$out/bench.rules" -l "$out/suricata" \
	--set datasets.rules.allow-absolute-filenames=true --set app-layer.protocols.tls.ja3-fingerprints=yes \
	--set outputs.1.eve-log.filename=eve.json --set outputs.0.fast.enabled=no
EOT
cat >"$out/mamori.sh" <<EOT
#!/bin/sh
exec "$build/mamori" sensor -r "$mix" --eve "$out/mamori/eve.json" --ioc "$out/ioc_ips.txt" \
	--ioc "$data/ioc/abusech_sslbl_ja3_fingerprints.csv" --ioc "$data/ioc/abusech_sslbl_sha1_fingerprints.csv" \
	--ioc "$data/ioc/abusech_urlhaus_tld_feed_sample.csv" --ioc "$out/ioc_domains.txt"
EOT
# tshark: the same file dissected for the metadata mamori's EVE carries
# (DNS names and answers, HTTP host/URI/agent/status, TLS SNI, JA3, certificate).
cat >"$out/tshark.sh" <<EOT
#!/bin/sh
exec tshark -n -r "$mix" -T fields -e frame.number -e ip.src -e ip.dst -e dns.qry.name -e dns.a \\
	-e http.host -e http.request.uri -e http.user_agent -e http.response.code \\
	-e tls.handshake.extensions_server_name -e tls.handshake.ja3 -e x509sat.printableString >/dev/null
EOT
chmod +x "$out/suricata.sh" "$out/mamori.sh" "$out/tshark.sh"
# both append to their EVE file, as a log should: the event counts below are of one run
rm -f "$out/mamori/eve.json" "$out/suricata/eve.json"
"$out/suricata.sh" >"$out/suricata/run.log" 2>&1 || { echo "suricata failed:" >&2; tail -20 "$out/suricata/run.log" >&2; exit 1; }
"$out/mamori.sh" 2>"$out/mamori/run.log"

bytes=$(stat -c %s "$mix")
echo "# input: $mix, $((bytes / 1048576)) MB, $(capinfos -c -M "$mix" 2>/dev/null | sed -n 's/^Number of packets: *//p') packets"
echo "# indicators: $(wc -l <"$out/ioc_ips.txt") IPs, $(wc -l <"$out/ioc_ja3.txt") JA3, $(grep -c . "$data/ioc/abusech_sslbl_sha1_fingerprints.csv") SHA-1 lines (mamori only), $(wc -l <"$out/ioc_domains.txt") domains"
python3 - "$out" <<'PY'
import collections, json, sys
out = sys.argv[1]
for tool in ("mamori", "suricata"):
    c = collections.Counter()
    for line in open(f"{out}/{tool}/eve.json", errors="replace"):
        try:
            c[json.loads(line)["event_type"]] += 1
        except ValueError:
            c["(bad line)"] += 1
    print(f"# {tool} events: " + ", ".join(f"{k} {v}" for k, v in sorted(c.items())))
PY
MEASURE_BYTES=$bytes MEASURE_CLEAN="$out/mamori/eve.json $out/suricata/eve.json" exec python3 "$src/bench/measure.py" --runs "$runs" \
	"mamori sensor=$out/mamori.sh" \
	"suricata --runmode single=$out/suricata.sh" \
	"tshark -T fields (DNS/HTTP/TLS)=$out/tshark.sh" \
	"tcpdump -r -w /dev/null=tcpdump -r $mix -w /dev/null"
