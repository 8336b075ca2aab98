/*
 * dpkg_status.h - the dpkg database text format (/var/lib/dpkg/status and
 * the journal files in /var/lib/dpkg/updates/).
 *
 * Stanzas of "Field: value" lines separated by empty lines; a line starting
 * with a space or tab continues the previous field. The parser checks each
 * stanza the way dpkg's own parser does (lib/dpkg/parse.c, fields.c) so
 * that what it accepts is what dpkg-query lists: a stanza dpkg would refuse
 * is skipped and counted as a scan warning instead of ending the scan.
 */
#ifndef MAMORI_AGENT_DPKG_STATUS_H
#define MAMORI_AGENT_DPKG_STATUS_H

#include <stdbool.h>
#include <stddef.h>

#include "agent/scan_ctx.h"
#include "common/arena.h"
#include "common/span.h"

/* dpkg's installation states, in dpkg's order. */
enum dpkg_state {
	DPKG_NOT_INSTALLED,
	DPKG_CONFIG_FILES,
	DPKG_HALF_INSTALLED,
	DPKG_UNPACKED,
	DPKG_HALF_CONFIGURED,
	DPKG_TRIGGERS_AWAITED,
	DPKG_TRIGGERS_PENDING,
	DPKG_INSTALLED,
};

/* One accepted stanza; the spans point into the parsed text. */
struct dpkg_stanza {
	struct span package;		/* as written; dpkg lower-cases it */
	struct span version;		/* trimmed, as written; empty if absent */
	struct span arch;		/* empty when absent */
	struct span source;		/* source name; empty when absent */
	struct span source_version;	/* "(ver)" of Source; empty if absent */
	enum dpkg_state state;		/* NOT_INSTALLED without Status */
	bool multiarch_same;
	size_t line;			/* first line of the stanza, from 1 */
};

/* Called per accepted stanza; a non-zero return stops the parse. */
typedef int (*dpkg_stanza_fn)(void *arg, const struct dpkg_stanza *st);

struct dpkg_parse_stats {
	size_t stanzas;		/* accepted */
	size_t bad;		/* skipped as corrupt */
};

/*
 * Parses the text of a status or updates file. Corrupt stanzas are skipped;
 * the first few are described with scan_warn(ctx, "packages", ...) naming
 * file and line, the rest counted in one more warning. Returns 0 or what
 * fn returned.
 */
int dpkg_status_parse(struct scan_ctx *ctx, struct span text,
    const char *file, dpkg_stanza_fn fn, void *arg,
    struct dpkg_parse_stats *stats);

/* The version as dpkg-query prints ${Version}: "0:" epochs dropped, the
 * epoch written as a plain number. NULL when the arena is full. */
char *dpkg_status_version(struct arena *a, struct span v);

/* Lower-case copy of a package name: dpkg keys and prints names so. */
char *dpkg_status_name(struct arena *a, struct span n);

/* "installed", "config-files", ... as in the Status field. */
const char *dpkg_status_state_name(enum dpkg_state s);

#endif
