#!/bin/sh
# logs_syslog.sh - mamori logs listen: syslog from real clients (util-linux
# logger over UDP, TCP with LF and octet-counting framing, RFC 3164 and
# 5424; Python's ssl module over TLS) reaches the detections exactly once;
# oversize and malformed frames, a sender past the connection limit, a
# plaintext sender on the TLS port and idle connections are counted, and
# the good messages after them still arrive.
set -u
. "$(dirname "$0")/logs_live.inc"
if ! command -v logger >/dev/null; then
	echo "1..0 # SKIP logger (util-linux) is not installed"
	exit 0
fi
msg() { echo "Failed password for u$1 from 203.0.113.$(($1 % 250 + 1)) port 1 ssh2"; }
start listen --udp 127.0.0.1:0 --tcp 127.0.0.1:0 --tls 127.0.0.1:0 --max-msg 4096 --max-conns 4 --idle 3
k=0
while ! grep -q "listening on tls" "$tmp/err.$run" && [ $k -lt 100 ]; do sleep 0.2; k=$((k + 1)); done
port() { sed -n "s/.*listening on $1 127.0.0.1:\([0-9]*\)$/\1/p" "$tmp/err.$run"; }
U=$(port udp) T=$(port tcp) S=$(port tls)
t "three listeners on free ports ($U, $T, $S)" [ -n "$U" ] && [ -n "$T" ] && [ -n "$S" ]
t "a self-signed certificate is made beside the database" [ -s "$tmp/syslog.crt" ] && [ -s "$tmp/syslog.key" ]

i=1; while [ $i -le 10 ]; do logger --server 127.0.0.1 --port "$U" --udp --rfc3164 -t sshd "$(msg $i)"; i=$((i + 1)); done
while [ $i -le 20 ]; do logger --server 127.0.0.1 --port "$U" --udp --rfc5424 -t sshd "$(msg $i)"; i=$((i + 1)); done
while [ $i -le 30 ]; do logger --server 127.0.0.1 --port "$T" --tcp -t sshd "$(msg $i)"; i=$((i + 1)); done
while [ $i -le 40 ]; do logger --server 127.0.0.1 --port "$T" --tcp --octet-count --rfc3164 -t sshd "$(msg $i)"; i=$((i + 1)); done
t "logger over UDP and TCP (LF and octet counting, RFC 3164 and 5424): 40" wait_seen 40

cat >"$tmp/send.py" <<'PY'
import socket, ssl, sys, time
mode, port = sys.argv[1], int(sys.argv[2])
def msg(i, rfc5424=True):
    m = "Failed password for u%d from 203.0.113.%d port 1 ssh2" % (i, i % 250 + 1)
    if rfc5424:
        return ("<38>1 2026-12-05T06:00:00.000Z fw sshd 10 - [x@1 a=\"b\"] " + m).encode()
    return ("<38>Dec  5 06:00:00 fw sshd[10]: " + m).encode()
def octet(m): return str(len(m)).encode() + b" " + m
def tcp(): return socket.create_connection(("127.0.0.1", port))
if mode == "tls":        # u41..u60: both framings, one byte at a time for some
    c = ssl.create_default_context(); c.check_hostname = False; c.verify_mode = ssl.CERT_NONE
    s = c.wrap_socket(tcp())
    for i in range(41, 51):
        s.sendall(octet(msg(i)))
    for i in range(51, 56):
        s.sendall(msg(i, False) + b"\n")
    data = b"".join(octet(msg(i)) for i in range(56, 61))
    for b in range(len(data)):
        s.sendall(data[b:b + 1])
    s.unwrap() if hasattr(s, "unwrap") else None
    s.close()
elif mode == "bad-tcp":  # oversize octet frame, oversize line, bad length, then good ones
    s = tcp()
    s.sendall(b"100000 " + b"x" * 100000 + octet(msg(61)))
    s.sendall(b"<38>" + b"y" * 10000 + b"\n" + msg(62, False) + b"\n")
    s.sendall(b"12x34 junk\n" + octet(msg(63)))
    s.close()
elif mode == "bad-udp":  # oversize datagram, broken PRI, then a good one
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b"<38>" + b"z" * 5000, ("127.0.0.1", port))
    s.sendto(b"<999>Dec  5 06:00:00 fw sshd[1]: x", ("127.0.0.1", port))
    time.sleep(0.2)
    s.sendto(msg(64, False), ("127.0.0.1", port))
elif mode == "plain-on-tls":
    s = tcp()
    s.sendall(octet(msg(999)))
    s.settimeout(10)
    try:
        s.recv(100)
    except OSError:
        pass
elif mode == "limit":    # 4 idle connections fill the limit; the 5th is closed at once
    held = [tcp() for _ in range(4)]
    time.sleep(1)
    s = tcp()
    s.settimeout(10)
    try:
        print("closed" if s.recv(1) == b"" else "open")
    except ConnectionResetError:
        print("closed")
    except socket.timeout:
        print("open")
elif mode == "idle":     # a silent sender is closed by the server after --idle
    s = tcp()
    s.settimeout(20)
    t0 = time.time()
    try:
        gone = s.recv(1) == b""
    except ConnectionResetError:
        gone = True
    print("closed" if gone and time.time() - t0 >= 2 else "open")
PY
python3 "$tmp/send.py" tls "$S"
t "TLS (Python ssl), both framings, byte by byte: 60" wait_seen 60
python3 "$tmp/send.py" bad-tcp "$T"
t "good TCP frames after oversize and malformed ones arrive (63)" wait_seen 63
python3 "$tmp/send.py" bad-udp "$U"
t "a good datagram after an oversize and a malformed one arrives (64)" wait_seen 64
python3 "$tmp/send.py" plain-on-tls "$S"
t "connection limit: the 5th sender is closed at once" [ "$(python3 "$tmp/send.py" limit "$T")" = closed ]
t "an idle sender is closed after --idle 3" [ "$(python3 "$tmp/send.py" idle "$T")" = closed ]
t "SIGTERM: exit 0" stop
e="$tmp/err.$run"
t "64 messages, each exactly once" exactly_once 64
t "oversize counted (octet frame, LF line, datagram: 3)" grep -q "dropped: 3 oversize" "$e"
t "malformed counted (bad length field, bad PRI: 2)" grep -q "oversize, 2 malformed" "$e"
t "refused connection counted" grep -q " 1 refused (limit)" "$e"
t "plaintext on the TLS port counted as a TLS failure" grep -q " 1 TLS failures" "$e"
t "idle connection counted" grep -q " 1 closed idle" "$e"
grep "syslog:" "$e" | sed 's/^/# /'

# Usage and bind errors.
"$MAMORI" --db "$db" logs listen --udp nonsense >/dev/null 2>"$tmp/b.err"; rc=$?
t "bad listen address: exit 66 with a message" [ $rc -eq 66 ] && grep -q "cannot listen" "$tmp/b.err"
"$MAMORI" --db "$db" logs listen --tls 127.0.0.1:0 --tls-cert "$tmp/syslog.crt" >/dev/null 2>&1; rc=$?
t "--tls-cert without --tls-key: usage error 2" [ $rc -eq 2 ]
"$MAMORI" --db "$db" logs listen --tls 127.0.0.1:0 --tls-cert "$tmp/nope.crt" --tls-key "$tmp/nope.key" >/dev/null 2>&1; rc=$?
t "missing certificate files: exit 78" [ $rc -eq 78 ]

echo "1..$n"
[ $fail -eq 0 ]
