/*
 * store_vuln_import.h - writing vulnerability feeds into the database.
 *
 * One import is one transaction: begin, then rows, then commit. The first
 * row of a source kind in an import (debian-tracker, osv-debian:12, kev,
 * epss, jvn) clears every stored row of that kind, so the kind is
 * replaced as a whole; several files of one kind in one import add up
 * (JVN yearly feeds, an OSV directory). Anything short of commit leaves the
 * database exactly as it was.
 *
 * vuln_pkg keeps one row per (distro, release, package, CVE). When OSV and
 * the Debian tracker both describe a Debian row, the tracker wins: it is
 * the distribution's own record.
 */
#ifndef MAMORI_STORAGE_STORE_VULN_IMPORT_H
#define MAMORI_STORAGE_STORE_VULN_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "common/feed_record.h"

struct db;
struct store_vuln_import;

int store_vuln_import_begin(struct db *db, int64_t now,
    struct store_vuln_import **out);
/* Clears the kind's rows unless this import already did. */
int store_vuln_import_claim(struct store_vuln_import *imp, const char *kind);

/* Row writers, shaped as feed_sink callbacks (ctx is the import). */
int store_vuln_import_pkg(void *imp, const struct feed_pkg *r);
int store_vuln_import_cve(void *imp, const struct feed_cve *r);
int store_vuln_import_kev(void *imp, const struct feed_kev *r);
int store_vuln_import_epss(void *imp, const struct feed_epss *r);
int store_vuln_import_jvn(void *imp, const struct feed_jvn *r);

/* Rows written so far in this import. */
uint64_t store_vuln_import_rows(const struct store_vuln_import *imp);

/*
 * Attributes the kinds written since the previous call to one source file:
 * its origin (path or URL), sha256 (hex) and stated date (0: none). A kind
 * fed by several files lists their origins one per line and their hashes
 * space-separated, in the same order.
 */
int store_vuln_import_source(struct store_vuln_import *imp, const char *origin,
    const char *sha256_hex, int64_t feed_date);

/* Records the sources, commits and frees imp. On failure the import is
 * rolled back with a message in err; either way imp is gone. */
int store_vuln_import_commit(struct store_vuln_import *imp, char *err, size_t errsz);
void store_vuln_import_abort(struct store_vuln_import *imp);

const char *store_vuln_import_errmsg(const struct store_vuln_import *imp);

#endif
