/*
 * os_eol.h - end-of-life dates of operating system releases.
 */
#ifndef MAMORI_AGENT_OS_EOL_H
#define MAMORI_AGENT_OS_EOL_H

#include <stdbool.h>
#include <time.h>

#include "agent/inventory.h"

enum os_support {
	OS_SUPPORT_UNKNOWN,	/* release not in the table */
	OS_SUPPORT_FULL,	/* regular security support */
	OS_SUPPORT_EXTENDED,	/* LTS / extended: still patched, plan upgrade */
	OS_SUPPORT_ENDED,	/* no security updates any more */
};

struct os_eol_info {
	enum os_support support;
	const char *release;	/* "Debian 12 (bookworm)" */
	const char *regular_end;	/* "2026-06-10", NULL if unknown */
	const char *extended_end;	/* "2028-06-30", NULL if none */
	const char *successor;	/* "Debian 13", NULL if unknown */
};

/* Looks the scanned OS up and judges it at time now. */
void os_eol_lookup(const struct inv_os *os, time_t now, struct os_eol_info *out);
const char *os_support_name(enum os_support s);

#endif
