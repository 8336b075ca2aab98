/*
 * store_vuln_query.h - reading the imported vulnerability data (migration
 * 0002) for matching, and keeping the vulnerabilities of each scan.
 *
 * Strings returned through callbacks or structs point into SQLite's row
 * buffers: they are valid until the next call on the same handle, so
 * callers copy what they keep (into their arena).
 */
#ifndef MAMORI_STORAGE_STORE_VULN_QUERY_H
#define MAMORI_STORAGE_STORE_VULN_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"

struct arena;
struct db;

/* One vuln_pkg row. */
struct store_vuln_pkg {
	const char *package;		/* source package */
	const char *cve;
	const char *status;		/* resolved, open, undetermined, not-affected */
	const char *fixed_version;	/* NULL when none */
	const char *urgency;		/* NULL when none */
	bool minor;
	/* OSV ranges with more than one fixed version or explicit versions,
	 * encoded by vuln/feed_osv.c (feed_pkg.ranges); NULL when the row's
	 * fixed_version says it all. */
	const char *ranges;
};

/* Enrichment of one CVE from vuln_cve, vuln_kev, vuln_epss and vuln_jvn;
 * absent parts stay zero/NULL. */
struct store_vuln_cve {
	double cvss;			/* < 0 when unknown */
	const char *severity;		/* low..critical, NULL when unknown */
	bool kev;
	const char *kev_date_added, *kev_due_date, *kev_required_action;
	const char *kev_name;
	bool kev_ransomware;
	double epss;			/* < 0 when unknown */
	double epss_percentile;		/* < 0 when unknown */
	const char *jvn_id, *jvn_title, *jvn_link;	/* the newest JVN advisory */
};

typedef int (*store_vuln_pkg_fn)(void *ctx, const struct store_vuln_pkg *row);

/*
 * Calls fn for every row of (distro, release, package) that can apply to
 * some installed version, from the package's packed rows (vuln_pkg_pack,
 * migration 0022): one B-tree probe per installed source package. Rows
 * that never apply (not-affected; resolved without a fixed version) are
 * not packed. A non-zero return from fn stops and is returned; a damaged
 * pack is MAMORI_E_PARSE. Needs store_vuln_read_begin().
 */
int store_vuln_pkg_rows(struct db *db, const char *distro, const char *release,
    const char *package, store_vuln_pkg_fn fn, void *ctx);
/* The packed rows' reader, for the fuzz target and tests. */
int store_vuln_pack_parse(const void *data, size_t len, const char *package,
    store_vuln_pkg_fn fn, void *ctx);

/* *any is false when vuln_cve, vuln_kev, vuln_epss and vuln_jvn are all
 * empty: then store_vuln_cve_info() would find nothing for any CVE. */
int store_vuln_cve_any(struct db *db, bool *any);
/* What is known about cve; strings valid until the next call. */
int store_vuln_cve_info(struct db *db, const char *cve, struct store_vuln_cve *info);
/* info for a CVE nothing is known about (unknown scores are < 0). */
void store_vuln_cve_none(struct store_vuln_cve *info);
/* *count is 1 when vuln_pkg has any row of (distro, release), else 0: tells
 * "no data for this release" from "nothing found" without counting them. */
int store_vuln_has_release(struct db *db, const char *distro, const char *release,
    int64_t *count);

/* The imported sources. */
struct store_vuln_source {
	const char *kind, *origin;
	int64_t feed_date;		/* 0 when the feed states none */
	int64_t imported_at;
	int64_t records;
};
typedef int (*store_vuln_source_fn)(void *ctx, const struct store_vuln_source *s);
int store_vuln_sources(struct db *db, store_vuln_source_fn fn, void *ctx);

/*
 * One read transaction around many lookups: a single shared lock instead
 * of one lock/unlock (and WAL check) per statement, which dominates the
 * cost of thousands of small queries.
 */
/* map: read the file through a mapping (matching: few pages, no copies);
 * false for reads spread over large tables (CVE descriptions). */
int store_vuln_read_begin(struct db *db, bool map);
void store_vuln_read_end(struct db *db);

/* True when the vulnerability tables exist (schema 2 or later). */
bool store_vuln_ready(struct db *db);

/*
 * Scans and their vulnerabilities, for "new / fixed since last scan".
 * store_vuln_scan_begin() records a scan row for the host (in a
 * transaction), store_vuln_scan_add() one row per (CVE, source package),
 * store_vuln_scan_prev() finds the host's latest earlier scan that had its
 * vulnerabilities checked, store_vuln_scan_finish() commits.
 */
int store_vuln_scan_begin(struct db *db, const char *host_key,
    const char *hostname, int64_t started_at, const char *root,
    int64_t *scan_id, int64_t *prev_scan_id);
int store_vuln_scan_add(struct db *db, int64_t scan_id, const char *cve,
    const char *package, const char *state);
int store_vuln_scan_finish(struct db *db, int64_t scan_id, int64_t duration_ms,
    int keep);
void store_vuln_scan_abort(struct db *db);

enum store_vuln_change { STORE_VULN_NEW, STORE_VULN_FIXED };
typedef int (*store_vuln_diff_fn)(void *ctx, enum store_vuln_change kind,
    const char *cve, const char *package, const char *state);
/* Differences between scan_id and prev_scan_id (none when prev is 0). */
int store_vuln_scan_diff(struct db *db, int64_t scan_id, int64_t prev_scan_id,
    store_vuln_diff_fn fn, void *ctx);

/* A month's vulnerability changes per computer: fn gets the tenant's
 * computers with a checked scan in [from, to) (unix seconds), the last such
 * scan and the last one before from (0 when none), to hand to
 * store_vuln_scan_diff(). At most limit computers. */
typedef int (*store_vuln_month_fn)(void *ctx, const char *hostname, int64_t scan_id,
    int64_t prev_scan_id);
int store_vuln_month_scans(struct db *db, int64_t tenant_id, int64_t from, int64_t to, int limit,
    store_vuln_month_fn fn, void *ctx);

/*
 * Writers for tests and benchmarks that need data without a feed file
 * (the importers of `mamori vuln update` have their own). Each is one
 * INSERT OR REPLACE; wrap many in db_begin()/db_commit().
 */
int store_vuln_put_source(struct db *db, const char *kind, const char *origin,
    int64_t feed_date, int64_t imported_at, int64_t records);
int store_vuln_put_pkg(struct db *db, const char *kind, const char *distro,
    const char *release, const struct store_vuln_pkg *row);
int store_vuln_put_cve(struct db *db, const char *cve, const char *description,
    double cvss, const char *severity);
/* A CVE's description copied into a, or *out NULL when there is none. Kept
 * apart from the scores (migration 0019): only JSON and SARIF print it. */
int store_vuln_cve_text(struct db *db, const char *cve, struct arena *a, const char **out);
int store_vuln_put_kev(struct db *db, const char *cve, const char *name,
    const char *date_added, const char *due_date, bool ransomware,
    const char *required_action);
int store_vuln_put_epss(struct db *db, const char *cve, double epss,
    double percentile);
int store_vuln_put_jvn(struct db *db, const char *jvn_id, const char *cve,
    const char *title_ja, const char *link, const char *published);

#endif
