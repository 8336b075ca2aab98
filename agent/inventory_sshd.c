/*
 * inventory_sshd.c - the OpenSSH server: installed, and its settings.
 *
 * sshd counts as installed when its binary or its configuration exists
 * (an offline tree may lack either). Parsing is in sshd_config.c.
 */
#include "agent/inventory.h"
#include "agent/sshd_config.h"
#include "common/err.h"

int
inventory_sshd_collect(struct scan_ctx *ctx, struct inventory *inv)
{
	static const char *const bins[] = { "/usr/sbin/sshd", "/usr/bin/sshd",
	    "/sbin/sshd" };
	const char *conf = "/etc/ssh/sshd_config";

	for (size_t i = 0; i < sizeof(bins) / sizeof(bins[0]); i++)
		if (rootfs_exists(ctx->root, bins[i]))
			inv->sshd.installed = true;
	if (rootfs_exists(ctx->root, conf))
		inv->sshd.installed = true;
	if (!inv->sshd.installed)
		return MAMORI_OK;
	int rc = sshd_config_load(ctx, conf, 0, false, &inv->sshd.settings);
	if (rc == MAMORI_E_NOMEM || rc == MAMORI_E_LIMIT)
		return rc;
	if (rc == MAMORI_OK)
		inv->sshd.config_read = true;
	else if (rc == MAMORI_E_NOTFOUND)
		scan_warn(ctx, "sshd", "sshd is installed but %s is missing: "
		    "built-in defaults assumed", conf);
	return MAMORI_OK;
}
