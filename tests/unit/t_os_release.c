/* t_os_release.c - os-release(5) parsing with shell quoting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/os_release.h"
#include "common/err.h"
#include "tests/tap.h"

static struct span
load(struct arena *a, const char *name)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/os-release/%s", getenv("MAMORI_TEST_DATA"), name);
	FILE *f = fopen(path, "rb");
	struct span s = { "", 0 };
	if (!f) {
		ok(false, "open %s", path);
		return s;
	}
	char *buf = arena_alloc(a, 65536);
	s.p = buf;
	s.len = fread(buf, 1, 65535, f);
	fclose(f);
	return s;
}

static void
parse(struct arena *a, const char *text, struct inv_os *os, size_t *bad)
{
	memset(os, 0, sizeof(*os));
	os_release_parse(a, span_from_cstr(text), os, bad);
}

int
main(void)
{
	struct arena a;
	struct inv_os os;
	size_t bad;
	arena_init(&a, 16 << 20);

	memset(&os, 0, sizeof(os));
	is_int(os_release_parse(&a, load(&a, "debian12"), &os, &bad), 0, "debian 12");
	is_str(os.id, "debian", "ID");
	is_str(os.version_id, "12", "quoted VERSION_ID");
	is_str(os.codename, "bookworm", "unquoted codename");
	is_str(os.pretty_name, "Debian GNU/Linux 12 (bookworm)", "PRETTY_NAME");
	is_int(bad, 0, "no bad lines");

	memset(&os, 0, sizeof(os));
	os_release_parse(&a, load(&a, "ubuntu2204"), &os, &bad);
	is_str(os.id_like, "debian", "ID_LIKE");
	is_str(os.codename, "jammy", "ubuntu codename");

	memset(&os, 0, sizeof(os));
	os_release_parse(&a, load(&a, "debian8"), &os, &bad);
	is_str(os.codename, "jessie", "codename from VERSION on Debian 8");

	memset(&os, 0, sizeof(os));
	os_release_parse(&a, load(&a, "tricky"), &os, &bad);
	is_str(os.id, "rocky", "single quotes; the last assignment wins");
	is_str(os.id_like, "rhel centos fedora", "spaces inside double quotes");
	is_str(os.name, "Rocky Linux", "backslash-space unquoted, trailing blanks cut");
	is_str(os.pretty_name, "Rocky \"Blue Onyx\" $HOME \\q  single $x",
	    "escapes in double quotes, literal single quotes, concatenation");
	is_str(os.version_id, "9.3", "backslash-newline continues a quoted value");
	ok(os.codename == NULL, "empty value is unset");
	is_int(bad, 2, "a non-assignment and an unterminated quote counted");

	parse(&a, "ID=\"a\\\\b\"\nNAME=x#y\n", &os, &bad);
	is_str(os.id, "a\\b", "escaped backslash");
	is_str(os.name, "x#y", "# inside a value is not a comment");
	parse(&a, "ID=debian", &os, &bad);
	is_str(os.id, "debian", "last line without newline");
	memset(&os, 0, sizeof(os));
	os_release_parse(&a, (struct span){ "ID=deb\0ian\n", 11 }, &os, &bad);
	is_str(os.id, "deb", "NUL ends a C string value");
	parse(&a, "=x\n1ID=y\nID =z\n", &os, &bad);
	is_str(os.id, "z", "blank before = is tolerated");
	is_int(bad, 2, "empty key and a digit-first key refused");

	char big[3000];
	memset(big, 'x', sizeof(big));
	memcpy(big, "ID=", 3);
	big[sizeof(big) - 1] = '\0';
	parse(&a, big, &os, &bad);
	is_int(os.id ? (long long)strlen(os.id) : -1, OS_RELEASE_MAX_VALUE, "long value capped");
	parse(&a, "", &os, &bad);
	ok(os.id == NULL && bad == 0, "empty file");

	arena_release(&a);
	return done_testing();
}
