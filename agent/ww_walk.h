/*
 * ww_walk.h - finding world-writable files in system directories.
 *
 * A file anyone can write in /etc, /usr/bin or a systemd unit directory
 * lets any local user (or a compromised web server) become root. The walk
 * keeps an explicit stack of directory descriptors - no recursion, no
 * depth limit - opens each directory with openat(O_NOFOLLOW|O_DIRECTORY)
 * relative to its parent and checks it with fstat, never follows symbolic
 * links, does not enter /proc, /sys and other kernel filesystems mounted
 * inside, and stops after max_entries directory entries.
 */
#ifndef MAMORI_AGENT_WW_WALK_H
#define MAMORI_AGENT_WW_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "agent/scan_ctx.h"
#include "common/arena.h"

struct ww_hit {
	char *path;		/* absolute path on the scanned system */
	mode_t mode;		/* st_mode */
	uid_t uid;
	bool dir;		/* a directory without the sticky bit */
};

struct ww_result {
	struct vec hits;	/* struct ww_hit, at most WW_MAX_HITS kept */
	size_t nhits;		/* all hits, also those not kept */
	size_t visited;		/* directory entries looked at */
	size_t dirs;		/* directories walked */
	bool capped;		/* stopped at max_entries */
	int64_t ms;		/* time taken */
};

#define WW_MAX_HITS 1000

/* The system directories the check walks, NULL-terminated. */
const char *const *ww_walk_default_tops(void);

/*
 * Walks the given directories of ctx->root. A top that is missing is
 * skipped; one reached twice (a /bin -> usr/bin link, /etc/cron.d inside
 * /etc) is walked once. Unreadable directories are scan warnings. Only
 * MAMORI_E_NOMEM is returned as an error.
 */
int ww_walk(struct scan_ctx *ctx, const char *const *tops, size_t max_entries,
    struct ww_result *out);

#endif
