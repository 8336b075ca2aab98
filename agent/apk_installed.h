/*
 * apk_installed.h - Alpine's installed-package database
 * (/lib/apk/db/installed).
 *
 * Stanzas separated by empty lines; each line is one letter, a colon and
 * a value ("P:musl", "V:1.2.4_git20230717-r4", "A:x86_64", "o:musl").
 * File lines (F:, R:, Z:, a:, M:) follow each package and are skipped.
 */
#ifndef MAMORI_AGENT_APK_INSTALLED_H
#define MAMORI_AGENT_APK_INSTALLED_H

#include <stddef.h>

#include "agent/scan_ctx.h"
#include "common/span.h"

/* One package; the spans point into the parsed text. */
struct apk_pkg {
	struct span name;	/* P: */
	struct span version;	/* V: */
	struct span arch;	/* A:, empty when absent */
	struct span origin;	/* o: the source package, empty when absent */
	size_t line;		/* first line of the stanza, from 1 */
};

typedef int (*apk_pkg_fn)(void *arg, const struct apk_pkg *p);

struct apk_parse_stats {
	size_t packages;
	size_t bad;
};

/* Parses the text; corrupt stanzas are skipped and warned about (the
 * first few with file:line, the rest counted). Returns 0 or what fn
 * returned. */
int apk_installed_parse(struct scan_ctx *ctx, struct span text,
    const char *file, apk_pkg_fn fn, void *arg, struct apk_parse_stats *stats);

#endif
