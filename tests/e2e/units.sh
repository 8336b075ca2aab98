#!/bin/sh
# units.sh - the systemd units in dist/systemd: systemd-analyze verify finds
# no unknown or bad settings, the command each unit starts exists in this
# mamori, and `systemd-analyze security --offline=yes` rates each unit at or
# below 2.0 ("OK"), or the limit a unit states (the agent reads the whole
# system and answers ransomware): no capabilities for the manager,
# CAP_NET_RAW only for the sensor, for the agent only capabilities its
# comments explain and the fanotify calls its file watch needs, a
# system-call allow-list; each timer is clean and starts one of these units.
set -u
: "${MAMORI:?}" "${MAMORI_SRC:?}"
. "$(dirname "$0")/tap.inc"
if ! command -v systemd-analyze >/dev/null; then echo "1..0 # SKIP systemd-analyze missing"; exit 0; fi
for unit in "$MAMORI_SRC"/dist/systemd/*.service; do
	name=$(basename "$unit")
	# A unit that must read the whole system states its own, higher limit.
	limit=$(sed -n 's/^# exposure-limit: \([0-9.]*\)$/\1/p' "$unit")
	limit=${limit:-2.0}
	sed "s#/usr/local/bin/mamori#$MAMORI#g" "$unit" >"$tmp/$name"
	systemd-analyze verify --man=no "$tmp/$name" >"$tmp/verify.out" 2>&1
	t "$name: systemd-analyze verify is clean" sh -c "[ ! -s '$tmp/verify.out' ] || { sed 's/^/# /' '$tmp/verify.out'; false; }"
	# The subcommand after the global options must be one mamori knows.
	sub=$(sed -n 's#^ExecStart=[^ ]*mamori\( --[a-z]* [^ ]*\)* \([a-z]*\).*#\2#p' "$unit")
	t "$name: 'mamori $sub' exists" sh -c "[ -n '$sub' ] && '$MAMORI' '$sub' --help >/dev/null 2>&1"
	score=$(systemd-analyze security --offline=yes "$tmp/$name" 2>/dev/null |
	    sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	t "$name: exposure $score <= $limit" python3 -c "import sys; sys.exit(0 if sys.argv[1] and float(sys.argv[1]) <= $limit else 1)" "${score:-}"
	# Every capability a unit holds is named in its comments, with why.
	for cap in $(sed -n 's/^CapabilityBoundingSet=//p' "$unit"); do
		t "$name: $cap is explained in the unit's comments" grep -q "^#.*$cap" "$unit"
	done
done
agent="$MAMORI_SRC/dist/systemd/mamori-agent.service"
# The file watch: fanotify (else inotify, which cannot name the writer for
# "kill") and the canaries' folders writable; the responses' capabilities.
t "agent unit: the fanotify calls are allowed back out of @privileged" \
    grep -q '^SystemCallFilter=fanotify_init fanotify_mark open_by_handle_at$' "$agent"
t "agent unit: /home, /srv and /root writable for the canaries" grep -q '^ReadWritePaths=-/home -/srv -/root$' "$agent"
for cap in CAP_SYS_ADMIN CAP_KILL CAP_NET_ADMIN; do
	t "agent unit: ambient $cap" grep -q "^AmbientCapabilities=.*$cap" "$agent"
done
# Timers: clean, and the service each starts is one of ours (checked above).
for timer in "$MAMORI_SRC"/dist/systemd/*.timer; do
	[ -e "$timer" ] || continue
	name=$(basename "$timer")
	cp "$timer" "$tmp/$name"
	systemd-analyze verify --man=no "$tmp/$name" >"$tmp/verify.out" 2>&1
	t "$name: systemd-analyze verify is clean" sh -c "[ ! -s '$tmp/verify.out' ] || { sed 's/^/# /' '$tmp/verify.out'; false; }"
	t "$name: starts ${name%.timer}.service of dist/systemd" [ -f "$MAMORI_SRC/dist/systemd/${name%.timer}.service" ]
	next=$(systemd-analyze calendar "$(sed -n 's/^OnCalendar=//p' "$timer")" 2>/dev/null | sed -n 's/^ *Next elapse: //p')
	t "$name: its calendar is valid ($next)" [ -n "$next" ]
done
tap_end
