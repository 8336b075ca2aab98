/* t_apk.c - Alpine installed database parser and collector. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/apk_installed.h"
#include "agent/inventory.h"
#include "common/conf.h"
#include "common/err.h"
#include "tests/tap.h"

struct env {
	struct conf conf;
	struct arena arena;
	struct rootfs root;
	struct scan_ctx ctx;
	struct inventory inv;
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
	vec_init(&e->inv.packages, sizeof(struct inv_package), 200000);
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
	char names[16][64];
	size_t n;
};

static int
keep(void *arg, const struct apk_pkg *p)
{
	struct got *g = arg;
	if (g->n < 16)
		snprintf(g->names[g->n++], 64, "%.*s", (int)p->name.len, p->name.p);
	return 0;
}

static void
test_parser(void)
{
	struct env e;
	struct got g;
	struct apk_parse_stats st;
	env_init(&e, NULL);

	const char *text =
	    "P:good1\nV:1.0-r0\nA:x86_64\n\n"
	    "V:2.0-r0\nA:x86_64\n\n"				/* no name */
	    "P:nover\nA:x86_64\n\n"
	    "P:bad name\nV:1-r0\n\n"
	    "P:junk\nV:1-r0\n\x01\x02\x03garbage\n\n"		/* not X:value */
	    "P:dup\nV:1-r0\nV:2-r0\n\n"
	    "P:badver\nV:1 .0\n\n"
	    "P:good2\nV:3.1_git20240101-r2";
	memset(&g, 0, sizeof(g));
	apk_installed_parse(&e.ctx, (struct span){ text, strlen(text) }, "installed",
	    keep, &g, &st);
	is_int(g.n, 2, "two good packages");
	is_str(g.names[1], "good2", "package after corrupt ones read");
	is_int(st.bad, 6, "six corrupt stanzas counted");
	ok(warned(&e, "installed:5: corrupt package stanza skipped: no P:"),
	    "warning with file:line and reason");
	ok(warned(&e, "1 more corrupt"), "rest summarised");
	ok(warned(&e, "truncated"), "missing final newline warned");

	unsigned char garbage[3000];
	for (size_t i = 0; i < sizeof(garbage); i++)
		garbage[i] = (unsigned char)(i * 37 + 11);
	memset(&g, 0, sizeof(g));
	apk_installed_parse(&e.ctx, (struct span){ (const char *)garbage, sizeof(garbage) },
	    "installed", keep, &g, &st);
	ok(g.n == 0 && st.bad > 0, "binary garbage: nothing accepted");
	env_free(&e);
}

static void
test_collector(void)
{
	const char *data = getenv("MAMORI_TEST_DATA");
	char root[4096];
	struct env e;

	snprintf(root, sizeof(root), "%s/packages/apk-root", data ? data : "tests/data");
	env_init(&e, root);
	if (!ok(e.ctx.root != NULL, "fixture root opens")) {
		env_free(&e);
		return;
	}
	is_int(inventory_apk_collect(&e.ctx, &e.inv), MAMORI_OK, "collect");
	ok(e.inv.have_packages, "have_packages");
	is_int(e.inv.packages.n, 5, "five packages");
	is_int(e.ctx.warnings.n, 0, "no warnings");
	const struct inv_package *p = vec_at(&e.inv.packages, 2);
	is_str(p->name, "libcrypto3", "name");
	is_str(p->version, "3.3.2-r1", "version");
	is_str(p->arch, "x86_64", "arch");
	is_str(p->source, "openssl", "origin is the source");
	is_str(p->source_version, "3.3.2-r1", "source version");
	is_str(p->format, "apk", "format");
	is_str(p->status, "installed", "status");
	env_free(&e);

	env_init(&e, data ? data : "tests/data");
	is_int(inventory_apk_collect(&e.ctx, &e.inv), MAMORI_OK, "no apk database");
	ok(!e.inv.have_packages && e.ctx.warnings.n == 0, "silent without apk");
	env_free(&e);
}

int
main(void)
{
	test_parser();
	test_collector();
	return done_testing();
}
