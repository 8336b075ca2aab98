#!/bin/sh
# deps.sh [run|test|bench] - installs the Debian 12 packages mamori needs:
# "run" to build and run, "test" adds the test tools, "bench" the anchors.
set -eu
what=${1:-run}
pkgs="meson ninja-build gcc pkg-config python3 libjansson-dev libyaml-dev libsqlite3-dev
      libcrypt-dev liblz4-dev zlib1g-dev liblzma-dev libzstd-dev
      libyajl-dev libxml2-dev libssl-dev libpcre2-dev libpcap-dev
      libcairo2-dev libpango1.0-dev fonts-noto-cjk libmicrohttpd-dev libsodium-dev libsystemd-dev libcurl4-openssl-dev libmaxminddb-dev"
case $what in
run) ;;
test) pkgs="$pkgs chromium curl openssl tcpdump clang libclang-rt-14-dev iproute2 debootstrap lz4 zstd sqlite3 poppler-utils
      rpm python3-rpm tshark python3-evtx nftables rsync util-linux bsdextrautils systemd-journal-remote python3-aiosmtpd" ;;
bench) pkgs="$pkgs lynis hyperfine time iproute2 suricata tcpdump tshark debsecan aide fail2ban" ;;
*) echo "usage: deps.sh [run|test|bench]" >&2; exit 2 ;;
esac
# Running uses the committed dashboard bundle (web/dist); the tests rebuild
# it from web/src with npm packages and drive it with playwright. node and
# npm are checked as commands, so a node from elsewhere (which conflicts
# with Debian's npm package) is used as it is.
if [ "$what" = test ]; then
	command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || pkgs="$pkgs nodejs npm"
fi
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
echo "installing:$missing" >&2
# Suricata is not in bookworm itself, only in bookworm-backports
case " $missing " in
*" suricata "*)
	if ! apt-cache policy suricata 2>/dev/null | grep -q 'Candidate: [0-9]'; then
		printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' |
			$sudo tee /etc/apt/sources.list.d/mamori-bookworm-backports.sources >/dev/null
	fi ;;
esac
$sudo apt-get update -q >/dev/null
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing >/dev/null
