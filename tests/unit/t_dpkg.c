/* t_dpkg.c - dpkg status parser and the dpkg inventory collector. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/dpkg_status.h"
#include "agent/inventory.h"
#include "common/conf.h"
#include "common/err.h"
#include "tests/tap.h"

struct env {
	struct conf conf;
	struct arena arena;
	struct rootfs root;
	struct scan_ctx ctx;
};

static void
env_init(struct env *e, const char *root)
{
	memset(e, 0, sizeof(*e));
	conf_init(&e->conf);
	arena_init(&e->arena, 64 * 1024 * 1024);
	e->ctx.conf = &e->conf;
	e->ctx.arena = &e->arena;
	vec_init(&e->ctx.warnings, sizeof(struct scan_warning), 10000);
	if (root && rootfs_open(&e->root, root) == MAMORI_OK)
		e->ctx.root = &e->root;
}

static void
env_free(struct env *e)
{
	if (e->ctx.root)
		rootfs_close(&e->root);
	arena_release(&e->arena);
	conf_release(&e->conf);
}

static bool
warned(const struct env *e, const char *needle)
{
	for (size_t i = 0; i < e->ctx.warnings.n; i++) {
		const struct scan_warning *w = vec_at(&e->ctx.warnings, i);
		if (w->message && strstr(w->message, needle))
			return true;
	}
	return false;
}

struct got {
	struct env *e;
	char names[32][64];
	char versions[32][64];
	char states[32][24];
	bool same[32];
	size_t n;
};

static int
keep(void *arg, const struct dpkg_stanza *st)
{
	struct got *g = arg;
	if (g->n >= 32)
		return 0;
	snprintf(g->names[g->n], 64, "%.*s", (int)st->package.len, st->package.p);
	snprintf(g->versions[g->n], 64, "%.*s", (int)st->version.len, st->version.p);
	snprintf(g->states[g->n], 24, "%s", dpkg_status_state_name(st->state));
	g->same[g->n] = st->multiarch_same;
	g->n++;
	return 0;
}

static size_t
parse(struct env *e, const char *text, struct got *g, struct dpkg_parse_stats *st)
{
	memset(g, 0, sizeof(*g));
	g->e = e;
	dpkg_status_parse(&e->ctx, (struct span){ text, strlen(text) }, "status",
	    keep, g, st);
	return g->n;
}

static void
test_stanzas(void)
{
	struct env e;
	struct got g;
	struct dpkg_parse_stats st;
	env_init(&e, NULL);

	const char *good =
	    "Package: zlib1g\n"
	    "status:  install ok installed \n"	/* field names ignore case */
	    "Architecture: amd64\n"
	    "Multi-Arch: SAME\n"
	    "Version: 1:1.2.13.dfsg-1\n"
	    "Description: compression library - runtime\n"
	    " zlib is a library implementing the deflate compression method\n"
	    " .\n"
	    " Version: 9.9 in a continuation line is not a field\n"
	    "\n\n\n"
	    "Package: a\r\nStatus: deinstall ok config-files\r\nVersion: 1\r\n"
	    "Config-Version: 1\r\n";
	is_int(parse(&e, good, &g, &st), 2, "two stanzas, CRLF and extra blank lines");
	is_str(g.names[0], "zlib1g", "name");
	is_str(g.versions[0], "1:1.2.13.dfsg-1", "version trimmed");
	is_str(g.states[0], "installed", "state");
	ok(g.same[0], "Multi-Arch value ignores case");
	is_str(g.states[1], "config-files", "config-files state");
	is_int(st.bad, 0, "nothing corrupt");
	is_int(e.ctx.warnings.n, 0, "no warnings");

	const char *bad =
	    "Package: ok1\nStatus: install ok installed\nVersion: 1.0\n\n"
	    "Status: install ok installed\nVersion: 1.0\n\n"		/* no Package */
	    "Package: bad name!\nStatus: install ok installed\nVersion: 1\n\n"
	    "Package: nover\nStatus: install ok installed\n\n"
	    "Package: badstate\nStatus: install ok mostly\nVersion: 1\n\n"
	    "Package: junk\n\x01\x02\xff\xfe garbage\nVersion: 1\n\n"
	    "Package: dup\nVersion: 1\nVersion: 2\nStatus: install ok installed\n\n"
	    "Package: emptyrev\nStatus: install ok installed\nVersion: 1.0-\n\n"
	    "Package: maall\nStatus: install ok installed\nVersion: 1\n"
	    "Architecture: all\nMulti-Arch: same\n\n"
	    "Package: ok2\nStatus: install ok installed\nVersion: 2.0\n";
	is_int(parse(&e, bad, &g, &st), 2, "only the two good stanzas survive");
	is_str(g.names[1], "ok2", "stanza after the corrupt ones is read");
	is_int(st.bad, 8, "eight corrupt stanzas counted");
	ok(warned(&e, "status:5: corrupt package stanza skipped: no Package"),
	    "warning names file, line and reason");
	ok(warned(&e, "3 more corrupt package stanzas"), "the rest summarised");

	e.ctx.warnings.n = 0;
	is_int(parse(&e, "Package: t\nStatus: install ok installed\nVersion: 1.2",
	    &g, &st), 1, "last stanza without final newline kept");
	ok(warned(&e, "truncated"), "truncation warned");

	e.ctx.warnings.n = 0;
	is_int(parse(&e, "Package: t\nStatus: install ok installed\nVer", &g, &st), 0,
	    "stanza cut inside a field name is refused");
	is_int(st.bad, 1, "and counted");

	/* An absurdly long Version. */
	size_t big = 200000;
	char *huge = malloc(big + 64);
	int n = snprintf(huge, 64, "Package: h\nStatus: install ok installed\nVersion: ");
	memset(huge + n, '7', big);
	huge[n + big] = '\n';
	huge[n + big + 1] = '\0';
	is_int(parse(&e, huge, &g, &st), 0, "absurd Version length refused");
	free(huge);

	/* Binary garbage only. */
	unsigned char garbage[4096];
	for (size_t i = 0; i < sizeof(garbage); i++)
		garbage[i] = (unsigned char)(i * 131 + 7);
	memset(&g, 0, sizeof(g));
	dpkg_status_parse(&e.ctx, (struct span){ (const char *)garbage, sizeof(garbage) },
	    "status", keep, &g, &st);
	ok(g.n == 0 && st.bad > 0, "binary garbage: nothing accepted, counted as corrupt");

	struct arena *a = &e.arena;
	is_str(dpkg_status_version(a, SPAN_LIT("0:1.2-3")), "1.2-3", "0: epoch dropped");
	is_str(dpkg_status_version(a, SPAN_LIT("00:1.2")), "1.2", "00: epoch dropped");
	is_str(dpkg_status_version(a, SPAN_LIT("01:1.2")), "1:1.2", "epoch as a number");
	is_str(dpkg_status_version(a, SPAN_LIT("0:1:2-3")), "0:1:2-3", "0: kept when ambiguous");
	is_str(dpkg_status_name(a, SPAN_LIT("Half-Done")), "half-done", "name lower-cased");
	env_free(&e);
}

static const struct inv_package *
find(const struct inventory *inv, const char *name, const char *arch)
{
	for (size_t i = 0; i < inv->packages.n; i++) {
		const struct inv_package *p = vec_at(&inv->packages, i);
		if (strcmp(p->name, name) == 0 &&
		    (!arch || (p->arch && strcmp(p->arch, arch) == 0)))
			return p;
	}
	return NULL;
}

/* tests/data/packages/dpkg-root: real stanzas of this Debian 12 machine
 * plus the states dpkg-query -W also lists, and a journal file. */
static void
test_collector(void)
{
	const char *data = getenv("MAMORI_TEST_DATA");
	char root[4096];
	struct env e;
	struct inventory inv;

	snprintf(root, sizeof(root), "%s/packages/dpkg-root", data ? data : "tests/data");
	env_init(&e, root);
	if (!ok(e.ctx.root != NULL, "fixture root opens")) {
		env_free(&e);
		return;
	}
	memset(&inv, 0, sizeof(inv));
	vec_init(&inv.packages, sizeof(struct inv_package), 200000);
	is_int(inventory_dpkg_collect(&e.ctx, &inv), MAMORI_OK, "collect");
	ok(inv.have_packages, "have_packages set");
	/* dpkg-query --admindir=.../dpkg-root/var/lib/dpkg -W lists 11. */
	is_int(inv.packages.n, 11, "exactly what dpkg-query -W lists");
	is_int(e.ctx.warnings.n, 0, "a valid database gives no warnings");

	const struct inv_package *p = find(&inv, "bash", NULL);
	ok(p != NULL, "bash present");
	if (p) {
		is_str(p->version, "5.2.15-3", "journal (updates/0001) applied over status");
		is_str(p->status, "unpacked", "journal state");
		is_str(p->source_version, "5.2.15-3", "Source version from the journal");
	}
	p = find(&inv, "clang", NULL);
	if (ok(p != NULL, "clang present")) {
		is_str(p->version, "1:14.0-55.7~deb12u1", "epoch kept");
		is_str(p->source, "llvm-defaults", "Source name");
		is_str(p->source_version, "0.55.7~deb12u1", "Source (version)");
		is_str(p->format, "deb", "format");
	}
	p = find(&inv, "libc6", "i386");
	ok(p && p->multiarch_same, "libc6:i386 is Multi-Arch: same");
	p = find(&inv, "libc6", "amd64");
	if (ok(p && p->multiarch_same, "libc6:amd64 too")) {
		is_str(p->source, "glibc", "Source without version");
		is_str(p->source_version, "2.36-9+deb12u14", "source version = version");
	}
	p = find(&inv, "tzdata", NULL);
	ok(p && !p->multiarch_same && strcmp(p->arch, "all") == 0, "tzdata arch all");
	p = find(&inv, "old-removed", NULL);
	if (ok(p != NULL, "config-files package listed")) {
		is_str(p->status, "config-files", "its status");
		is_str(p->version, "1.2-3", "0: epoch dropped like dpkg-query");
	}
	ok(!find(&inv, "purged-one", NULL), "not-installed entry left out");
	p = find(&inv, "half-done", NULL);
	if (ok(p != NULL, "half-installed without Version listed, name lower-cased")) {
		is_str(p->version, "", "empty version");
		is_str(p->status, "half-installed", "its status");
	}
	p = find(&inv, "foreign-tool", "arm64");
	ok(p && !p->multiarch_same, "foreign-arch package");
	p = vec_at(&inv.packages, 0);
	is_str(p->name, "bash", "sorted by name");
	env_free(&e);

	/* No dpkg at all: silent and empty. */
	env_init(&e, data ? data : "tests/data");
	memset(&inv, 0, sizeof(inv));
	vec_init(&inv.packages, sizeof(struct inv_package), 200000);
	is_int(inventory_dpkg_collect(&e.ctx, &inv), MAMORI_OK, "root without dpkg");
	ok(!inv.have_packages && inv.packages.n == 0 && e.ctx.warnings.n == 0,
	    "no packages, no warning");
	env_free(&e);
}

int
main(void)
{
	test_stanzas();
	test_collector();
	return done_testing();
}
