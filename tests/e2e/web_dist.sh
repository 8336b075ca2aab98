#!/bin/sh
# web_dist.sh DIST BUILT... - the committed dashboard bundle in DIST is byte
# for byte the one just built from web/src (fresh installs embed DIST without
# node or npm, so a stale DIST would ship an old dashboard).
dist=$1; shift
n=0 bad=0
for f in "$@"; do
	n=$((n + 1))
	name=$(basename "$f")
	if cmp -s "$f" "$dist/$name"; then
		echo "ok $n - web/dist/$name is the bundle built from web/src"
	else
		bad=$((bad + 1))
		echo "not ok $n - web/dist/$name differs from the bundle built from web/src"
		echo "# refresh it with: ninja -C BUILD web-dist && git add web/dist"
	fi
done
echo "1..$n"
[ $bad -eq 0 ]
