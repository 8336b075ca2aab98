/*
 * inventory_apk.c - installed Alpine packages from /lib/apk/db/installed.
 * Every stanza there is an installed package; the origin (o:) is the
 * source package that security advisories name.
 */
#include "agent/inventory.h"

#include "agent/apk_installed.h"
#include "common/err.h"

#define INSTALLED	"/lib/apk/db/installed"

struct walk {
	struct scan_ctx *ctx;
	struct inventory *inv;
};

static int
on_pkg(void *arg, const struct apk_pkg *k)
{
	struct walk *w = arg;
	struct arena *a = w->ctx->arena;
	struct inv_package *p = vec_push(a, &w->inv->packages);
	if (!p)
		return MAMORI_E_NOMEM;
	p->format = "apk";
	p->name = arena_spandup(a, k->name);
	p->version = arena_spandup(a, k->version);
	p->arch = k->arch.len ? arena_spandup(a, k->arch) : NULL;
	p->source = k->origin.len ? arena_spandup(a, k->origin) : p->name;
	p->source_version = p->version;
	p->status = arena_strdup(a, "installed");
	if (!p->name || !p->version || !p->source || !p->status ||
	    (k->arch.len && !p->arch))
		return MAMORI_E_NOMEM;
	return MAMORI_OK;
}

int
inventory_apk_collect(struct scan_ctx *ctx, struct inventory *inv)
{
	struct walk w = { ctx, inv };
	struct span text;
	int rc = rootfs_read(ctx->root, INSTALLED, scan_max_file(ctx),
	    ctx->arena, &text);

	if (rc == MAMORI_E_NOTFOUND)
		return MAMORI_OK;	/* not an Alpine system */
	if (rc == MAMORI_E_NOMEM)
		goto out;
	if (rc != MAMORI_OK) {
		scan_warn(ctx, "packages", "%s: %s", INSTALLED,
		    rc == MAMORI_E_LIMIT ? "larger than scan.max_file_bytes" :
		    err_str(rc));
		return MAMORI_OK;
	}
	rc = apk_installed_parse(ctx, text, INSTALLED, on_pkg, &w, NULL);
	if (rc == MAMORI_OK)
		inv->have_packages = true;
out:
	if (rc == MAMORI_E_NOMEM)
		scan_warn(ctx, "packages", "out of scan memory while reading %s",
		    INSTALLED);
	return rc;
}
