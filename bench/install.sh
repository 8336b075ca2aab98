#!/bin/sh
# install.sh [DIR] - the README's first command on a fresh Debian 12: makes a
# minimal bookworm tree with debootstrap in DIR (default bench/out/fresh, not
# timed), puts a clean clone of this repository in it and times, inside a
# chroot, ./tools/run.sh (apt-get of the run packages, the release build,
# mamori up) until the dashboard answers. Prints the phases: apt, build, start.
# Needs root, debootstrap and the Debian mirror (as apt-get does).
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
root=${1:-$src/bench/out/fresh}
[ "$(id -u)" -eq 0 ] || { echo "install.sh: needs root (debootstrap, chroot)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "install.sh: needs debootstrap (apt-get install debootstrap)" >&2; exit 2; }
# DIR may be a tree debootstrap made beforehand (its time is not measured
# anyway) as long as nothing was installed or cloned into it yet.
if [ -e "$root" ]; then
	if [ ! -x "$root/usr/bin/apt-get" ] || [ -e "$root/root/mamori" ] || [ -s "$root/var/log/apt/history.log" ]; then
		echo "install.sh: $root is not a fresh debootstrap tree; give a new DIR" >&2; exit 2
	fi
else
	mirror=$(sed -n 's|^URIs: *\(http[^ ]*/debian\)/*$|\1|p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
	debootstrap --variant=minbase bookworm "$root" "${mirror:-http://deb.debian.org/debian}" >"$root.debootstrap.log" 2>&1
fi
# Like a fresh machine: the security and updates suites, the host's resolver.
[ -f /etc/apt/sources.list.d/debian.sources ] && { rm -f "$root/etc/apt/sources.list"; cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/"; }
cp /etc/resolv.conf "$root/etc/"
git clone -q "$src" "$root/root/mamori"
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
mount -t sysfs sys "$root/sys"
trap 'umount -R "$root/dev" "$root/proc" "$root/sys" 2>/dev/null || true' EXIT
cat >"$root/root/time-install.sh" <<'IN'
#!/bin/sh
cd /root/mamori
t0=$(date +%s)
./tools/run.sh up --listen 127.0.0.1:18443 >/tmp/up.out 2>&1 &
pid=$!
until grep -q 'dashboard on' /tmp/up.out 2>/dev/null; do
	kill -0 $pid 2>/dev/null || { cat /tmp/up.out; echo "run.sh stopped before the dashboard answered" >&2; exit 1; }
	sleep 1
done
t1=$(date +%s)
kill $pid; wait $pid 2>/dev/null || true
apt_end=$(date -d "$(sed -n 's/^End-Date: *//p' /var/log/apt/history.log | tail -1)" +%s)
built=$(stat -c %Y build/mamori)
echo "apt-get (update + install of $(awk '$3 == "install"' /var/log/dpkg.log | wc -l) packages): $((apt_end - t0)) s"
echo "release build: $((built - apt_end)) s"
echo "mamori up until the dashboard answers: $((t1 - built)) s"
echo "total: $((t1 - t0)) s"
IN
chmod +x "$root/root/time-install.sh"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin /root/time-install.sh
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
