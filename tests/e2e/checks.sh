#!/bin/sh
# checks.sh - every check fires on its weak fixture and stays quiet on its
# clean one.
#
# tests/fixtures/checks/<check.id>/weak/ and .../clean/ are small root
# trees holding only what that check reads. Each is copied to a temporary
# directory (git keeps neither empty directories nor most mode bits), an
# optional executable <check.id>/prepare is run with the copy's path and
# "weak" or "clean" (to chmod, touch -d, make links), and then
#   mamori scan --root COPY --json --no-store --now $NOW
# must list a finding with that id for weak and none for clean.
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}"
NOW=1795564800   # 2026-11-25T00:00:00Z: fixtures' dates are relative to it
fixtures="$MAMORI_SRC/tests/fixtures/checks"
. "$(dirname "$0")/tap.inc"
n=0
fail=0

has_finding() { # json-file check-id -> exit 0 when present
	python3 - "$1" "$2" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
ids = [f["id"] for f in doc["findings"]]
sys.exit(0 if sys.argv[2] in ids else 1)
PY
}

for dir in "$fixtures"/*/; do
	id=$(basename "$dir")
	for kind in weak clean; do
		[ -d "$dir$kind" ] || continue
		n=$((n + 1))
		tree="$tmp/$id-$kind"
		cp -a "$dir$kind" "$tree"
		if [ -x "$dir/prepare" ]; then
			"$dir/prepare" "$tree" "$kind" || { echo "not ok $n - $id $kind: prepare failed"; fail=$((fail + 1)); continue; }
		fi
		out="$tmp/$id-$kind.json"
		"$MAMORI" --db "$tmp/none.db" scan --root "$tree" --json --no-store --now "$NOW" >"$out" 2>"$tmp/err"
		rc=$?
		if [ $rc -ne 0 ]; then
			echo "not ok $n - $id $kind: mamori exited $rc"
			sed 's/^/# /' "$tmp/err"
			fail=$((fail + 1))
			continue
		fi
		if has_finding "$out" "$id"; then present=yes; else present=no; fi
		if { [ $kind = weak ] && [ $present = yes ]; } || { [ $kind = clean ] && [ $present = no ]; }; then
			echo "ok $n - $id: $( [ $kind = weak ] && echo fires on weak || echo quiet on clean)"
		else
			echo "not ok $n - $id $kind: finding present=$present"
			python3 -c 'import json,sys; [print("#", f["id"], f["severity"], f["detail"][:150]) for f in json.load(open(sys.argv[1]))["findings"]]' "$out"
			fail=$((fail + 1))
		fi
	done
done
if [ $n -eq 0 ]; then
	echo "not ok 1 - no check fixtures found"
	n=1
fi
tap_end
