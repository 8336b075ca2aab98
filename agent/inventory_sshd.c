/* inventory_sshd.c - not written yet: collects nothing. */
#include "agent/inventory.h"
#include "common/err.h"

int
inventory_sshd_collect(struct scan_ctx *ctx, struct inventory *inv)
{
	(void)ctx;
	(void)inv;
	return MAMORI_OK;
}
