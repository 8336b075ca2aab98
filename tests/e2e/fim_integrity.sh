#!/bin/sh
# fim_integrity.sh - `mamori fim init/check` report exactly what changed:
# added, removed, modified (with which attributes), unverified.
set -u
: "${MAMORI:?}"
. "$(dirname "$0")/tap.inc"
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
n=0
fail=0
t() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=$((fail + 1)); fi; }
M() { "$MAMORI" --db "$tmp/fim.db" fim "$@"; }

d="$tmp/www"
mkdir -p "$d/html/img" "$d/cgi" "$d/.ssh"
printf '<h1>shop</h1>\n' >"$d/html/index.html"
printf 'body{}\n' >"$d/html/site.css"
head -c 5000 /dev/urandom >"$d/html/img/logo.png"
printf 'ssh-ed25519 AAAA admin@pc\n' >"$d/.ssh/authorized_keys"
printf '#!/bin/sh\necho ok\n' >"$d/cgi/run.sh"; chmod 755 "$d/cgi/run.sh"
ln -s html/index.html "$d/home"
ln -s loop-b "$d/loop-a"; ln -s loop-a "$d/loop-b"

M init "$d" >"$tmp/init.out"; t $? "init succeeds"
grep -q "baseline $d: 13 entries" "$tmp/init.out"; t $? "init counts 13 entries ($(cat "$tmp/init.out"))"
M check "$d" >"$tmp/c0.out"; rc=$?
t $rc "check of an untouched tree exits 0"
grep -q "# 0 added, 0 removed, 0 modified, 0 unverified, 13 entries" "$tmp/c0.out"; t $? "nothing reported"

# The intruder: web shell added, page defaced (same size), key added,
# script made setuid, CSS removed, link redirected, a name with a newline.
sleep 0.01
printf '<?php system($_GET[c]);\n' >"$d/html/img/x.php"
printf '<h1>HACK</h1>\n' >"$d/html/index.html"
printf 'ssh-ed25519 AAAA admin@pc\nssh-rsa BBBB evil\n' >"$d/.ssh/authorized_keys"
chmod 4755 "$d/cgi/run.sh"
rm "$d/html/site.css"
# A new link made before the old one goes: it cannot reuse the old inode number.
ln -s /etc/passwd "$d/home.new" && mv -T "$d/home.new" "$d/home"
printf 'x' >"$d/html/$(printf 'bad\nname')"
M check "$d" >"$tmp/c1.out"; rc=$?
t "$([ $rc -eq 1 ] && echo 0 || echo 1)" "check exits 1 on changes"
cat >"$tmp/want" <<EOT
added      $d/html/bad\x0aname
added      $d/html/img/x.php
modified   $d/.ssh/authorized_keys  [size,mtime,hash]
modified   $d/cgi/run.sh  [mode]
modified   $d/home  [inode,link]
modified   $d/html/index.html  [mtime,hash]
removed    $d/html/site.css
EOT
grep -v '^#' "$tmp/c1.out" | sed 's/\(\]\).*/\1/' | sort >"$tmp/got"
sort "$tmp/want" >"$tmp/want.s"
diff "$tmp/want.s" "$tmp/got" >"$tmp/diff"; rc=$?
t $rc "exact report of added/removed/modified with attributes"
[ $rc -eq 0 ] || sed 's/^/# /' "$tmp/diff"
grep -q "mode 0755 -> 4755" "$tmp/c1.out"; t $? "setuid bit change shown as mode 0755 -> 4755"
grep -q "link html/index.html -> /etc/passwd" "$tmp/c1.out"; t $? "link retarget shown"

M check --json "$d" >"$tmp/c1.json"
python3 - "$tmp/c1.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))[0]
s = doc["summary"]
assert (s["added"], s["removed"], s["modified"], s["unverified"]) == (2, 1, 4, 0), s
m = {c["path"].rsplit("/", 1)[1]: c for c in doc["changes"]}
assert m["index.html"]["fields"] == ["mtime", "hash"], m["index.html"]
assert m["index.html"]["old"]["sha256"] != m["index.html"]["new"]["sha256"]
assert m["run.sh"]["new"]["mode"] == "4755"
PY
t $? "--json: summary counts, fields and old/new attributes"

# Unreadable files (as non-root) and a missing baseline.
M check "$tmp/nowhere" >/dev/null 2>"$tmp/e"; rc=$?
t "$([ $rc -eq 66 ] && echo 0 || echo 1)" "check without a baseline exits 66"
grep -q "fim init" "$tmp/e"; t $? "and says to run fim init"

# Re-init accepts the new state.
M init "$d" >/dev/null && M check "$d" >"$tmp/c2.out"
t $? "after re-init the tree is clean again"

# The reader threads are a setting (fim.threads): one thread finds the same tree.
printf 'fim:\n  threads: 1\n' >"$tmp/one.yaml"
"$MAMORI" --config "$tmp/one.yaml" config | grep -q '^fim.threads: 1$'
t $? "mamori config shows fim.threads from the file"
"$MAMORI" --config "$tmp/one.yaml" --db "$tmp/fim.db" fim check "$d" >"$tmp/c3.out"
t $? "check with fim.threads: 1 finds the tree unchanged"
"$MAMORI" config | grep -B1 '^ransom.backup_files: 5  # default' | grep -q 'backup'
t $? "mamori config documents ransom.backup_files"

tap_end
