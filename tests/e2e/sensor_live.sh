#!/bin/sh
# sensor_live.sh - mamori sensor -i on one end of a veth pair between two
# network namespaces created here: UDP, TCP and DNS traffic generated with
# python3 must show up as flow/dns events; root is dropped before capture.
set -u
: "${MAMORI:?}"
if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null 2>&1; then
	echo "1..0 # SKIP needs root and iproute2 to create network namespaces"
	exit 0
fi
. "$(dirname "$0")/tap.inc"
chmod 755 "$tmp"
a=msa$$ b=msb$$
cleanup() {
	[ -n "${spid:-}" ] && kill "$spid" 2>/dev/null
	ip netns del "$a" 2>/dev/null; ip netns del "$b" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
if ! ip netns add "$a" 2>/dev/null || ! ip netns add "$b"; then
	echo "1..0 # SKIP cannot create network namespaces here"
	exit 0
fi
ip link add va$$ netns "$a" type veth peer name vb$$ netns "$b"
ip -n "$a" addr add 10.77.0.1/24 dev va$$; ip -n "$a" link set va$$ up; ip -n "$a" link set lo up
ip -n "$b" addr add 10.77.0.2/24 dev vb$$; ip -n "$b" link set vb$$ up

ip netns exec "$a" "$MAMORI" sensor -i va$$ --duration 10 --eve - >"$tmp/eve.json" 2>"$tmp/err" &
spid=$!
i=0; while ! grep -q capturing "$tmp/err" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
# a TCP listener in A, a client in B; UDP datagrams and a DNS query B -> A
ip netns exec "$a" python3 -c '
import socket,sys
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("10.77.0.1",8080)); s.listen(1); s.settimeout(15)
c,_=s.accept(); c.recv(100); c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"); c.close()' &
lpid=$!
sleep 0.5
ip netns exec "$b" python3 -c '
import socket,struct,time
u=socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(5): u.sendto(b"hello %d" % i, ("10.77.0.1", 9999))
q=struct.pack(">HHHHHH",0x1234,0x0100,1,0,0,0)+b"\x04live\x06mamori\x04test\x00"+struct.pack(">HH",1,1)
u.sendto(q, ("10.77.0.1", 53))
for i in range(100):  # the listener in A may still be starting
    try:
        t=socket.create_connection(("10.77.0.1",8080), timeout=3); break
    except ConnectionRefusedError:
        time.sleep(0.1)
t.sendall(b"GET /live HTTP/1.1\r\nHost: live.mamori.test\r\nUser-Agent: sensor_live\r\n\r\n"); t.recv(100); t.close()'
wait "$lpid"
wait "$spid"; rc=$?; spid=
t "live capture exits 0 after --duration ($rc)" [ $rc -eq 0 ]
py() { python3 -c 'import json,sys; ev=[json.loads(l) for l in open(sys.argv[1])]; sys.exit(0 if eval(sys.argv[2]) else 1)' "$tmp/eve.json" "$1"; }
t "UDP flow seen with 5 packets" py "any(e['event_type']=='flow' and e['proto']=='UDP' and e['dest_port']==9999 and e['flow']['pkts_toserver']==5 for e in ev)"
t "TCP flow seen both ways" py "any(e['event_type']=='flow' and e['proto']=='TCP' and e['dest_port']==8080 and e['flow']['pkts_toclient']>0 for e in ev)"
t "DNS query decoded live" py "any(e['event_type']=='dns' and e['dns']['rrname']=='live.mamori.test' for e in ev)"
t "HTTP request decoded live" py "any(e['event_type']=='http' and e['http'].get('hostname')=='live.mamori.test' for e in ev)"
t "stats report kernel counters" py "ev[-1]['event_type']=='stats' and ev[-1]['stats']['capture']['kernel_packets']>=8"
# privileges: the sensor ran as nobody after opening the interface
ip netns exec "$a" "$MAMORI" sensor -i va$$ --duration 1 --user root >/dev/null 2>"$tmp/err2"; rc=$?
t "refuses to 'drop' to uid 0 ($rc)" [ $rc -ne 0 ] && grep -q "uid 0" "$tmp/err2"

# Indicators reloaded without a restart: on SIGHUP, and when the file's
# mtime changes (sensor.ioc_reload_s: 1). Only new flows are checked.
printf '192.0.2.99\n' >"$tmp/ioc.txt"; chmod 644 "$tmp/ioc.txt"
printf 'sensor:\n  ioc_reload_s: 1\n' >"$tmp/reload.yaml"
ip netns exec "$a" "$MAMORI" --config "$tmp/reload.yaml" sensor -i va$$ --duration 120 --eve - \
	--ioc "$tmp/ioc.txt" >"$tmp/r.json" 2>"$tmp/r.err" &
spid=$!
send() { ip netns exec "$b" python3 -c 'import socket,sys; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("10.77.0.1", int(sys.argv[1])))' "$1"; }
# each step waits for the sensor to say it is there (no sleeping on luck)
waitfor() { i=0; while ! grep -q "$1" "$tmp/r.err" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done; }
waitfor "capturing"; send 7001
sleep 1	# 5x the capture block timeout: 7001 is delivered before the SIGHUP is handled
printf '10.77.0.1\n' >"$tmp/ioc.txt"; kill -HUP "$spid"
waitfor "on SIGHUP"; send 7002
sleep 1.1; printf '192.0.2.98\n' >"$tmp/ioc.txt"
waitfor "a file changed"; send 7003
sleep 0.5; kill -TERM "$spid"
wait "$spid"; rc=$?; spid=
t "reload run exits 0 ($rc)" [ $rc -eq 0 ]
rpy() { python3 -c 'import json,sys; ev=[json.loads(l) for l in open(sys.argv[1])]; al=[e["dest_port"] for e in ev if e["event_type"]=="alert" and e["alert"]["mamori"]["rule_id"]=="mamori.net.ioc_ip"]; sys.exit(0 if eval(sys.argv[2]) else 1)' "$tmp/r.json" "$1"; }
t "before the reload: no indicator alert (port 7001)" rpy "7001 not in al"
hup_ok() { rpy "7002 in al" && grep -q "reloaded (1) on SIGHUP" "$tmp/r.err"; }
mtime_ok() { rpy "7003 not in al" && grep -q "a file changed" "$tmp/r.err"; }
t "after SIGHUP the new indicator alerts (port 7002)" hup_ok
t "after the file changed, the removed indicator is gone (port 7003)" mtime_ok
tap_end
