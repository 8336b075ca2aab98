#!/bin/sh
# up_reload.sh - SIGHUP to mamori up reloads: up runs in a network namespace
# with its sensor on one end of a veth pair, its indicator feed named by
# sensor.ioc_files in its --config (sensor.ioc_reload_s 0: only SIGHUP
# reloads), a log watch and a file watch. A SIGHUP sent as soon as the
# sensor is started (before it can take one) is kept for it; then the feed
# gains the address of a computer in a second namespace, SIGHUP again: up
# says what it reloads, the sensor reports the new indicator count, up and
# its watches keep running, and that computer's next packets are a stored
# indicator alert. Without a sensor, up says nothing was reloaded and runs on.
set -u
: "${MAMORI:?}"
if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null 2>&1; then
	echo "1..0 # SKIP needs root and iproute2 to create network namespaces"
	exit 0
fi
for tool in python3; do
	if ! command -v $tool >/dev/null; then echo "1..0 # SKIP $tool missing (tools/deps.sh test)"; exit 0; fi
done
. "$(dirname "$0")/tap.inc"
chmod 755 "$tmp"	# the sensor reads the feed again as nobody
a=mra$$ b=mrb$$ va=ra$$ vb=rb$$
. "$(dirname "$0")/netns.inc"
netns_pair 10.79.0

db="$tmp/m.db"
sql() { python3 -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone(); print("" if r is None else r[0])' "$db" "$1"; }
err="$tmp/up.err"
has() { grep -q "$1" "$err"; }
count() { grep -c "$1" "$err"; }
# the pid of up's child running "mamori ... WHAT"
child() { ps -o pid=,args= --ppid "$pid" | sed -n "s/^ *\([0-9]*\) .*mamori .*$1.*/\1/p"; }

printf '192.0.2.99\n' >"$tmp/ioc.txt"; chmod 644 "$tmp/ioc.txt"
cat >"$tmp/mamori.yaml" <<YAML
sensor:
  ioc_files: $tmp/ioc.txt
  ioc_reload_s: 0
YAML
: >"$tmp/auth.log"
mkdir "$tmp/docs"; printf '見積書\n' >"$tmp/docs/quote.txt"
ip netns exec "$a" "$MAMORI" --config "$tmp/mamori.yaml" --db "$db" up --listen 127.0.0.1:0 \
    --sensor $va --logs "$tmp/auth.log" --fim "$tmp/docs" --scan-every 86400 2>"$err" &
pid=$!
t "up starts its sensor on the veth end" wait_for 60 has "^mamori up: network sensor on $va"
# At once: the sensor may still be loading its feed or opening the interface.
kill -HUP "$pid"
sleep 0.2
t "SIGHUP does not end up" kill -0 "$pid"
kill -0 "$pid" 2>/dev/null || { sed 's/^/# /' "$err"; pid=; tap_end; exit 1; }
t "up says the sensor reloads the files of sensor.ioc_files" \
    wait_for 30 has "^mamori up: SIGHUP, network sensor reloading its indicator files ($tmp/ioc.txt)"
t "the sensor loaded the feed of the config" wait_for 30 has "ioc.txt: plain format, 1 indicators"
t "a SIGHUP while the sensor starts waits for it: it reloads (1)" \
    wait_for 30 has "indicators reloaded (1) on SIGHUP"
t "and captures" wait_for 30 has "^mamori sensor: capturing"
t "the log and file watches run" wait_for 30 sh -c "grep -q 'following 1 file' '$err' && grep -q 'watching 1 path' '$err'"
fim=$(child "fim watch") logs=$(child "logs follow") sensor=$(child "sensor -i")
t "up's three watches are its children ($fim $logs $sensor)" [ -n "$fim" ] && [ -n "$logs" ] && [ -n "$sensor" ]

printf '192.0.2.99\n10.79.0.2\n' >"$tmp/ioc.txt"
kill -HUP "$pid"
t "after the feed changed, SIGHUP: the sensor reloads it (2)" wait_for 30 has "indicators reloaded (2) on SIGHUP"
t "up said so once for each SIGHUP" [ "$(count '^mamori up: SIGHUP, network sensor reloading')" -eq 2 ]
t "up keeps running" kill -0 "$pid"
t "the sensor, log watch and file watch were not restarted" \
    [ "$(child "fim watch") $(child "logs follow") $(child "sensor -i")" = "$fim $logs $sensor" ]
t "no child stopped" sh -c "! grep -q 'stopped (exit' '$err'"

ip netns exec "$b" python3 -c '
import socket
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(3): u.sendto(b"hello %d" % i, ("10.79.0.1", 7002))'
ioc() { [ "$(sql "SELECT count(*) FROM alerts WHERE source = 'sensor' AND rule_id = 'mamori.net.ioc_ip' AND body LIKE '%10.79.0.2%'" 2>/dev/null)" -ge 1 ]; }
t "the newly listed computer's packets are a stored indicator alert" wait_for 30 ioc
kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
t "SIGTERM still stops up (exit 0)" [ $rc -eq 0 ]

# No sensor: nothing to reload, and up runs on.
err="$tmp/up2.err"
ip netns exec "$a" "$MAMORI" --config "$tmp/mamori.yaml" --db "$db" up --listen 127.0.0.1:0 \
    --sensor off --logs off --fim off --scan-every 86400 2>"$err" &
pid=$!
t "up starts without a sensor" wait_for 60 has "^mamori up: dashboard on"
kill -HUP "$pid"
t "SIGHUP: up says nothing was reloaded" \
    wait_for 30 has "^mamori up: SIGHUP, nothing reloaded: the network sensor is not running"
t "and keeps running" kill -0 "$pid"
kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
t "SIGTERM stops it (exit 0)" [ $rc -eq 0 ]
t "database intact" [ "$(sql 'PRAGMA integrity_check')" = ok ]
tap_end
