/*
 * sshd_config.h - the OpenSSH server configuration, read the way sshd
 * reads it (sshd_config(5), servconf.c).
 *
 * Keywords are case-insensitive; "Key value", "Key=value" and
 * "Key = value" are the same; arguments may be double-quoted; '#' starts a
 * comment at the start of a word. Include takes one or more paths or
 * globs (relative ones are in /etc/ssh), expanded in lexical order and
 * read in place, at most 16 deep. Lines after a Match are conditional
 * (in_match) until "Match all" or the end of the file that holds the
 * Match; an Include inside a Match makes the whole included file
 * conditional. Every setting is kept in file order; sshd uses the first
 * unconditional one for most keywords (inventory_sshd_get()).
 */
#ifndef MAMORI_AGENT_SSHD_CONFIG_H
#define MAMORI_AGENT_SSHD_CONFIG_H

#include <stdbool.h>

#include "agent/inventory.h"
#include "agent/scan_ctx.h"
#include "common/span.h"

/*
 * Parses one file's text into settings (struct inv_ssh_setting). Include
 * lines are followed through ctx->root (none when ctx->root is NULL, as in
 * the fuzzer). depth is 0 for the main file; in_match is true for a file
 * included from inside a Match block. Problems are scan warnings (area
 * "sshd"); returns 0 or MAMORI_E_NOMEM / MAMORI_E_LIMIT.
 */
int sshd_config_parse(struct scan_ctx *ctx, struct span text, const char *file,
    int depth, bool in_match, struct vec *settings);
/* Reads a file through ctx->root and parses it. MAMORI_E_NOTFOUND when
 * it does not exist (no warning then). */
int sshd_config_load(struct scan_ctx *ctx, const char *path, int depth,
    bool in_match, struct vec *settings);

/* Expands a glob of the scanned system ("/etc/ssh/sshd_config.d/NAME.conf")
 * through ctx->root, one directory level at a time with fnmatch(3), into
 * sorted absolute paths (char *). Used for Include; exported for tests. */
int sshd_config_glob(struct scan_ctx *ctx, const char *pattern,
    struct vec *out);

#endif
