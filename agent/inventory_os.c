/*
 * inventory_os.c - which operating system release the root holds:
 * /etc/os-release (or /usr/lib/os-release, its documented fallback) and
 * /etc/debian_version.
 */
#include "agent/inventory.h"

#include "agent/os_release.h"
#include "common/err.h"

static const char *const release_files[] = {
	"/etc/os-release",
	"/usr/lib/os-release",
};

int
inventory_os_collect(struct scan_ctx *ctx, struct inventory *inv)
{
	struct span text;
	int rc = MAMORI_E_NOTFOUND;
	size_t i;

	for (i = 0; i < sizeof(release_files) / sizeof(release_files[0]); i++) {
		rc = rootfs_read(ctx->root, release_files[i], scan_max_file(ctx),
		    ctx->arena, &text);
		if (rc != MAMORI_E_NOTFOUND)
			break;
	}
	if (rc == MAMORI_OK) {
		size_t bad = 0;
		if (!span_is_text(text)) {
			scan_warn(ctx, "os", "%s is not a text file; OS release unknown",
			    release_files[i]);
		} else {
			rc = os_release_parse(ctx->arena, text, &inv->os, &bad);
			if (rc)
				return rc;
			if (bad)
				scan_warn(ctx, "os", "%s: %zu line(s) are not KEY=value and were skipped",
				    release_files[i], bad);
			if (!inv->os.id)
				scan_warn(ctx, "os", "%s has no ID", release_files[i]);
		}
	} else if (rc == MAMORI_E_NOTFOUND) {
		scan_warn(ctx, "os", "no /etc/os-release or /usr/lib/os-release: OS release unknown");
	} else {
		scan_warn(ctx, "os", "cannot read %s: %s", release_files[i], err_str(rc));
	}

	rc = rootfs_read(ctx->root, "/etc/debian_version", 4096, ctx->arena, &text);
	if (rc == MAMORI_OK) {
		struct span first, rest;
		span_split(text, '\n', &first, &rest);
		first = span_trim(first);
		if (first.len > 0 && span_is_text(first)) {
			inv->os.debian_version = arena_spandup(ctx->arena, first);
			if (!inv->os.debian_version)
				return MAMORI_E_NOMEM;
		} else {
			scan_warn(ctx, "os", "/etc/debian_version is empty or not text");
		}
	} else if (rc != MAMORI_E_NOTFOUND) {
		scan_warn(ctx, "os", "cannot read /etc/debian_version: %s", err_str(rc));
	}
	return MAMORI_OK;
}
