/*
 * scan_ctx.h - what every collector and check of one scan is given.
 *
 * Collectors never abort a scan for bad input: a corrupt file, a missing
 * /proc entry or a permission problem becomes a scan warning (shown in the
 * report and in the JSON "warnings" array) and the rest of the scan runs.
 */
#ifndef MAMORI_AGENT_SCAN_CTX_H
#define MAMORI_AGENT_SCAN_CTX_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "common/arena.h"
#include "common/conf.h"
#include "common/log.h"
#include "common/rootfs.h"

struct scan_warning {
	const char *area;	/* "packages", "sshd", ... (static) */
	char *message;		/* English, one line; in the arena */
};

struct scan_ctx {
	const struct rootfs *root;	/* what is scanned */
	const struct conf *conf;
	const struct log *log;
	struct arena *arena;		/* lives as long as the scan */
	time_t now;			/* wall-clock "now" of the scan (fixed
					 * by --now in tests) */
	bool privileged;		/* running as root: shadow is readable */
	const char *db_path;		/* the database of this run (--db or the
					 * default): vulnerability data is read
					 * from it; never created by a check */
	struct vec warnings;		/* struct scan_warning */
};

void scan_warn(struct scan_ctx *ctx, const char *area, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Monotonic milliseconds, for time budgets (never the wall clock). */
int64_t scan_monotonic_ms(void);

/* Largest single file a collector may read (scan.max_file_bytes). */
size_t scan_max_file(const struct scan_ctx *ctx);

#endif
