/*
 * t_version_deb.c - Debian version ordering, checked against dpkg itself.
 *
 * The named cases hold the pairs that break naive comparators; when dpkg
 * is installed each expectation is confirmed with dpkg --compare-versions
 * as well. The oracle test then takes the real versions of this machine's
 * apt lists and compares our sign with dpkg's on a few thousand pairs:
 * neighbours after sorting, random pairs, and versions of the same package
 * from different suites.
 */
#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#include "agent/apt_lists.h"
#include "common/decompress.h"
#include "common/err.h"
#include "tests/tap.h"
#include "vuln/version_deb.h"

struct tcase {
	const char *a;
	int rel;		/* -1, 0, 1 */
	const char *b;
	const char *why;
	bool dpkg_ok;		/* dpkg accepts both (no syntax error) */
};

static const struct tcase cases[] = {
	{ "1.0~rc1", -1, "1.0", "tilde before the end", true },
	{ "1.0~~", -1, "1.0~", "double tilde before single", true },
	{ "1.0~~a", -1, "1.0~", "tilde-tilde-letter before tilde", true },
	{ "1.0~", -1, "1.0", "lone tilde before the end", true },
	{ "1.0", -1, "1.0a", "the end before letters", true },
	{ "1.0a", -1, "1.0+", "letters before non-letters", true },
	{ "1.0+", -1, "1.0.", "non-letters in ASCII order", true },
	{ "1.0a", -1, "1.0.0", "letter before '.'", true },
	{ "1.2A", -1, "1.2a", "upper before lower case", true },
	{ "1.0", 0, "1.0-0", "missing revision equals 0", true },
	{ "0:1.0", 0, "1.0", "missing epoch equals 0", true },
	{ "00010:1", 0, "10:1", "epoch leading zeros", true },
	{ "1:0.1", 1, "9.9", "epoch wins", true },
	{ "10:1", 1, "9:2", "epoch is numeric", true },
	{ "2:1.0", 1, "1:99", "higher epoch, lower upstream", true },
	{ "1.01", 0, "1.001", "leading zeros in digit runs", true },
	{ "9", -1, "10", "digit runs are numeric", true },
	{ "1.000000000000000000000000000000000000001", 0, "1.1",
	  "long zero run", true },
	{ "1.99999999999999999999999999999999", -1,
	  "1.100000000000000000000000000000000", "huge digit runs, no overflow",
	  true },
	{ "1.18446744073709551616", 1, "1.18446744073709551615",
	  "past 2^64", true },
	{ "3.0.11-1~deb12u2", -1, "3.0.11-1", "security upload below sid", true },
	{ "6.12.90-2~bpo12+1", -1, "6.12.90-2", "backport", true },
	{ "5.2.15-2+b8", 1, "5.2.15-2", "binNMU", true },
	{ "1.0-1+deb12u1", -1, "1.0-1.1", "'+' before '.'", true },
	{ "2.7.15-4ubuntu4~18.04", 1, "2.7.15~rc1-1ubuntu0.1",
	  "upstream decides before revision", true },
	{ "2.36-9+deb12u14", 1, "2.36-9+deb12u3", "numeric, not lexical", true },
	{ "1.2.3+dfsg", -1, "1.2.3.1", "+dfsg below .1", true },
	{ "1:1.2-3-4", -1, "1:1.2-3-5", "revision after the last hyphen", true },
	{ "1:1.2-3-4", 1, "1:1.2-2-9", "hyphen inside upstream", true },
	{ "1.2.3-1build1", 1, "1.2.3-1", "Ubuntu rebuild", true },
	{ "1.0.0", 1, "1.0", "more components", true },
	{ "7.88.1-10+deb12u8", 1, "7.88.1-10+deb12u5", "curl security", true },
	{ "1:9.18.33-1~deb12u2", 1, "1:9.18.28-1~deb12u2", "bind9", true },
	{ "1.0 ", 0, "1.0", "trailing whitespace ignored", true },
	{ "a", 1, "1", "letters above digits (invalid, dpkg warns)", true },
	{ "1.0", 0, "1.0", "identical", true },
	/* dpkg refuses these; we still give an order. */
	{ "99999999999999999999:1", 1, "1:1", "epoch past INT_MAX", false },
	{ "x:1.0", 1, "1.0", "non-numeric epoch compared as text", false },
};

/* posix_spawn (vfork-like in glibc): fork() of an ASan process copies
 * its huge shadow mappings and made this test take a minute. */
static int
dpkg_true(const char *a, const char *op, const char *b)
{
	char *argv[] = { (char *)(uintptr_t)"dpkg",
	    (char *)(uintptr_t)"--compare-versions", (char *)(uintptr_t)a,
	    (char *)(uintptr_t)op, (char *)(uintptr_t)b, NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st, rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	rc = posix_spawnp(&pid, "dpkg", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return -1;
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return -1;
	if (WEXITSTATUS(st) > 1)
		return -1;
	return WEXITSTATUS(st) == 0;
}

/* dpkg's sign for a pair, or 2 on error. */
static int
dpkg_sign(const char *a, const char *b)
{
	int lt = dpkg_true(a, "lt", b);
	if (lt < 0)
		return 2;
	if (lt)
		return -1;
	int gt = dpkg_true(a, "gt", b);
	if (gt < 0)
		return 2;
	return gt ? 1 : 0;
}

static int
sgn(int x)
{
	return (x > 0) - (x < 0);
}

static bool have_dpkg;

static void
test_named(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tcase *c = &cases[i];
		int got = sgn(version_deb_cmp(c->a, c->b));
		int rev = sgn(version_deb_cmp(c->b, c->a));
		ok(got == c->rel && rev == -c->rel, "%s: %s %s %s", c->why, c->a,
		    c->rel < 0 ? "<" : c->rel > 0 ? ">" : "=", c->b);
		if (have_dpkg && c->dpkg_ok)
			is_int(dpkg_sign(c->a, c->b), c->rel, "dpkg agrees: %s",
			    c->why);
	}
	ok(version_deb_cmp(NULL, "0") == 0, "NULL is the empty version");
	ok(version_deb_cmp_n("1.0~x", 3, "1.0", 3) == 0,
	    "bounded compare stops at the length");
}

/* ---- the oracle over this machine's apt lists ---- */

struct pv {
	char *pkg;
	char *ver;
};

struct collect {
	struct pv *v;
	size_t n, cap;
};

static int
take(void *arg, const struct apt_stanza *st)
{
	struct collect *c = arg;

	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 4096;
		struct pv *nv = realloc(c->v, ncap * sizeof(*nv));
		if (!nv)
			return MAMORI_E_NOMEM;
		c->v = nv;
		c->cap = ncap;
	}
	c->v[c->n].pkg = strndup(st->package.p, st->package.len);
	c->v[c->n].ver = strndup(st->version.p, st->version.len);
	c->n++;
	return 0;
}

static int
by_version(const void *a, const void *b)
{
	const struct pv *x = a, *y = b;
	int r = version_deb_cmp(x->ver, y->ver);
	return r ? r : strcmp(x->ver, y->ver);
}

static int
by_pkg(const void *a, const void *b)
{
	const struct pv *x = a, *y = b;
	return strcmp(x->pkg, y->pkg);
}

static size_t pairs_checked, pairs_bad;

/* One dpkg run per pair: ask whether our relation holds. */
static void
check_pair(const char *a, const char *b)
{
	int ours = sgn(version_deb_cmp(a, b));
	int holds = dpkg_true(a, ours < 0 ? "lt" : ours > 0 ? "gt" : "eq", b);
	if (holds < 0)
		return;		/* dpkg refused the syntax */
	pairs_checked++;
	if (!holds) {
		pairs_bad++;
		printf("# mismatch: %s vs %s: dpkg %d, ours %d\n", a, b,
		    dpkg_sign(a, b), ours);
	}
}

static void
test_oracle(void)
{
	const char *dir = "/var/lib/apt/lists";
	struct collect c = { 0 };
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!have_dpkg || !d) {
		ok(true, "# SKIP no dpkg or no apt lists on this machine");
		if (d)
			closedir(d);
		return;
	}
	while ((e = readdir(d))) {
		if (!strstr(e->d_name, "_Packages"))
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		FILE *f = fopen(path, "rb");
		if (!f)
			continue;
		size_t cap = 1 << 20, len = 0, k;
		char *raw = malloc(cap);
		while (raw && (k = fread(raw + len, 1, cap - len, f)) > 0) {
			len += k;
			if (len == cap) {
				char *nr = realloc(raw, cap *= 2);
				if (!nr) {
					free(raw);
					raw = NULL;
				}
				raw = nr;
			}
		}
		fclose(f);
		char *out;
		size_t outlen;
		if (raw && decompress_buffer(raw, len, 1u << 30, &out,
		    &outlen) == 0) {
			apt_lists_parse_packages((struct span){ out, outlen },
			    take, &c);
			free(out);
		}
		free(raw);
	}
	closedir(d);
	if (c.n < 100) {
		ok(true, "# SKIP only %zu versions in the apt lists", c.n);
		goto out;
	}
	/* Same package, different versions (suites): grouped by name. */
	qsort(c.v, c.n, sizeof(*c.v), by_pkg);
	size_t same = 0;
	for (size_t i = 1; i < c.n && same < 1000; i++) {
		if (strcmp(c.v[i].pkg, c.v[i - 1].pkg) == 0 &&
		    strcmp(c.v[i].ver, c.v[i - 1].ver) != 0) {
			check_pair(c.v[i].ver, c.v[i - 1].ver);
			same++;
		}
	}
	/* Random pairs, fixed seed so a failure repeats. */
	srandom(12345);
	for (int i = 0; i < 1000; i++) {
		size_t x = (size_t)random() % c.n, y = (size_t)random() % c.n;
		check_pair(c.v[x].ver, c.v[y].ver);
	}
	/* Neighbours after sorting with our order: a wrong order shows up
	 * as a pair dpkg puts the other way round. */
	qsort(c.v, c.n, sizeof(*c.v), by_version);
	size_t step = c.n / 1200 ? c.n / 1200 : 1;
	for (size_t i = 1; i < c.n; i += step)
		check_pair(c.v[i - 1].ver, c.v[i].ver);
	printf("# %zu versions read, %zu same-package pairs, %zu pairs checked "
	    "against dpkg, %zu mismatches\n", c.n, same, pairs_checked,
	    pairs_bad);
	ok(pairs_checked >= 3000 && pairs_bad == 0,
	    "dpkg agrees on %zu real version pairs", pairs_checked);
out:
	for (size_t i = 0; i < c.n; i++) {
		free(c.v[i].pkg);
		free(c.v[i].ver);
	}
	free(c.v);
}

int
main(void)
{
	have_dpkg = dpkg_true("1", "lt", "2") == 1;
	test_named();
	test_oracle();
	return done_testing();
}
