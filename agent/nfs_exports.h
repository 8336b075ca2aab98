/*
 * nfs_exports.h - the NFS server's export table, exports(5).
 *
 * One entry per line: a path (may be "quoted" or use octal escapes such as
 * "\040" for a space), an optional "-options" default list, then clients,
 * each "host(options)". A path with no client, and an options list with no
 * host in front ("host (rw)" with a blank is two clients: host with the
 * defaults and EVERYONE read-write), export to the world, as nfs-utils'
 * exportfs reads it. A '\' at the end of a line continues it; '#' starts a
 * comment. Options apply left to right: defaults (ro, root_squash), then
 * the "-" list, then the client's own.
 */
#ifndef MAMORI_AGENT_NFS_EXPORTS_H
#define MAMORI_AGENT_NFS_EXPORTS_H

#include <stdbool.h>

#include "agent/scan_ctx.h"
#include "common/arena.h"
#include "common/span.h"

struct nfs_client {
	char *host;		/* as written; "" when no host was named */
	char *options;		/* the options given, "-" defaults first */
	bool everyone;		/* host matches every machine */
	bool rw;		/* last of rw/ro was rw */
	bool no_root_squash;	/* root keeps uid 0 (and all_squash not set) */
	bool all_squash;
	bool insecure;		/* clients may use ports >= 1024 */
};

struct nfs_export {
	char *path;		/* unquoted, escapes decoded */
	const char *file;
	int line;
	struct vec clients;	/* struct nfs_client */
};

struct nfs_exports {
	struct vec exports;	/* struct nfs_export, file order */
};

void nfs_exports_init(struct nfs_exports *e);
/*
 * Parses one exports file's text; bad lines are scan warnings (file:line).
 * Only MAMORI_E_NOMEM is fatal; binary input is MAMORI_E_PARSE.
 */
int nfs_exports_parse(struct scan_ctx *ctx, struct nfs_exports *e,
    const char *file, struct span text);
/* /etc/exports and /etc/exports.d/\*.exports (sorted) below ctx->root;
 * *found is set when any of them exists. */
int nfs_exports_load(struct scan_ctx *ctx, struct nfs_exports *e, bool *found);

/* True when a client pattern matches every host: "", "*", wildcards made
 * only of '*', '?' and '.', and networks with prefix length 0
 * (0.0.0.0/0, ::/0, 0.0.0.0/0.0.0.0). */
bool nfs_exports_host_everyone(struct span host);

#endif
