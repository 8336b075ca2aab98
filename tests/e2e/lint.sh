#!/bin/sh
# lint.sh - the rules of STYLE.md that a grep can enforce: banned calls,
# the layering of DESIGN.md, SQL only in storage/, no grab-bag files, no
# file past 1,500 lines, and "SECURITY ACTION" never called a certification.
set -u
: "${MAMORI_SRC:?}"
cd "$MAMORI_SRC" || exit 1
n=0 fail=0
t() {
	n=$((n + 1)); d=$1; shift
	out=$("$@" 2>&1)
	if [ -z "$out" ]; then echo "ok $n - $d"; else echo "not ok $n - $d"; echo "$out" | head -10 | sed 's/^/# /'; fail=$((fail + 1)); fi
}
src=$(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './build*')
prod=$(echo "$src" | grep -vE '^(tests|fuzz|bench)/')

banned() { # calls outside comments and string literals
	echo "$src" | python3 -c '
import re, sys
banned = re.compile(r"(?<![A-Za-z0-9_.>])(strcpy|strcat|strncpy|strncat|sprintf|vsprintf|gets|strtok|atoi|atol|system|popen|gmtime|localtime)\s*\(")
strip = re.compile(r"//[^\n]*|/\*.*?\*/|\x22(?:\\\\.|[^\x22\\\\\n])*\x22|\x27(?:\\\\.|[^\x27\\\\\n])*\x27", re.S)
for path in sys.stdin.read().split():
    text = open(path, encoding="utf-8", errors="replace").read()
    code = strip.sub(lambda m: "\n" * m.group(0).count("\n") if m.group(0).startswith("/") else "\x22\x22", text)
    for n, line in enumerate(code.split("\n"), 1):
        if banned.search(line):
            print(f"{path}:{n}: {line.strip()}")
'
}
t "no banned calls" banned
layer() { # dir, forbidden pattern
	echo "$prod" | grep "^$1/" | xargs -r grep -nE "#[[:space:]]*include[[:space:]]*\"($2)/" || true
}
t "common/ includes no higher layer" layer common 'detection|vuln|guide|storage|agent|sensor|manager|cmd'
t "vuln/ includes only common/" layer vuln 'detection|guide|storage|agent|sensor|manager|cmd'
t "detection/ includes only common/" layer detection 'vuln|guide|storage|agent|sensor|manager|cmd'
t "guide/ includes only common/" layer guide 'detection|vuln|storage|agent|sensor|manager|cmd'
t "sensor/ includes no other role" layer sensor 'agent|manager|cmd'
t "storage/ includes only common/" layer storage 'detection|vuln|guide|agent|sensor|manager|cmd'
t "agent/ includes no other role" layer agent 'sensor|manager|cmd'
t "SQL only in storage/" sh -c "echo '$prod' | grep -v '^storage/' | xargs grep -nEi 'sqlite3_|\"(SELECT [^\"]* FROM |INSERT INTO |DELETE FROM |UPDATE [a-z_]+ SET |CREATE (TABLE|INDEX) )' || true"
t "no grab-bag files" sh -c "echo '$src' | grep -E '(^|/)(util|utils|misc|helpers?)\\.[ch]$' || true"
t "no source file past 1,500 lines" sh -c "echo '$src' | xargs wc -l | awk '\$2 != \"total\" && \$1 > 1500'"
t "SECURITY ACTION is a declaration, never 認定" sh -c "git grep -n '認定' -- '*.c' '*.h' '*.md' ':!docs/*' ':!tests/unit/t_checks.c' | grep -v '認定ではありません\\|not a certification\\|never 認定\\|never call it' || true"
echo "1..$n"
[ $fail -eq 0 ]
