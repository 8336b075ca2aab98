#!/bin/sh
# cli_options.sh - every command and subcommand refuses an option it does
# not know with exit 2 (usage) and a one-line message naming that option as
# written: the letter of a cluster ("-Z" of "-Zh"), a long option without
# its value (which may be a password). Also missing and unexpected values.
set -u
: "${MAMORI:?}"
. "$(dirname "$0")/tap.inc"
db="$tmp/m.db"

# check DESCRIPTION EXPECTED-TEXT ARGS...: exit 2, one line on stderr
# holding the text, nothing on stdout, and the secret value never echoed.
check() {
	d=$1 want=$2; shift 2
	"$MAMORI" --db "$db" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null; rc=$?
	if [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -qF -- "$want" "$tmp/err" &&
	    ! grep -q s3cret "$tmp/err" && [ ! -s "$tmp/out" ]; then
		t "$d" true
	else
		t "$d (exit $rc: $(cat "$tmp/err"))" false
	fi
}

for cmd in "" scan "vuln scan" "vuln update" "vuln compare" logs "logs follow" "logs listen" \
    "fim init" "fim check" "fim watch" sensor assess report serve up "user add" \
    "alerts import" "alerts list" "alerts set" "token create" "token list" agent "agent list" \
    "agent revoke" "incident open" "incident list" "incident show" "incident step" \
    "incident close" "incident contacts" "notify run" "notify channel add" \
    "notify channel list" "notify channel remove" "risk list" "risk add" "risk set" \
    "risk delete" "risk import" "risk export" "advisories import" "advisories list" \
    "advisories threats" config version; do
	# shellcheck disable=SC2086 # the command's words
	check "mamori $cmd --no-such=s3cret: names --no-such" "unknown option '--no-such'" \
	    $cmd --no-such=s3cret
	# shellcheck disable=SC2086
	check "mamori $cmd -Zh: names -Z" "unknown option '-Z" $cmd -Zh
done

check "an option of a cluster after a valid one" "unknown option '-Z'" agent --once -Zh
check "a value given to a long option that takes none" "--once takes no value" agent --once=s3cret
check "a long option's missing value" "--events needs a value" agent --events
check "an abbreviated long option's missing value" "--even needs a value" agent --even
check "a short option's missing value" "-r needs a value" sensor -r
check "a missing value under a subcommand (token)" "--kind needs a value" token create --kind
check "a global option's missing value" "--db needs a value" --db
tap_end
