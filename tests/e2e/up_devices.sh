#!/bin/sh
# up_devices.sh - mamori up stores the devices its network sensor sees:
# up runs in a network namespace with its sensor on one end of a veth pair;
# a "printer" in a second namespace (a Brother MAC) asks for an address by
# DHCP with its host name. The device becomes a row of net_assets (MAC, maker
# from the OUI list, address, DHCP name), a stored alert "a new device joined
# the office network" (low) with Japanese text, and an entry of /api/devices.
# A second run on the same database (default learning period of 24 h, so a
# newly seen MAC is baseline) stores the second device without an alert and
# does not raise the first device again.
set -u
: "${MAMORI:?}"
if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null 2>&1; then
	echo "1..0 # SKIP needs root and iproute2 to create network namespaces"
	exit 0
fi
for tool in curl python3; do
	if ! command -v $tool >/dev/null; then echo "1..0 # SKIP $tool missing (tools/deps.sh test)"; exit 0; fi
done
. "$(dirname "$0")/tap.inc"
chmod 755 "$tmp"
a=mua$$ b=mub$$ va=ua$$ vb=ub$$
. "$(dirname "$0")/netns.inc"
netns_pair 10.78.0 3c:2a:f4:12:34:56

db="$tmp/m.db"
sql() { python3 -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone(); print("" if r is None else r[0])' "$db" "$1"; }
up() { # config-file log
	ip netns exec "$a" "$MAMORI" --config "$1" --db "$db" up --listen 127.0.0.1:0 --sensor $va \
	    --logs off --fim off --scan-every 86400 2>"$2" &
	pid=$!
	wait_for 60 grep -q "^mamori up: network sensor on $va" "$2"
}
stop() {
	kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
	return $rc
}
printer() { # host name: a DHCP discover from B, then a few datagrams to A
	ip netns exec "$b" python3 - "$1" <<'PY'
import socket, struct, sys, time
mac = bytes.fromhex("3c2af4123456")
name = sys.argv[1].encode()
opts = b"\x35\x01\x01" + bytes([12, len(name)]) + name + b"\x3c\x0cBrother-HLL2" + b"\xff"
msg = struct.pack("!BBBBIHHIIII", 1, 1, 6, 0, 0x1234abcd, 0, 0x8000, 0, 0, 0, 0) + mac + bytes(10) \
    + bytes(192) + b"\x63\x82\x53\x63" + opts
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
u.bind(("0.0.0.0", 68))
for i in range(3):
    u.sendto(msg, ("10.78.0.255", 67))
    time.sleep(0.2)
v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(3):
    v.sendto(b"ping %d" % i, ("10.78.0.1", 9999))
PY
}

printf 'sensor:\n  learn_hours: 0\n' >"$tmp/learn0.yaml"
t "up starts with its sensor on the veth end" up "$tmp/learn0.yaml" "$tmp/up1.err"
sleep 1	# the capture is open before the printer talks
printer shop-printer
stored() { [ "$(sql "SELECT hostname FROM net_assets WHERE mac = '3c:2a:f4:12:34:56'" 2>/dev/null)" = shop-printer ]; }
t "the printer is stored as a network device with its DHCP name" wait_for 30 stored
t "with its maker from the OUI list and its address" [ "$(sql "SELECT vendor || '|' || ip || '|' || hostname_source || '|' || dhcp_vendor_class FROM net_assets WHERE mac = '3c:2a:f4:12:34:56'")" = "Brother Industries, LTD.|10.78.0.2|dhcp|Brother-HLL2" ]
nd="rule_id = 'mamori.net.new_device' AND json_extract(body, '\$.\"source.mac\"')"
newdev() { [ "$(sql "SELECT count(*) FROM alerts WHERE $nd = '3c:2a:f4:12:34:56'" 2>/dev/null)" = 1 ]; }
t "a new-device alert is stored for it (low)" wait_for 30 newdev
alert_text() {
	python3 - "$db" <<'PY'
import json, sqlite3, sys
rows = [json.loads(r[0]) for r in sqlite3.connect(sys.argv[1]).execute(
    "SELECT body FROM alerts WHERE rule_id = 'mamori.net.new_device'")]
b = [r for r in rows if r.get("source.mac") == "3c:2a:f4:12:34:56"][0]
t = b["mamori.text"]
sys.exit(0 if "機器" in t["ja"]["what"] and t["en"]["action"] and b["severity"] == "low" else 1)
PY
}
t "the alert's text is in Japanese and English, severity low" alert_text
port=$(sed -n 's|^mamori up: dashboard on https://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/up1.err")
pw=$(sed -n 's|^  setup: *https://127.0.0.1:[0-9]*/#setup=\(.*\)$|\1|p' "$tmp/up1.err")
C() { ip netns exec "$a" curl -sk --max-time 10 "$@"; }
C -c "$tmp/jar" -H 'Content-Type: application/json' -d "{\"username\":\"admin\",\"password\":\"$pw\"}" "https://127.0.0.1:$port/api/login" >/dev/null
C -b "$tmp/jar" "https://127.0.0.1:$port/api/devices" >"$tmp/devices.json"
t "/api/devices lists the printer with its maker and name" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if any(x["mac"]=="3c:2a:f4:12:34:56" and x["vendor"].startswith("Brother") and x["hostname"]=="shop-printer" and x["ip"]=="10.78.0.2" and x["first_seen"]>0 for x in d) else 1)' "$tmp/devices.json"
t "/api/devices needs a session (401)" [ "$(C -o /dev/null -w '%{http_code}' "https://127.0.0.1:$port/api/devices")" = 401 ]
t "/api/devices?limit=0 is a bad request (400)" [ "$(C -b "$tmp/jar" -o /dev/null -w '%{http_code}' "https://127.0.0.1:$port/api/devices?limit=0")" = 400 ]
t "SIGTERM stops up (exit 0)" stop
t "up reported the stored device updates" grep -q 'device updates stored' "$tmp/up1.err"

# Second run, default learning period: the printer is known, a new MAC is baseline.
ip -n "$b" link set $vb down; ip -n "$b" link set $vb address 00:07:40:ab:cd:ef; ip -n "$b" link set $vb up
printf 'sensor:\n  learn_hours: 24\n' >"$tmp/learn24.yaml"
t "up starts again on the same database" up "$tmp/learn24.yaml" "$tmp/up2.err"
sleep 1
ip netns exec "$b" python3 -c '
import socket
v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(3): v.sendto(b"hello %d" % i, ("10.78.0.1", 9999))'
second() { [ "$(sql "SELECT count(*) FROM net_assets WHERE mac = '00:07:40:ab:cd:ef'" 2>/dev/null)" = 1 ]; }
t "the second device (a Buffalo MAC) is stored" wait_for 30 second
t "within the learning period it raises no alert" [ "$(sql "SELECT count(*) FROM alerts WHERE $nd = '00:07:40:ab:cd:ef'")" = 0 ]
t "the printer kept its name and still has one alert counted once" [ "$(sql "SELECT a.count || '|' || d.hostname FROM alerts a, net_assets d WHERE a.$nd = '3c:2a:f4:12:34:56' AND d.mac = '3c:2a:f4:12:34:56'")" = "1|shop-printer" ]
t "SIGTERM stops the second run (exit 0)" stop
t "database intact" [ "$(sql 'PRAGMA integrity_check')" = ok ]
tap_end
