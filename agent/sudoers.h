/*
 * sudoers.h - who may run every command as root, from sudoers(5).
 *
 * We only need the user specifications that grant the command ALL (or a
 * Cmnd_Alias containing ALL): those users and %groups are administrators.
 * User_Alias and Cmnd_Alias are expanded after all files are read, since
 * sudo resolves aliases regardless of where they are defined. Defaults
 * lines, Host_Alias and Runas_Alias do not change who is an admin here.
 */
#ifndef MAMORI_AGENT_SUDOERS_H
#define MAMORI_AGENT_SUDOERS_H

#include <stdbool.h>
#include <stddef.h>

#include "agent/scan_ctx.h"
#include "common/arena.h"
#include "common/span.h"

struct sudoers_grant {
	char *who;		/* "alice", "%sudo", "#1000", "%#27" or "ALL" */
	char *file;
	int line;
};

struct sudoers_include {
	char *path;		/* absolute, as the scanned system names it */
	bool dir;		/* @includedir */
};

struct sudoers {
	struct arena *arena;
	struct vec aliases;	/* internal: User_Alias and Cmnd_Alias */
	struct vec specs;	/* internal: user specifications */
	struct vec includes;	/* struct sudoers_include, in file order */
	size_t bad;		/* lines that could not be understood */
};

void sudoers_init(struct sudoers *s, struct arena *a);
/*
 * Parses one file's text. Include directives are appended to s->includes
 * (relative paths resolved against file's directory) for the caller to
 * follow. Returns 0 or MAMORI_E_NOMEM / MAMORI_E_LIMIT.
 */
int sudoers_parse(struct sudoers *s, struct span text, const char *file);
/* Reads path and everything it includes through ctx->root (depth-limited,
 * @includedir skipping names with '.' or ending in '~' like sudo). */
int sudoers_load(struct sudoers *s, struct scan_ctx *ctx, const char *path);
/* The users and groups granted ALL, with aliases expanded and negated
 * entries ("!bob") left out. out holds struct sudoers_grant. */
int sudoers_grants(struct sudoers *s, struct vec *out);

#endif
