#!/bin/sh
# sockets_live.sh - on this machine, `mamori scan --json` lists exactly the
# listening sockets `ss -H -tulpn` lists: the same (proto, address, port)
# set and the same owning process names. A few listeners are started here
# (TCP on 127.0.0.1 and ::1, UDP on 127.0.0.1 and on ::) so the comparison
# is never trivially empty.
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}"
if ! command -v ss >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP needs ss (iproute2) and python3"
	exit 0
fi
. "$(dirname "$0")/tap.inc"
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# Ports from the kernel: bind to 0, read the number, close.
ports=$(python3 -c '
import socket
ps = []
for fam, typ in ((socket.AF_INET, socket.SOCK_STREAM), (socket.AF_INET6, socket.SOCK_STREAM),
                 (socket.AF_INET, socket.SOCK_DGRAM), (socket.AF_INET6, socket.SOCK_DGRAM)):
    s = socket.socket(fam, typ); s.bind(("", 0)); ps.append(str(s.getsockname()[1])); s.close()
print(" ".join(ps))')
set -- $ports
tcp4=$1 tcp6=$2 udp4=$3 udp6=$4

python3 -m http.server --bind 127.0.0.1 "$tcp4" >/dev/null 2>&1 &
pids="$pids $!"
python3 -m http.server --bind ::1 "$tcp6" >/dev/null 2>&1 &
pids="$pids $!"
python3 -c '
import socket, sys, time
u4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u4.bind(("127.0.0.1", int(sys.argv[1])))
u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u6.bind(("::", int(sys.argv[2])))
time.sleep(120)' "$udp4" "$udp6" &
pids="$pids $!"

# Wait until all four are listening (at most ~5 s).
i=0
while [ $i -lt 50 ]; do
	ss -H -tuln >"$tmp/ss0"
	if grep -q ":$tcp4 " "$tmp/ss0" && grep -q ":$tcp6 " "$tmp/ss0" &&
	    grep -q ":$udp4 " "$tmp/ss0" && grep -q ":$udp6 " "$tmp/ss0"; then
		break
	fi
	sleep 0.1
	i=$((i + 1))
done
t "test listeners are up (tcp $tcp4, $tcp6; udp $udp4, $udp6)" [ $i -lt 50 ]

# ss before and after the scan: sockets that appear or go in between are
# tolerated, nothing else.
ss -H -tulpn >"$tmp/ss1"
"$MAMORI" scan --json --no-store >"$tmp/scan.json" 2>"$tmp/err"; rc=$?
ss -H -tulpn >"$tmp/ss2"
t "scan exits 0 ($rc)" [ $rc -eq 0 ]

python3 - "$tmp/ss1" "$tmp/ss2" "$tmp/scan.json" "$tcp4" "$tcp6" "$udp4" "$udp6" >"$tmp/cmp" <<'PY'
import json, re, sys

def parse_ss(path):
    socks = {}
    for line in open(path):
        f = line.split()
        if len(f) < 5:
            continue
        proto, local = f[0], f[4]
        host, port = local.rsplit(":", 1)
        host = host.split("%", 1)[0]          # "127.0.0.53%lo": bound device
        if host == "*":                       # "::" without IPV6_V6ONLY
            host = "::"
        host = host.strip("[]")
        names = set(re.findall(r'\(\("?([^",]*)"?,pid=', line)) | set(re.findall(r'\("([^"]*)",pid=', line))
        socks.setdefault((proto, host, int(port)), set()).update(names)
    return socks

before, after = parse_ss(sys.argv[1]), parse_ss(sys.argv[2])
doc = json.load(open(sys.argv[3]))
ours = {}
for s in doc["listening"]:
    key = (s["proto"].rstrip("6"), s["address"], s["port"])
    ours.setdefault(key, set())
    if s["process"]:
        ours[key].add(s["process"])

stable = set(before) & set(after)
anytime = set(before) | set(after)
missing = sorted(stable - set(ours))
extra = sorted(set(ours) - anytime)
print("missing", missing)
print("extra", extra)
bad_owner = []
for k in sorted(stable & set(ours)):
    ss_names = before.get(k, set()) | after.get(k, set())
    if bool(ss_names) != bool(ours[k]) or not ours[k] <= ss_names:
        bad_owner.append((k, sorted(ss_names), sorted(ours[k])))
print("bad_owner", bad_owner)
ports = [int(p) for p in sys.argv[4:8]]
want = {("tcp", "127.0.0.1", ports[0]), ("tcp", "::1", ports[1]),
        ("udp", "127.0.0.1", ports[2]), ("udp", "::", ports[3])}
print("ours_has_test", int(want <= set(ours)))
print("count", len(ours))
owned = [k for k in want if "python3" in ours.get(k, set())]
print("test_owned", len(owned))
flags = {(s["proto"].rstrip("6"), s["address"], s["port"]): (s["loopback"], s["all_interfaces"]) for s in doc["listening"]}
print("flags_ok", int(flags.get(("tcp", "::1", ports[1])) == (True, False) and
                      flags.get(("udp", "::", ports[3])) == (False, True) and
                      flags.get(("tcp", "127.0.0.1", ports[0])) == (True, False)))
PY
cat "$tmp/cmp" | sed 's/^/# /'
t "no socket of ss is missing from the scan" grep -qx "missing \[\]" "$tmp/cmp"
t "the scan has no socket ss does not show" grep -qx "extra \[\]" "$tmp/cmp"
t "owner process names match ss -p" grep -qx "bad_owner \[\]" "$tmp/cmp"
t "the four test listeners are in the scan" grep -qx "ours_has_test 1" "$tmp/cmp"
if [ "$(id -u)" -eq 0 ]; then
	t "test listeners are owned by python3" grep -qx "test_owned 4" "$tmp/cmp"
fi
t "loopback / all-interfaces flags" grep -qx "flags_ok 1" "$tmp/cmp"
t "no listening warnings" python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
sys.exit(1 if [w for w in doc["warnings"] if w["area"] == "listening"] else 0)' "$tmp/scan.json"

tap_end
