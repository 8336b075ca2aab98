#!/usr/bin/env python3
"""dashboard_client.py BASE USER PASSWORD RUNS [ONLY] - logs in to mamori serve and
times the dashboard's requests: each API call alone (RUNS times over one
keep-alive TLS connection, as the browser does), then each page as the
browser loads it (its calls at once, one connection each). Prints p50, p95
and max in milliseconds, and each page's p95 against GET /api/health (the
floor: TLS, HTTP and the session check with no data), and the server's CPU
milliseconds per call or page when MAMORI_PID is set (load-independent).
ONLY (e.g. "/api/vulns") times just the calls that start with it, no pages."""
import concurrent.futures
import http.client
import json
import os
import ssl
import statistics
import sys
import time
import urllib.parse

base, user, password, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
only = sys.argv[5] if len(sys.argv) > 5 else None
u = urllib.parse.urlparse(base)
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE


def conn():
    return http.client.HTTPSConnection(u.hostname, u.port, context=ctx, timeout=60)


c = conn()
c.request("POST", "/api/login", json.dumps({"username": user, "password": password}),
          {"Content-Type": "application/json"})
r = c.getresponse()
r.read()
cookie = r.getheader("Set-Cookie").split(";")[0]
hdr = {"Cookie": cookie}


def get(cn, path):
    start = time.perf_counter()
    try:
        cn.request("GET", path, headers=hdr)
        resp = cn.getresponse()
    except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
        # The server closes a connection idle beyond its timeout (a page's
        # spare connections while a long page runs): open it again.
        cn.close()
        start = time.perf_counter()
        cn.request("GET", path, headers=hdr)
        resp = cn.getresponse()
    body = resp.read()
    if resp.status != 200:
        raise SystemExit(f"{path}: {resp.status} {body[:200]!r}")
    return (time.perf_counter() - start) * 1000, len(body)


c.request("GET", "/api/hosts", headers=hdr)
hosts = json.loads(c.getresponse().read())
scan_id, host_id = hosts[0]["last_scan_id"], hosts[0]["id"]
# What web/src/page_*.js request at once (overview: 20 findings and the
# first 3 vulnerabilities, counts from the hosts; assets: one host's findings).
pages = {
    "overview": ["/api/hosts", "/api/trend", "/api/findings?limit=20", "/api/vulns?limit=3",
                 "/api/alerts?state=open&limit=50"],
    "assets": ["/api/hosts", f"/api/findings?host={host_id}", f"/api/scans/{scan_id}"],
    "vulns": ["/api/vulns"],
    "alerts": ["/api/alerts?state=open&limit=200"],
    "settings": ["/api/users", "/api/agents", "/api/tokens"],
}
# The full lists too, for comparison with the pages' smaller reads.
calls = ["/api/health", "/", "/app.js"] + sorted({p for v in pages.values() for p in v} |
                                                 {"/api/findings", "/api/vulns"})
if only:
    calls = ["/api/health"] + [p for p in calls if p.startswith(only)]
    pages = {}


# The server's CPU time (user + system) from /proc when dashboard.sh passes
# its pid: a per-call figure that the machine's load does not inflate.
server_pid = os.environ.get("MAMORI_PID")
tick = os.sysconf("SC_CLK_TCK")


def cpu_ms():
    if not server_pid:
        return 0.0
    with open(f"/proc/{server_pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / tick


def stats(xs):
    xs = sorted(xs)
    return statistics.median(xs), xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))], xs[-1]


print(f"{'request':44} {'bytes':>9} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'cpu ms':>7}")
floor = None
for path in calls:
    for _ in range(3):
        get(c, path)
    times, size = [], 0
    cpu0 = cpu_ms()
    for _ in range(runs):
        t, size = get(c, path)
        times.append(t)
    cpu = (cpu_ms() - cpu0) / runs
    p50, p95, mx = stats(times)
    if path == "/api/health":
        floor = p95
    print(f"{path:44} {size:9d} {p50:8.1f} {p95:8.1f} {mx:8.1f} {cpu:7.1f}")

print()
print(f"{'page (calls at once)':44} {'calls':>9} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'p95/health':>10} "
      f"{'cpu ms':>7}")
conns = [conn() for _ in range(5)]
with concurrent.futures.ThreadPoolExecutor(5) as ex:
    for name, paths in pages.items():
        times = []
        for i in range(runs + 3):
            if i == 3:
                cpu0 = cpu_ms()
            start = time.perf_counter()
            list(ex.map(lambda a: get(conns[a[0]], a[1]), enumerate(paths)))
            if i >= 3:
                times.append((time.perf_counter() - start) * 1000)
        cpu = (cpu_ms() - cpu0) / runs
        p50, p95, mx = stats(times)
        print(f"{name:44} {len(paths):9d} {p50:8.1f} {p95:8.1f} {mx:8.1f} {p95 / floor:10.1f} {cpu:7.1f}")
