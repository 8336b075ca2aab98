#!/usr/bin/env python3
"""gen_tracker.py OUT [ENTRIES] [SOURCES] - writes a Debian security tracker
JSON of realistic size and shape (the real file is ~70 MB and not reachable
offline): ~150k source package/CVE entries over ~30k source packages, each
with 4-6 releases, repositories incl. -security, realistic Debian version
strings (epochs, +dfsg, ~debNuM, +debNuM, ~bpo), urgencies, nodsa marks and
TEMP- ids. Deterministic (seeded)."""
import json
import random
import sys

out = sys.argv[1]
entries = int(sys.argv[2]) if len(sys.argv) > 2 else 150000
sources = int(sys.argv[3]) if len(sys.argv) > 3 else 30000
rnd = random.Random(20250825)

syll = ["lib", "py", "ruby", "node", "php", "gtk", "qt", "x", "open", "net", "ssl", "xml",
        "http", "img", "font", "perl", "go", "rust", "pg", "my", "sql", "zip", "crypt",
        "gst", "kde", "gnome", "mesa", "wm", "ssh", "dns", "mail", "sane", "cups"]
names = set()
while len(names) < sources:
    n = "".join(rnd.choice(syll) for _ in range(rnd.randint(1, 3)))
    if rnd.random() < 0.3:
        n += str(rnd.randint(1, 5))
    if rnd.random() < 0.2:
        n += "-" + rnd.choice(["utils", "tools", "common", "core", "data"])
    names.add(n)
names = sorted(names)

releases = ["buster", "bullseye", "bookworm", "trixie", "sid"]
suffix = {"buster": "deb10u", "bullseye": "deb11u", "bookworm": "deb12u", "trixie": "deb13u"}
urg = ["not yet assigned"] * 6 + ["low", "medium", "high", "unimportant", "low**", "medium**",
                                  "high**", "end-of-life"]


def upstream():
    v = ".".join(str(rnd.randint(0, 30)) for _ in range(rnd.randint(2, 4)))
    r = rnd.random()
    if r < 0.1:
        v += "+dfsg"
    elif r < 0.15:
        v += "~rc" + str(rnd.randint(1, 4))
    elif r < 0.2:
        v = str(rnd.randint(1, 3)) + ":" + v
    return v


def version(base, rel):
    v = base + "-" + str(rnd.randint(1, 12))
    r = rnd.random()
    if rel in suffix and r < 0.4:
        v += ("+" if r < 0.3 else "~") + suffix[rel] + str(rnd.randint(1, 14))
    elif r < 0.45:
        v += "~bpo" + str(rnd.randint(10, 12)) + "+1"
    return v


words = ("buffer overflow in the parser allows remote attackers to cause a denial of service "
         "or possibly execute arbitrary code via a crafted file use-after-free heap integer "
         "signedness NULL pointer dereference in function when handling").split()

per_src = [1] * sources
for _ in range(entries - sources):
    per_src[int(rnd.paretovariate(1.2) * 7) % sources] += 1

n_cve = 0
with open(out, "w") as f:
    f.write("{")
    for si, src in enumerate(names):
        base = upstream()
        f.write(("," if si else "") + json.dumps(src) + ": {")
        for ci in range(per_src[si]):
            n_cve += 1
            if rnd.random() < 0.02:
                cid = "TEMP-%07d-%06X" % (rnd.randint(0, 9999999), rnd.randint(0, 0xFFFFFF))
            else:
                cid = "CVE-%d-%d" % (rnd.randint(1999, 2025), rnd.randint(1000, 59999))
            rels = {}
            for rel in releases[rnd.randint(0, 1):]:
                st = rnd.random()
                e = {"status": "resolved" if st < 0.7 else "open" if st < 0.95 else "undetermined",
                     "repositories": {rel: version(base, rel)}}
                if rel in suffix and rnd.random() < 0.4:
                    e["repositories"][rel + "-security"] = version(base, rel)
                if e["status"] == "resolved":
                    e["fixed_version"] = "0" if rnd.random() < 0.15 else version(base, rel)
                e["urgency"] = rnd.choice(urg)
                if e["status"] == "open" and rnd.random() < 0.3:
                    e["nodsa"] = "Minor issue"
                    e["nodsa_reason"] = rnd.choice(["", "postponed", "ignored"])
                rels[rel] = e
            d = {"description": " ".join(rnd.choice(words) for _ in range(rnd.randint(10, 40))),
                 "scope": rnd.choice(["local", "remote"]), "releases": rels}
            if rnd.random() < 0.5:
                d["debianbug"] = rnd.randint(100000, 1110000)
            f.write(("," if ci else "") + json.dumps(cid) + ": " + json.dumps(d))
        f.write("}")
    f.write("}\n")
print(f"{out}: {sources} source packages, {n_cve} package/CVE entries", file=sys.stderr)
