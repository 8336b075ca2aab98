#!/usr/bin/env python3
"""gen_vuln_host.py TRACKER_JSON OUTDIR [BINARIES] - from one tracker JSON
(bench/gen_tracker.py output or the real file), writes the same data for
debsecan and a host to check:

  OUTDIR/feed/bookworm      debsecan's per-suite feed (zlib, "VERSION 1")
  OUTDIR/root/var/lib/dpkg/status, OUTDIR/root/etc/os-release
                            a bookworm host with BINARIES (3000) binaries
  OUTDIR/expected.txt       "CVE source" pairs both tools should report

debsecan feed rules for one suite (as debsecan reads them): a package line
"src,vuln_index,flags,fixed_version," is vulnerable below fixed_version; an
empty fixed version means always vulnerable; not-affected entries ("0") are
left out. Deterministic (seeded)."""
import json
import os
import random
import sys
import zlib

tracker, outdir = sys.argv[1], sys.argv[2]
nbin = int(sys.argv[3]) if len(sys.argv) > 3 else 3000
rnd = random.Random(3000)
data = json.load(open(tracker))

# Per source: its bookworm rows.
rows = {}
for src, cves in data.items():
    for cve, v in cves.items():
        r = v.get("releases", {}).get("bookworm")
        if r:
            rows.setdefault(src, []).append((cve, r, v.get("scope"), v.get("description", "")))

with_data = sorted(rows)
rnd.shuffle(with_data)
nsrc = nbin * 6 // 10                       # ~1.7 binaries per source, like a real host
chosen = with_data[: nsrc * 2 // 3]
fake = ["nodata-src%d" % i for i in range(nsrc - len(chosen))]

def current(src):
    for cve, r, _, _ in rows[src]:
        for ver in r.get("repositories", {}).values():
            return ver
    return "1.0-1"

installed = {}
for src in chosen:
    ver = current(src)
    fixes = [r.get("fixed_version") for _, r, _, _ in rows[src]
             if r.get("status") == "resolved" and r.get("fixed_version") not in (None, "", "0")]
    if fixes and rnd.random() < 0.15:
        ver = rnd.choice(fixes) + "~old"    # just below one fix: fixable
    installed[src] = ver
for src in fake:
    installed[src] = "2.%d-1" % rnd.randint(0, 9)

srcs = sorted(installed)
bins = {s: [s if not s.startswith("lib") else s + "0"] for s in srcs}
extra = nbin - len(srcs)
for i in range(extra):
    s = rnd.choice(srcs)
    bins[s].append("%s-bin%d" % (s, len(bins[s])))

root = os.path.join(outdir, "root")
os.makedirs(os.path.join(root, "var/lib/dpkg"), exist_ok=True)
os.makedirs(os.path.join(root, "etc"), exist_ok=True)
with open(os.path.join(root, "etc/os-release"), "w") as f:
    f.write('ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n')
with open(os.path.join(root, "var/lib/dpkg/status"), "w") as f:
    for s in srcs:
        for b in bins[s]:
            f.write("Package: %s\nStatus: install ok installed\nArchitecture: amd64\n" % b)
            if b != s:
                f.write("Source: %s\n" % s)
            f.write("Version: %s\nDescription: generated\n\n" % installed[s])

# The debsecan feed: every bookworm row of every source (not just installed).
urg = {"low": "L", "medium": "M", "high": "H"}
names, pkglines = [], []
index = {}
for src in sorted(rows):
    for cve, r, scope, desc in rows[src]:
        fixed = r.get("fixed_version") or ""
        if r.get("status") == "resolved" and fixed in ("", "0"):
            continue
        if cve not in index:
            index[cve] = len(names)
            names.append("%s,,%s" % (cve, desc.replace("\n", " ")[:80]))
        u = urg.get((r.get("urgency") or "").rstrip("*"), " ")
        remote = {"remote": "R", "local": " "}.get(scope, "?")
        flags = "S" + u + remote + ("F" if fixed else " ")
        pkglines.append("%s,%d,%s,%s," % (src, index[cve], flags, fixed))
s2b = ["%s,%s" % (s, " ".join(bins[s])) for s in srcs]
feed = "VERSION 1\n" + "\n".join(names) + "\n\n" + "\n".join(pkglines) + "\n\n" + "\n".join(s2b) + "\n"
os.makedirs(os.path.join(outdir, "feed"), exist_ok=True)
with open(os.path.join(outdir, "feed", "bookworm"), "wb") as f:
    f.write(zlib.compress(feed.encode()))
print("feed: %d vulnerabilities, %d package entries, %d bytes raw; host: %d sources, %d binaries"
      % (len(names), len(pkglines), len(feed), len(srcs), sum(len(b) for b in bins.values())))
