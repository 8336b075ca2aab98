#!/bin/sh
# packages_live.sh - the package inventory against the real tools of this
# machine: on "/" the JSON package list is exactly what
#   dpkg-query -W -f='${binary:Package}\t${Version}\n'
# prints, and under --root a copied and edited dpkg database is listed
# exactly as dpkg-query --admindir lists it. With rpm installed, the rpmdb
# fixture is compared with rpm -qa too.
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}"
. "$(dirname "$0")/tap.inc"
same() { # want got: equal files, else the first differences as diagnostics
	cmp -s "$1" "$2" && return 0
	diff "$1" "$2" | head -8 | sed 's/^/# /'
	return 1
}

# JSON -> "name[:arch]<TAB>version" the way dpkg-query prints
# ${binary:Package}: qualified for Multi-Arch: same, and for architectures
# other than the native one and "all" (dpkg's pnaw_nonambig).
deb_list() { # scan.json native-arch
	python3 - "$1" "$2" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
native = sys.argv[2]
for p in doc["packages"]:
    if p["format"] != "deb":
        continue
    name, arch = p["name"], p["arch"] or ""
    if arch and (p["multiarch_same"] or arch not in (native, "all")):
        name += ":" + arch
    print(f'{name}\t{p["version"]}')
PY
}
warnings() { # scan.json area -> count of warnings of that area
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(1 for w in d["warnings"] if w["area"] == sys.argv[2]))' "$1" "$2"
}
has_warning() { # scan.json text
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if any(sys.argv[2] in w["message"] for w in d["warnings"]) else 1)' "$1" "$2"
}

if ! command -v dpkg-query >/dev/null || [ ! -f /var/lib/dpkg/status ]; then
	echo "1..0 # SKIP not a dpkg system"
	exit 0
fi
native=$(dpkg --print-architecture)

# 1. This machine.
start=$(date +%s%N)
"$MAMORI" scan --json --no-store >"$tmp/live.json" 2>"$tmp/live.err"
rc=$?
end=$(date +%s%N)
t "live scan exits 0" [ $rc -eq 0 ]
echo "# live scan took $(( (end - start) / 1000000 )) ms (this build)"
dpkg-query -W -f='${binary:Package}\t${Version}\n' | LC_ALL=C sort >"$tmp/want"
deb_list "$tmp/live.json" "$native" | LC_ALL=C sort >"$tmp/got"
t "live packages == dpkg-query -W ($(wc -l <"$tmp/want") packages)" same "$tmp/want" "$tmp/got"
t "no package warnings on this machine" [ "$(warnings "$tmp/live.json" packages)" -eq 0 ]
dpkg-query -W -f='${binary:Package}\t${db:Status-Status}\t${source:Package}\t${source:Version}\n' |
    LC_ALL=C sort >"$tmp/want-src"
python3 - "$tmp/live.json" "$native" <<'PY' | LC_ALL=C sort >"$tmp/got-src"
import json, sys
doc = json.load(open(sys.argv[1]))
for p in doc["packages"]:
    name, arch = p["name"], p["arch"] or ""
    if arch and (p["multiarch_same"] or arch not in (sys.argv[2], "all")):
        name += ":" + arch
    print(f'{name}\t{p["status"]}\t{p["source"]}\t{p["source_version"]}')
PY
t "live status, source and source version == dpkg-query's" same "$tmp/want-src" "$tmp/got-src"

# 2. A copied database under --root, edited into the states dpkg-query
#    also lists, plus a journal entry in updates/.
root="$tmp/root"
mkdir -p "$root/var/lib/dpkg/updates"
python3 - /var/lib/dpkg/status "$root/var/lib/dpkg/status" <<'PY'
import re, sys
stanzas = [s for s in open(sys.argv[1]).read().split("\n\n") if s.strip()]
out = []
def field(s, f):
    m = re.search(r"^" + f + r": *(.*)$", s, re.M)
    return m.group(1) if m else None
def setfield(s, f, v):
    return re.sub(r"^" + f + r":.*$", f + ": " + v, s, flags=re.M)
changed = {"rc": 0, "half": 0, "gone": 0, "foreign": 0, "notinst": 0, "epoch0": 0}
for s in stanzas:
    name = field(s, "Package")
    ma = field(s, "Multi-Arch")
    if changed["gone"] < 3 and name.startswith("lib"):
        changed["gone"] += 1
        continue                                  # removed and purged
    if changed["rc"] < 2 and field(s, "Conffiles") is None and ma is None:
        changed["rc"] += 1
        s = setfield(s, "Status", "deinstall ok config-files")
        s += "\nConfig-Version: " + field(s, "Version")
    elif changed["half"] < 1 and ma is None:
        changed["half"] += 1
        s = setfield(s, "Status", "install reinstreq half-installed")
    elif changed["notinst"] < 1 and ma is None and field(s, "Conffiles") is None:
        changed["notinst"] += 1
        s = setfield(s, "Status", "purge ok not-installed")
    elif changed["epoch0"] < 1 and ":" not in field(s, "Version"):
        changed["epoch0"] += 1
        s = setfield(s, "Version", "0:" + field(s, "Version"))
    out.append(s)
    if changed["foreign"] < 2 and ma == "same":
        changed["foreign"] += 1
        out.append(setfield(s, "Architecture", "i386"))
open(sys.argv[2], "w").write("\n\n".join(out) + "\n")
PY
# A journal entry: the first package upgraded, caught half way.
awk 'BEGIN { RS = ""; ORS = "\n\n" } NR == 1 { print; exit }' "$root/var/lib/dpkg/status" |
    sed -e 's/^Status: .*/Status: install ok half-configured/' \
        -e 's/^Version: \(.*\)/Version: \1+mamori1/' >"$root/var/lib/dpkg/updates/0001"
dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${binary:Package}\t${Version}\n' 2>"$tmp/dq.err" |
    LC_ALL=C sort >"$tmp/want-root"
t "dpkg-query accepts the edited database" [ ! -s "$tmp/dq.err" ]
"$MAMORI" scan --root "$root" --json --no-store >"$tmp/root.json" 2>"$tmp/root.err"
t "scan --root exits 0" [ $? -eq 0 ]
deb_list "$tmp/root.json" "$native" | LC_ALL=C sort >"$tmp/got-root"
t "--root packages == dpkg-query --admindir ($(wc -l <"$tmp/want-root") packages)" \
    same "$tmp/want-root" "$tmp/got-root"
dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${binary:Package}\t${db:Status-Status}\n' |
    LC_ALL=C sort >"$tmp/want-st"
python3 - "$tmp/root.json" "$native" <<'PY' | LC_ALL=C sort >"$tmp/got-st"
import json, sys
for p in json.load(open(sys.argv[1]))["packages"]:
    name, arch = p["name"], p["arch"] or ""
    if arch and (p["multiarch_same"] or arch not in (sys.argv[2], "all")):
        name += ":" + arch
    print(f'{name}\t{p["status"]}')
PY
t "--root states (config-files, half-installed, journal) == dpkg-query's" \
    same "$tmp/want-st" "$tmp/got-st"

# 3. The same database with corrupt stanzas: dpkg-query gives up on it,
#    the scan skips them, says so, and still lists everything else.
bad="$tmp/bad"
mkdir -p "$bad/var/lib/dpkg"
{
	printf 'Package: broken one\nStatus: install ok installed\nVersion: 1\n\n'
	head -c 700 /dev/urandom | tr -d '\n'; printf '\n\n'
	printf 'Status: install ok installed\nVersion: 1\n\n'
	cat "$root/var/lib/dpkg/status"
	printf '\nPackage: cut-off\nStatus: install ok inst'
} >"$bad/var/lib/dpkg/status"
cp -r "$root/var/lib/dpkg/updates" "$bad/var/lib/dpkg/"
"$MAMORI" scan --root "$bad" --json --no-store >"$tmp/bad.json" 2>"$tmp/bad.err"
t "scan of a corrupt database exits 0" [ $? -eq 0 ]
deb_list "$tmp/bad.json" "$native" | LC_ALL=C sort >"$tmp/got-bad"
t "everything intact is still listed" same "$tmp/want-root" "$tmp/got-bad"
t "corrupt stanzas are warnings" has_warning "$tmp/bad.json" "corrupt package stanza skipped"
t "the truncated end is a warning" has_warning "$tmp/bad.json" "truncated"

# 4. rpm: the fixture rpmdb against rpm -qa (on a copy: rpm writes -shm).
if command -v rpm >/dev/null; then
	rroot="$tmp/rpmroot"
	mkdir -p "$rroot"
	cp -r "$MAMORI_SRC/tests/data/packages/rpm-root/var" "$rroot/"
	rpm --root "$rroot" --dbpath /var/lib/rpm -qa \
	    --qf '%{NAME}\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\t%{ARCH}\n' 2>/dev/null |
	    LC_ALL=C sort >"$tmp/want-rpm"
	"$MAMORI" scan --root "$rroot" --json --no-store >"$tmp/rpm.json" 2>/dev/null
	python3 - "$tmp/rpm.json" <<'PY' | LC_ALL=C sort >"$tmp/got-rpm"
import json, sys
for p in json.load(open(sys.argv[1]))["packages"]:
    if p["format"] == "rpm":
        print(f'{p["name"]}\t{p["version"]}\t{p["arch"]}')
PY
	t "rpmdb.sqlite packages == rpm -qa ($(wc -l <"$tmp/want-rpm") packages)" \
	    same "$tmp/want-rpm" "$tmp/got-rpm"
else
	skip "rpm is not installed"
fi

tap_end
