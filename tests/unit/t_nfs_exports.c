/* t_nfs_exports.c - the exports(5) parser. */
#include <stdlib.h>
#include <string.h>

#include "agent/nfs_exports.h"
#include "common/err.h"
#include "tests/tap.h"

static struct arena arena;
static struct conf conf;

static void
ctx_init(struct scan_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->conf = &conf;
	ctx->arena = &arena;
	vec_init(&ctx->warnings, sizeof(struct scan_warning), 10000);
}

static int
parse(struct scan_ctx *ctx, struct nfs_exports *e, const char *text)
{
	nfs_exports_init(e);
	return nfs_exports_parse(ctx, e, "/etc/exports", span_from_cstr(text));
}

static const struct nfs_client *
client(const struct nfs_exports *e, size_t ex, size_t cl)
{
	if (ex >= e->exports.n)
		return NULL;
	const struct nfs_export *x = vec_at(&e->exports, ex);
	return cl < x->clients.n ? vec_at(&x->clients, cl) : NULL;
}

static size_t
nclients(const struct nfs_exports *e, size_t ex)
{
	if (ex >= e->exports.n)
		return 0;
	return ((const struct nfs_export *)vec_at(&e->exports, ex))->clients.n;
}

static void
test_hosts(void)
{
	ok(nfs_exports_host_everyone(SPAN_LIT("*")), "*");
	ok(nfs_exports_host_everyone(SPAN_LIT("")), "no host");
	ok(nfs_exports_host_everyone(SPAN_LIT("*.*")), "*.*");
	ok(nfs_exports_host_everyone(SPAN_LIT("0.0.0.0/0")), "0.0.0.0/0");
	ok(nfs_exports_host_everyone(SPAN_LIT("::/0")), "::/0");
	ok(nfs_exports_host_everyone(SPAN_LIT("0.0.0.0/0.0.0.0")), "zero netmask");
	ok(!nfs_exports_host_everyone(SPAN_LIT("*.example.com")), "domain wildcard is not");
	ok(!nfs_exports_host_everyone(SPAN_LIT("192.168.1.0/24")), "subnet is not");
	ok(!nfs_exports_host_everyone(SPAN_LIT("@trusted")), "netgroup is not");
	ok(!nfs_exports_host_everyone(SPAN_LIT("10.0.0.0/255.0.0.0")), "netmask is not");
}

static void
test_parse(struct scan_ctx *ctx)
{
	struct nfs_exports e;
	const struct nfs_client *c;

	is_int(parse(ctx, &e,
	    "# comment\n"
	    "/srv/home  192.168.1.0/24(rw,sync) *.example.com(ro)\n"
	    "/srv/pub\n"
	    "\"/srv/my share\" host1(rw,no_root_squash)\n"
	    "/srv/esc\\040dir -rw,no_root_squash a(ro) b(root_squash)\n"
	    "/srv/pit fileserver (rw)\n"
	    "/srv/cont host1(ro) \\\n"
	    "   host2(rw,no_root_squash,all_squash) # trailing\n"
	    "/srv/x a(rw)b(ro)\n"
	    "relative/path *(rw)\n"
	    "/srv/v6 ::/0(ro) [unterminated(rw\n"), 0, "parses");
	is_int(e.exports.n, 8, "eight exports (relative path refused)");
	c = client(&e, 0, 0);
	ok(c && strcmp(c->host, "192.168.1.0/24") == 0 && c->rw && !c->everyone,
	    "subnet client rw");
	c = client(&e, 1, 0);
	ok(c && c->everyone && !c->rw && !c->no_root_squash,
	    "no client: everyone, read-only, root squashed");
	ok(strcmp(((struct nfs_export *)vec_at(&e.exports, 2))->path, "/srv/my share") == 0,
	    "quoted path");
	c = client(&e, 2, 0);
	ok(c && c->no_root_squash && c->rw, "no_root_squash");
	ok(strcmp(((struct nfs_export *)vec_at(&e.exports, 3))->path, "/srv/esc dir") == 0,
	    "\\040 decoded");
	c = client(&e, 3, 0);
	ok(c && c->no_root_squash && !c->rw, "defaults then own options (ro)");
	is_str(c ? c->options : NULL, "rw,no_root_squash,ro", "options listed");
	c = client(&e, 3, 1);
	ok(c && !c->no_root_squash && c->rw, "own root_squash overrides default");
	is_int(nclients(&e, 4), 2, "\"host (rw)\" is two clients");
	c = client(&e, 4, 1);
	ok(c && c->everyone && c->rw, "the blank pitfall: everyone read-write");
	c = client(&e, 4, 0);
	ok(c && !c->everyone && !c->rw, "and the host with defaults");
	is_int(nclients(&e, 5), 2, "continuation joins lines");
	c = client(&e, 5, 1);
	ok(c && !c->no_root_squash && c->all_squash, "all_squash squashes root too");
	is_int(nclients(&e, 6), 2, "a(rw)b(ro) is two clients");
	c = client(&e, 7, 0);
	ok(c && c->everyone, "::/0");
	ok(ctx->warnings.n >= 2, "relative path and unterminated options warned");

	const char bin[] = "/x \x01\x02*(rw)";
	nfs_exports_init(&e);
	is_int(nfs_exports_parse(ctx, &e, "bin", (struct span){ bin, sizeof(bin) - 1 }),
	    MAMORI_E_PARSE, "binary refused");
	is_int(parse(ctx, &e, "\\\n\\\n/x\\"), 0, "backslashes only");
	is_int(parse(ctx, &e, "/a -\n/b (\n/c \"unterminated\n/d \\0\\00\\1234"), 0,
	    "odd tokens survive");
}

int
main(void)
{
	struct scan_ctx ctx;
	arena_init(&arena, 16u << 20);
	conf_init(&conf);
	ctx_init(&ctx);
	test_hosts();
	test_parse(&ctx);
	arena_release(&arena);
	conf_release(&conf);
	return done_testing();
}
