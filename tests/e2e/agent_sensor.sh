#!/bin/sh
# agent_sensor.sh - a network sensor on another box reports to the manager
# through the enrolled agent: the real manager on 127.0.0.1 and two real
# agents in a network namespace created here, each running the sensor as
# its child on one end of a veth pair. One is enrolled with a sensor token
# into tenant "shop" (its sensor runs by default, on the default route's
# interface, and nothing else); the other is an ordinary agent of the
# default tenant given --sensor IFACE. A DHCP "printer" and a port scan in a
# second namespace become, in each tenant, a device of /api/devices and
# alerts of /api/alerts under the agent's host, each exactly once. Then the
# manager is killed -9; a second device and a second scan are spooled by
# the agents while it is down and arrive once after its restart. A replayed
# batch stores nothing twice; a sensor's credential cannot post host alerts.
# Each sensor's statistics (sensor.stats_interval_s) are its tenant's
# /api/sensors.
set -u
: "${MAMORI:?}"
if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null 2>&1; then
	echo "1..0 # SKIP needs root and iproute2 to create network namespaces"
	exit 0
fi
. "$(dirname "$0")/tap.inc"
need curl python3 sqlite3 zstd
chmod 755 "$tmp"
a=msa$$ b=msb$$ va=sa$$ vb=sb$$
spid= apid= spid2=
cleanup() {
	for p in $apid $spid2 $spid; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	ip netns del "$a" 2>/dev/null; ip netns del "$b" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
if ! ip netns add "$a" 2>/dev/null || ! ip netns add "$b"; then
	echo "1..0 # SKIP cannot create network namespaces here"
	exit 0
fi
# No IPv6: its link-local chatter would show the devices before they talk.
# Each of B's addresses answers ARP from its own device only.
for ns in $a $b; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 net.ipv6.conf.all.disable_ipv6=1 \
	    net.ipv4.conf.all.arp_ignore=1
done
ip link add $va netns "$a" type veth peer name $vb netns "$b"
ip -n "$a" addr add 10.78.0.1/24 dev $va; ip -n "$a" link set $va up; ip -n "$a" link set lo up
ip -n "$a" route add default via 10.78.0.254 dev $va	# what a sensor's auto interface follows
ip -n "$b" link set $vb address 3c:2a:f4:12:34:56
ip -n "$b" addr add 10.78.0.2/24 dev $vb; ip -n "$b" link set $vb up
# The second device (a Buffalo MAC), silent until the manager is down.
ip -n "$b" link add mv$$ link $vb type macvlan mode bridge
ip -n "$b" link set mv$$ address 00:07:40:ab:cd:ef
ip -n "$b" addr add 10.78.0.3/24 dev mv$$; ip -n "$b" link set mv$$ up

printf '10.78.0.2\n' >"$tmp/ioc.txt"; chmod 644 "$tmp/ioc.txt"
cat >"$tmp/mamori.yaml" <<YAML
agent:
  scan_interval_seconds: 0
sensor:
  learn_hours: 0
  stats_interval_s: 1
  ioc_files: $tmp/ioc.txt
  ioc_reload_s: 0
YAML
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
A() { ip netns exec "$a" "$@"; }
M() { A "$MAMORI" --config "$tmp/mamori.yaml" "$@"; }
q() { sqlite3 -cmd '.timeout 10000' "$db" "$1"; }
db="$tmp/m.db" port=8443
base="https://127.0.0.1:$port"
serve() { # log: the manager in namespace A, on 127.0.0.1
	: >"$1"
	# Not through A(): $! must be the manager itself (ip execs it), for kill -9.
	ip netns exec "$a" "$MAMORI" --config "$tmp/mamori.yaml" --log-level info --db "$db" serve \
	    --listen "127.0.0.1:$port" 2>>"$1" &
	spid=$!
	wait_for 30 grep -q 'listening on' "$1"
}
t "the manager starts on 127.0.0.1" serve "$tmp/serve1.log"
tok_s=$(M --db "$db" token create --kind sensor --tenant shop --ttl 10m 2>/dev/null)
tok_a=$(M --db "$db" token create --ttl 10m 2>/dev/null)
printf 'shop-password-12\n' | M --db "$db" user add owner --role viewer --tenant shop 2>/dev/null
sid=$(M agent --state "$tmp/s" --enrol "$base" "$tok_s" --name mirror-port 2>"$tmp/enrol.err")
t "a box enrols with a sensor token of tenant shop ($sid)" [ -n "$sid" ] || sed 's/^/# /' "$tmp/enrol.err"
aid=$(M agent --state "$tmp/a" --enrol "$base" "$tok_a" 2>>"$tmp/enrol.err")
t "an agent enrols with an agent token of the default tenant ($aid)" [ -n "$aid" ]
t "the manager knows them as a sensor and an agent" \
    [ "$(q "SELECT group_concat(kind || ':' || t.name, ' ') FROM (SELECT a.kind, a.tenant_id FROM agents a ORDER BY a.id) x JOIN tenants t ON t.id = x.tenant_id")" = "sensor:shop agent:default" ]
M agent --state "$tmp/a" --sensor eth0/1 >/dev/null 2>&1
t "a --sensor that is no interface name is a usage error (2)" [ $? -eq 2 ]

start_agents() { # suffix of the log files
	ip netns exec "$a" "$MAMORI" --config "$tmp/mamori.yaml" --log-level info agent --state "$tmp/s" \
	    2>"$tmp/s$1.err" &
	spid2=$!
	ip netns exec "$a" "$MAMORI" --config "$tmp/mamori.yaml" --log-level info agent --state "$tmp/a" \
	    --fim off --logs off --sensor $va 2>"$tmp/a$1.err" &
	apid=$!
}
start_agents 1
t "the sensor box runs the sensor on the default route's interface" \
    wait_for 30 grep -q "^mamori agent: network sensor on $va\$" "$tmp/s1.err"
t "and the agent on the interface it was given" \
    wait_for 30 grep -q "^mamori agent: network sensor on $va\$" "$tmp/a1.err"
capturing() { grep -q 'capturing' "$tmp/s1.err" && grep -q 'capturing' "$tmp/a1.err"; }
t "both sensors capture" wait_for 30 capturing
t "the sensor box does not watch its own files or logs" sh -c "grep -q 'enrolled as a sensor' '$tmp/s1.err' && ! grep -q 'file and ransomware watch\|log source' '$tmp/s1.err'"
sleep 1	# the capture is open before the printer talks

printer() { # a DHCP discover with its name, then a few datagrams to A
	ip netns exec "$b" python3 - "$vb" <<'PY'
import socket, struct, sys, time
mac = bytes.fromhex("3c2af4123456")
name = b"shop-printer"
opts = b"\x35\x01\x01" + bytes([12, len(name)]) + name + b"\x3c\x0cBrother-HLL2" + b"\xff"
msg = struct.pack("!BBBBIHHIIII", 1, 1, 6, 0, 0x1234abcd, 0, 0x8000, 0, 0, 0, 0) + mac + bytes(10) \
    + bytes(192) + b"\x63\x82\x53\x63" + opts
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
u.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, sys.argv[1].encode())
u.bind(("0.0.0.0", 68))
for i in range(3):
    u.sendto(msg, ("10.78.0.255", 67))
    time.sleep(0.2)
v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
v.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, sys.argv[1].encode())
for i in range(3):
    v.sendto(b"ping %d" % i, ("10.78.0.1", 9999))
PY
}
scan() { # device: connection attempts to 80 closed ports of A from that device
	ip netns exec "$b" python3 - "$1" <<'PY'
import socket, sys
for port in range(29000, 29080):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, sys.argv[1].encode())
    s.settimeout(0.5)
    try:
        s.connect(("10.78.0.1", port))
    except OSError:
        pass
    s.close()
PY
}
printer
scan $vb

C() { A curl -sk --max-time 10 "$@"; }
pw=$(sed -n 's/.*password: *\(.*\)$/\1/p' "$tmp/serve1.log" | head -1)
login() {
	C -c "$tmp/jar1" -H 'Content-Type: application/json' -d "{\"username\":\"admin\",\"password\":\"$pw\"}" "$base/api/login" >/dev/null
	C -c "$tmp/jar2" -H 'Content-Type: application/json' \
	    -d '{"username":"owner","password":"shop-password-12","tenant":"shop"}' "$base/api/login" >/dev/null
}
login
# get JAR ROUTE FILE: an API read of a tenant's session
get() {
	code=$(C -b "$tmp/$1" -o "$tmp/$3" -w '%{http_code}' "$base$2")
	[ "$code" = 200 ] || { echo "# GET $2 with $1: $code" >&2; return 1; }
}
host=$(hostname)
# check TENANT_JAR PY_EXPR: the tenant's devices (d) and alerts (al) as the API gives them
check() {
	get "$1" /api/devices devices.json && get "$1" '/api/alerts?state=all&limit=500' alerts.json &&
	python3 - "$tmp/devices.json" "$tmp/alerts.json" "$host" "$2" <<'PY'
import json, sys
d, al, host = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
def dev(mac): return [x for x in d if x["mac"] == mac]
def scans(ip): return [x for x in al if x["rule_id"] == "mamori.net.port_scan" and x["source_ip"] == ip]
def newdev(ip): return [x for x in al if x["rule_id"] == "mamori.net.new_device" and x["source_ip"] == ip]
def ioc(ip): return [x for x in al if x["rule_id"] == "mamori.net.ioc_ip" and x["source_ip"] == ip]
if eval(sys.argv[4]):
    sys.exit(0)
print("# devices: %s" % [(x["mac"], x["ip"], x["sensor"]) for x in d], file=sys.stderr)
print("# alerts: %s" % [(x["rule_id"], x["source_ip"], x["count"], x["host"]) for x in al], file=sys.stderr)
sys.exit(1)
PY
}
first='len(dev("3c:2a:f4:12:34:56")) == 1 and len(scans("10.78.0.2")) == 1'
for tn in shop:jar2 default:jar1; do
	t "the printer and the port scan reach tenant ${tn%:*} through its agent" wait_for 60 check ${tn#*:} "$first"
done
t "the printer is a device of shop: its maker, address, DHCP name, the sensor's host" check jar2 \
    'dev("3c:2a:f4:12:34:56")[0]["vendor"].startswith("Brother") and dev("3c:2a:f4:12:34:56")[0]["ip"] == "10.78.0.2" and dev("3c:2a:f4:12:34:56")[0]["hostname"] == "shop-printer" and dev("3c:2a:f4:12:34:56")[0]["sensor"] == host'
t "the port scan is an alert of shop under the sensor's host (source sensor), with Japanese text" check jar2 \
    'scans("10.78.0.2")[0]["host"] == host and scans("10.78.0.2")[0]["source"] == "sensor" and scans("10.78.0.2")[0]["count"] == 1 and "ポートスキャン" in scans("10.78.0.2")[0]["text"]["ja"]["what"] and scans("10.78.0.2")[0]["text"]["en"]["action"]'
t "the new printer is a low alert, learning period 0 (sensor.learn_hours)" check jar2 \
    'len(newdev("10.78.0.2")) == 1 and newdev("10.78.0.2")[0]["severity"] == "low" and newdev("10.78.0.2")[0]["host"] == host'
# sensors TENANT_JAR PY_EXPR: the tenant's sensors (sn) as /api/sensors gives them
sensors() {
	get "$1" /api/sensors sensors.json && python3 - "$tmp/sensors.json" "$host" "$2" <<'PY'
import json, sys
sn, host = json.load(open(sys.argv[1])), sys.argv[2]
if eval(sys.argv[3]):
    sys.exit(0)
print("# sensors: %s" % sn, file=sys.stderr)
sys.exit(1)
PY
}
status='len(sn) == 1 and sn[0]["sensor"] == host and sn[0]["packets"] >= 80 and sn[0]["flows"] >= 80 and sn[0]["kernel_drops"] == 0 and sn[0]["stats"]["flow"]["total"] == sn[0]["flows"] and sn[0]["updated_at"] > 0'
for tn in shop:jar2 default:jar1; do
	t "tenant ${tn%:*}: its sensor's statistics every second (sensor.stats_interval_s): packets and flows of the scan, no drops" \
	    wait_for 60 sensors ${tn#*:} "$status"
done

ioc_loaded() {
	grep -q 'ioc.txt: plain format, 1 indicators' "$tmp/s1.err" && check jar2 'len(ioc("10.78.0.2")) == 1' &&
	    check jar1 'len(ioc("10.78.0.2")) == 1'
}
t "the agents' sensors load the feed of sensor.ioc_files: the listed printer is an indicator alert in both tenants" \
    wait_for 30 ioc_loaded

# The manager dies; the sensors keep seeing, the agents keep spooling.
kill -9 "$spid"; wait "$spid" 2>/dev/null; spid=
ip netns exec "$b" python3 -c '
import socket
v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
v.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"mv'$$'")
for i in range(3): v.sendto(b"hello %d" % i, ("10.78.0.1", 9999))'
scan mv$$
spooled() { # the second device and the second scan are in both agents' spools
	for st in s a; do
		grep -aqr '00:07:40:ab:cd:ef' "$tmp/$st/spool" && grep -aqr '"src_ip":"10.78.0.3".*port_scan' "$tmp/$st/spool" || return 1
	done
}
t "while the manager is down the agents spool the second device and scan" wait_for 60 spooled
t "and say they keep events while the manager is away" wait_for 30 grep -q 'events kept in the spool, retrying' "$tmp/s1.err"
t "the manager restarts on the same database and port" serve "$tmp/serve2.log"
drained() { # what was spooled while the manager was down is stored, and nothing waits
	[ "$(q "SELECT count(DISTINCT agent_id) FROM events WHERE json_extract(body, '\$.data.asset.mac') = '00:07:40:ab:cd:ef'")" = 2 ] &&
	[ "$(q "SELECT count(DISTINCT agent_id) FROM events WHERE json_extract(body, '\$.data.src_ip') = '10.78.0.3' AND json_extract(body, '\$.data.alert.mamori.rule_id') = 'mamori.net.port_scan'")" = 2 ] &&
	[ "$(q "SELECT count(*) FROM agents WHERE acked_seq = (SELECT max(seq) FROM events e WHERE e.agent_id = agents.id) AND spool_records = 0")" = 2 ] &&
	[ "$(cat "$tmp/s/spool/acked")" = "$(q "SELECT max(seq) FROM events WHERE agent_id = $sid")" ]
}
t "both spools drain into the restarted manager" wait_for 90 drained
login
all='len(dev("3c:2a:f4:12:34:56")) == 1 and len(dev("00:07:40:ab:cd:ef")) == 1 and len(scans("10.78.0.2")) == 1 and len(scans("10.78.0.3")) == 1 and len(newdev("10.78.0.2")) == 1 and len(newdev("10.78.0.3")) == 1'
once='all(x["count"] == 1 for x in al if x["rule_id"] != "mamori.net.ioc_ip") and len([x for x in al if x["rule_id"] != "mamori.net.ioc_ip"]) == len(d) + 2 and all(x["host"] == host and x["source"] == "sensor" for x in al) and all(x["sensor"] == host for x in d)'
for tn in shop:jar2 default:jar1; do
	t "after the restart tenant ${tn%:*} has both devices and both scans" check ${tn#*:} "$all"
	t "each device and alert exactly once (count 1; one new-device alert per device)" check ${tn#*:} "$once"
done
t "a device seen while the manager was down keeps that time, not the restart's" \
    [ "$(q "SELECT count(*) FROM net_assets WHERE mac = '00:07:40:ab:cd:ef' AND first_seen / 1000 < (SELECT min(received_at) FROM events WHERE json_extract(body, '\$.data.asset.mac') = '00:07:40:ab:cd:ef')")" = 2 ]
t "the sensors sent only alert, asset and stats lines as numbered eve events, no flows" \
    [ "$(q "SELECT count(*) = sum(json_extract(body, '\$.data.event_type') IN ('alert', 'asset', 'stats')) AND count(*) > 0 FROM events WHERE kind = 'eve'")" = 1 ]
t "one sensor_stats row per tenant, the newest" \
    [ "$(q "SELECT count(*) || ':' || count(DISTINCT tenant_id) FROM sensor_stats")" = 2:2 ]
t "numbered 1..N without a hole" \
    [ "$(q "SELECT count(*) FROM (SELECT agent_id FROM events GROUP BY agent_id HAVING max(seq) = count(*) AND min(seq) = 1)")" = 2 ]

# SIGHUP to the sensor box's agent: its sensor reads the feed again (the
# other agent's sensor, not told and with sensor.ioc_reload_s 0, does not).
printf '10.78.0.3\n' >"$tmp/ioc.txt"
kill -HUP "$spid2"
t "SIGHUP to the agent: its sensor reloads sensor.ioc_files, the agent keeps running" \
    sh -c "i=0; while ! grep -q 'indicators reloaded (1) on SIGHUP' '$tmp/s1.err' && [ \$i -lt 150 ]; do sleep 0.2; i=\$((i + 1)); done; grep -q 'indicators reloaded (1) on SIGHUP' '$tmp/s1.err' && kill -0 $spid2"
ip netns exec "$b" python3 -c '
import socket
v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
v.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"mv'$$'")
for i in range(3): v.sendto(b"after %d" % i, ("10.78.0.1", 9998))'
t "the reloaded indicator raises in tenant shop" wait_for 60 check jar2 'len(ioc("10.78.0.3")) == 1'
t "and not in the default tenant, whose sensor was not told" check jar1 'len(ioc("10.78.0.3")) == 0 and len(ioc("10.78.0.2")) == 1'
children=$(ps -o pid= --ppid "$spid2" | tr -d ' ' | tr '\n' ' ')
kill -TERM "$spid2" "$apid"
wait "$spid2"; rc1=$?
wait "$apid"; rc2=$?
spid2= apid=
t "SIGTERM stops both agents (exit 0)" [ $rc1 -eq 0 ] && [ $rc2 -eq 0 ]
gone() { for c in $children; do kill -0 "$c" 2>/dev/null && return 1; done; return 0; }
t "the sensor ended with its agent ($children)" gone

# A retried batch: the sensor's own events, sent again with its credential.
secret=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["secret"])' "$tmp/s/agent.json")
python3 - "$db" "$sid" "$tmp/replay.ndjson" <<'PY'
import json, sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute(
    "SELECT seq, body FROM events WHERE agent_id = ? ORDER BY seq", (int(sys.argv[2]),)).fetchall()
with open(sys.argv[3], "w") as f:
    f.write(json.dumps({"v": 1, "agent": int(sys.argv[2]), "floor": 1}) + "\n")
    for seq, body in rows:
        f.write(body + "\n")
PY
post() { # file -> the manager's answer
	zstd -qf "$1" -o "$1.zst"
	C -H "X-Mamori-Agent: $sid" -H "Authorization: Bearer $secret" -H 'Content-Type: application/x-ndjson' \
	    -H 'Content-Encoding: zstd' --data-binary @"$1.zst" "$base/api/intake"
}
nev=$(q "SELECT count(*) FROM events WHERE agent_id = $sid")
t "a replay of all $nev of the sensor's events is $nev duplicates" \
    python3 -c 'import json,sys; r=json.loads(sys.argv[1]); sys.exit(0 if r["stored"] == 0 and r["duplicates"] == int(sys.argv[2]) else 1)' "$(post "$tmp/replay.ndjson")" "$nev"
login
for tn in shop:jar2 default:jar1; do
	t "and tenant ${tn%:*} still has each device and alert once" check ${tn#*:} "$all and $once"
done
next=$((nev + 1))
printf '{"v":1,"agent":%s,"floor":%s}\n{"seq":%s,"ts":1,"kind":"alert","data":{"event.kind":"alert","severity":"high","rule.id":"e2e.forged","message":"from a sensor"}}\n' \
    "$sid" "$next" "$next" >"$tmp/forged.ndjson"
post "$tmp/forged.ndjson" >/dev/null
t "a host alert from a sensor's credential is kept as an event, not as an alert" \
    [ "$(q "SELECT (SELECT count(*) FROM events WHERE agent_id = $sid AND seq = $next) || (SELECT count(*) FROM alerts WHERE rule_id = 'e2e.forged')")" = 10 ]
get jar1 /metrics metrics.txt
t "/metrics counts the sensor events applied" grep -q '^mamori_intake_sensor_total [1-9]' "$tmp/metrics.txt"
kill -TERM "$spid"; wait "$spid"; spid=
t "the manager's database is intact" [ "$(q 'PRAGMA integrity_check')" = ok ]
tap_end
