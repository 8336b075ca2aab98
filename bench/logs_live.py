#!/usr/bin/env python3
"""logs_live.py MAMORI FILE WORKDIR [RUNS]: live intake throughput.

follow: FILE is appended (4 MB writes, as fast as Python can) to an empty
file that `mamori logs follow` watches (inotify); done when the read
position mamori saves in its database (log_positions, every 100 ms tick)
reaches the end of the file.
syslog: FILE's lines are sent as RFC 6587 octet-counted frames over one
TCP connection to `mamori logs listen --tcp`; done when mamori, having read
everything and the end of the stream, closes the connection.

Wall time from the first byte written/sent to done; CPU is mamori's
user+sys for the whole run (startup included) and peak RSS, from GNU time.
Alerts are stored in mamori's database as in production. The
message count in mamori's summary must equal the line count.
"""
import os
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

mamori, path, work = sys.argv[1], sys.argv[2], sys.argv[3]
runs = int(sys.argv[4]) if len(sys.argv) > 4 else 3
data = open(path, "rb").read()
nlines = data.count(b"\n")


def launch(argv, err, d):
    """mamori under GNU time: the peak RSS of a child forked from this
    (large) Python process would otherwise include Python's pages."""
    tf = os.path.join(d, "time.txt")
    p = subprocess.Popen(["/usr/bin/time", "-f", "%M %U %S", "-o", tf] + argv,
                         stdout=subprocess.DEVNULL, stderr=open(err, "w"))
    p.time_file = tf
    return p


def finish(p, err):
    with open("/proc/%d/task/%d/children" % (p.pid, p.pid)) as f:
        child = int(f.read().split()[0])
    os.kill(child, signal.SIGTERM)
    p.wait()
    rss_kb, user, sys_ = open(p.time_file).read().split()[-3:]
    return float(user) + float(sys_), int(rss_kb) / 1024, open(err).read()


def follow_once(d):
    log, db, err = os.path.join(d, "f.log"), os.path.join(d, "f.db"), os.path.join(d, "f.err")
    open(log, "wb").close()
    p = launch([mamori, "--db", db, "logs", "follow", "--json", "--tick", "100", log], err, d)
    while "following" not in open(err).read():
        time.sleep(0.05)
    t0 = time.monotonic()
    with open(log, "ab") as f:
        for i in range(0, len(data), 4 << 20):
            f.write(data[i:i + (4 << 20)])
            f.flush()
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    while True:
        try:
            row = con.execute("SELECT offset FROM log_positions").fetchone()
        except sqlite3.OperationalError:
            row = None
        if row and row[0] >= len(data):
            break
        time.sleep(0.02)
    wall = time.monotonic() - t0
    con.close()
    cpu, rss, text = finish(p, err)
    m = re.search(r"follow: (\d+) lines", text)
    assert m and int(m.group(1)) == nlines, text
    return wall, cpu, rss


def syslog_once(d):
    db, err = os.path.join(d, "s.db"), os.path.join(d, "s.err")
    p = launch([mamori, "--db", db, "logs", "listen", "--json", "--tcp", "127.0.0.1:0"], err, d)
    port = None
    while port is None:
        m = re.search(r"listening on tcp 127\.0\.0\.1:(\d+)", open(err).read())
        port = int(m.group(1)) if m else time.sleep(0.05)
    frames = b"".join(b"%d %s" % (len(l), l) for l in data.split(b"\n") if l)
    s = socket.create_connection(("127.0.0.1", port))
    t0 = time.monotonic()
    s.sendall(frames)
    s.shutdown(socket.SHUT_WR)
    s.recv(1)   # mamori closes after reading everything and the end of the stream
    wall = time.monotonic() - t0
    s.close()
    cpu, rss, text = finish(p, err)
    m = re.search(r"syslog: (\d+) messages", text)
    assert m and int(m.group(1)) == nlines, text
    return wall, cpu, rss


for name, fn in (("follow", follow_once), ("syslog tcp", syslog_once)):
    res = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(dir=work) as d:
            res.append(fn(d))
    wall = statistics.median(r[0] for r in res)
    cpu = statistics.median(r[1] for r in res)
    rss = max(r[2] for r in res)
    print("  %-11s %d lines: median %.2f s wall (%.0f lines/s), %.2f CPU s (%.0f lines per CPU s), "
          "%.1f MB max RSS" % (name, nlines, wall, nlines / wall, cpu, nlines / cpu, rss))
