#!/bin/sh
# debootstrap.sh - scans a real Debian 12 tree made with debootstrap (cached
# in the build directory) through --root, offline: the package list must be
# exactly what dpkg-query reads from that tree, and the scan must describe
# the tree, not the machine running it.
set -u
: "${MAMORI:?}" "${MAMORI_BUILD:?}"
tree="$MAMORI_BUILD/debootstrap-bookworm"
. "$(dirname "$0")/tap.inc"

if [ "$(id -u)" -ne 0 ] || ! command -v debootstrap >/dev/null; then
	echo "ok 1 # SKIP needs root and debootstrap"
	echo "1..1"
	exit 0
fi
if [ ! -f "$tree/.complete" ]; then
	mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
	[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list 2>/dev/null)
	[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
	rm -rf "$tree"
	if ! debootstrap --variant=minbase bookworm "$tree" "$mirror" >"$tmp/debootstrap.log" 2>&1; then
		echo "not ok 1 - debootstrap bookworm from $mirror failed"
		tail -5 "$tmp/debootstrap.log" | sed 's/^/# /'
		echo "1..1"
		exit 1
	fi
	touch "$tree/.complete"
fi

"$MAMORI" scan --root "$tree" --json --no-store >"$tmp/scan.json" 2>"$tmp/err"
t "scan of the debootstrap tree exits 0" [ $? -eq 0 ]
dpkg-query --admindir="$tree/var/lib/dpkg" -W -f='${binary:Package}\t${Version}\n' | sort >"$tmp/want"
python3 - "$tmp/scan.json" "$(dpkg --print-architecture)" >"$tmp/got" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
native = sys.argv[2]
for p in doc["packages"]:
    # dpkg-query's ${binary:Package}: name:arch for Multi-Arch: same and
    # foreign-architecture packages, the plain name otherwise.
    arch = p["arch"]
    qualify = arch and (p.get("multiarch_same") or arch not in (native, "all"))
    name = p["name"] + (":" + arch if qualify else "")
    print(f'{name}\t{p["version"]}')
PY
sort -o "$tmp/got" "$tmp/got"
t "packages are exactly dpkg-query --admindir's ($(wc -l <"$tmp/want") packages)" cmp -s "$tmp/want" "$tmp/got"
cmp -s "$tmp/want" "$tmp/got" || diff "$tmp/want" "$tmp/got" | head -5 | sed 's/^/# /'
t "OS is read from the tree (Debian 12)" json "$tmp/scan.json" \
	'doc["host"]["os"]["id"]=="debian" and doc["host"]["os"]["version_id"]=="12"'
t "root account is in the inventory" json "$tmp/scan.json" 'any(u["name"]=="root" and u["uid"]==0 for u in doc["users"])'
t "an offline tree has no running kernel or processes of this machine" json "$tmp/scan.json" \
	'doc["host"]["kernel"]["release"] is None and doc["processes"]==[]'
t "minbase has no anti-malware: finding antimalware.missing" json "$tmp/scan.json" \
	'any(f["id"]=="antimalware.missing" for f in doc["findings"])'
t "minbase has no automatic updates: finding updates.auto_disabled" json "$tmp/scan.json" \
	'any(f["id"]=="updates.auto_disabled" for f in doc["findings"])'
tap_end
