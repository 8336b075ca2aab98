/*
 * store_vuln_query.c - lookups on the vulnerability tables and the
 * per-scan vulnerability list. Every statement is cached on the handle
 * (db_cached), so matching thousands of packages prepares each once.
 */
#include "storage/store_vuln_query.h"

#include <string.h>

#include "common/err.h"
#include "storage/db_internal.h"

/* A source package's advisory rows, packed by the import (0022): one
 * B-tree probe per installed source package, rows read in C. */
static const char sql_pkg_pack[] =
    "SELECT rows FROM vuln_pkg_pack WHERE distro = ?1 AND release = ?2 AND package = ?3";
/* What is known about one CVE (the newest JVN advisory by a correlated
 * max); descriptions are read apart (store_vuln_cve_text). */
static const char sql_cve_info[] =
    "SELECT c.cvss, c.severity, k.name, k.date_added, k.due_date, k.ransomware, "
    "k.required_action, e.epss, e.percentile, j.jvn_id, j.title_ja, j.link, "
    "(k.cve IS NOT NULL), (e.cve IS NOT NULL) "
    "FROM (SELECT 1) LEFT JOIN vuln_cve c ON c.cve = ?1 "
    "LEFT JOIN vuln_kev k ON k.cve = ?1 LEFT JOIN vuln_epss e ON e.cve = ?1 "
    "LEFT JOIN vuln_jvn j ON j.cve = ?1 AND j.jvn_id = "
    "(SELECT max(x.jvn_id) FROM vuln_jvn x WHERE x.cve = ?1)";
static const char sql_cve_any[] =
    "SELECT EXISTS (SELECT 1 FROM vuln_cve) OR EXISTS (SELECT 1 FROM vuln_kev) OR "
    "EXISTS (SELECT 1 FROM vuln_epss) OR EXISTS (SELECT 1 FROM vuln_jvn)";
static const char sql_pkg_count[] =
    "SELECT EXISTS (SELECT 1 FROM vuln_pkg WHERE distro = ?1 AND release = ?2)";
static const char sql_sources[] =
    "SELECT kind, origin, feed_date, imported_at, records FROM vuln_sources ORDER BY kind";
static const char sql_ready[] =
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
    "('vuln_pkg', 'vuln_cve', 'vuln_kev', 'vuln_epss', 'vuln_jvn', 'vuln_sources', 'scan_vulns')";
/* A scan "had its vulnerabilities checked" when it has scan_vulns rows;
 * the marker row (cve '') makes a clean result count too. */
static const char sql_scan_prev[] =
    "SELECT s.id FROM scans s WHERE s.host_id = ?1 AND s.id < ?2 AND EXISTS "
    "(SELECT 1 FROM scan_vulns v WHERE v.scan_id = s.id) ORDER BY s.id DESC LIMIT 1";
/* Per computer of the tenant: its last scan with vulnerabilities checked
 * in [?2, ?3) and the last one before ?2 (0 when none). */
static const char sql_month_scans[] =
    "SELECT hostname, cur, coalesce((SELECT s.id FROM scans s WHERE s.host_id = hid AND "
    "s.started_at < ?2 AND EXISTS (SELECT 1 FROM scan_vulns v WHERE v.scan_id = s.id) "
    "ORDER BY s.id DESC LIMIT 1), 0) FROM (SELECT h.id AS hid, h.hostname AS hostname, "
    "(SELECT s.id FROM scans s WHERE s.host_id = h.id AND s.started_at >= ?2 AND "
    "s.started_at < ?3 AND EXISTS (SELECT 1 FROM scan_vulns v WHERE v.scan_id = s.id) "
    "ORDER BY s.id DESC LIMIT 1) AS cur FROM hosts h WHERE h.tenant_id = ?1) "
    "WHERE cur IS NOT NULL ORDER BY hostname, cur LIMIT ?4";
static const char sql_scan_vuln[] =
    "INSERT INTO scan_vulns (scan_id, cve, package, state) VALUES (?1, ?2, ?3, ?4)";
static const char sql_scan_done[] =
    "UPDATE scans SET duration_ms = ?2 WHERE id = ?1";
static const char sql_scan_prune[] =
    "DELETE FROM scans WHERE host_id = (SELECT host_id FROM scans WHERE id = ?1) AND id NOT IN "
    "(SELECT id FROM scans WHERE host_id = (SELECT host_id FROM scans WHERE id = ?1) "
    "ORDER BY id DESC LIMIT ?2)";
static const char sql_diff_new[] =
    "SELECT cve, package, state FROM scan_vulns n WHERE scan_id = ?1 AND cve <> '' AND NOT EXISTS "
    "(SELECT 1 FROM scan_vulns o WHERE o.scan_id = ?2 AND o.cve = n.cve AND o.package = n.package) "
    "ORDER BY cve, package";
static const char sql_diff_fixed[] =
    "SELECT cve, package, state FROM scan_vulns o WHERE scan_id = ?2 AND cve <> '' AND NOT EXISTS "
    "(SELECT 1 FROM scan_vulns n WHERE n.scan_id = ?1 AND o.cve = n.cve AND o.package = n.package) "
    "ORDER BY cve, package";
static const char sql_put_source[] =
    "INSERT OR REPLACE INTO vuln_sources (kind, origin, sha256, feed_date, imported_at, records) "
    "VALUES (?1, ?2, '', ?3, ?4, ?5)";
static const char sql_put_pkg[] =
    "INSERT OR REPLACE INTO vuln_pkg (kind, distro, release, package, cve, status, fixed_version, urgency, minor, ranges) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
/* The package's packed rows follow (the import repacks all at once). */
static const char sql_put_unpack[] =
    "DELETE FROM vuln_pkg_pack WHERE distro = ?1 AND release = ?2 AND package = ?3";
static const char sql_put_pack[] =
    "INSERT INTO vuln_pkg_pack (distro, release, package, rows) SELECT * FROM vuln_pkg_packed "
    "WHERE distro = ?1 AND release = ?2 AND package = ?3";
static const char sql_put_cve[] =
    "INSERT OR REPLACE INTO vuln_cve (cve, cvss, severity) VALUES (?1, ?2, ?3)";
static const char sql_put_cve_text[] =
    "INSERT OR REPLACE INTO vuln_cve_text (cve, description) VALUES (?1, ?2)";
static const char sql_cve_text[] =
    "SELECT description FROM vuln_cve_text WHERE cve = ?1";
static const char sql_put_kev[] =
    "INSERT OR REPLACE INTO vuln_kev (cve, name, date_added, due_date, ransomware, required_action) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char sql_put_epss[] =
    "INSERT OR REPLACE INTO vuln_epss (cve, epss, percentile) VALUES (?1, ?2, ?3)";
static const char sql_put_jvn[] =
    "INSERT OR REPLACE INTO vuln_jvn (jvn_id, cve, title_ja, link, published) VALUES (?1, ?2, ?3, ?4, ?5)";

static const char *
col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* NULL stays NULL: "no fixed version" differs from "". */
static void
bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

int
store_vuln_read_begin(struct db *db, bool map)
{
	/* Mapped: pages read in place from the file, no 16 KiB copy and page
	 * cache buffer per page (matching reads a few hundred, scattered).
	 * Not for the descriptions: thousands of pages spread over the text
	 * table would count as the process's memory (86 MB peak for --json). */
	if (sqlite3_exec(db->h, map ? "PRAGMA mmap_size = 268435456" : "PRAGMA mmap_size = 0",
	    NULL, NULL, NULL) != SQLITE_OK)
		return MAMORI_E_DB;
	return sqlite3_exec(db->h, "BEGIN", NULL, NULL, NULL) == SQLITE_OK ? MAMORI_OK : MAMORI_E_DB;
}

void
store_vuln_read_end(struct db *db)
{
	/* store_vuln_cve_info leaves its row readable until the next call. */
	for (sqlite3_stmt *st = sqlite3_next_stmt(db->h, NULL); st; st = sqlite3_next_stmt(db->h, st))
		sqlite3_reset(st);
	if (!sqlite3_get_autocommit(db->h))
		(void)sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL);
}

bool
store_vuln_ready(struct db *db)
{
	sqlite3_stmt *st = db_cached(db, sql_ready);
	bool ready = false;
	if (!st)
		return false;
	if (sqlite3_step(st) == SQLITE_ROW)
		ready = sqlite3_column_int(st, 0) == 7;
	sqlite3_reset(st);
	return ready;
}

static double
col_num(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_double(st, i);
}

/* One field of a packed row: 'v' and the text, or '-' for NULL, then a
 * NUL byte, so the strings are used where they lie. */
static int
pack_field(const char **p, const char *end, const char **out)
{
	const char *s = *p;
	const char *nul = s < end ? memchr(s, '\0', (size_t)(end - s)) : NULL;
	if (!nul)
		return MAMORI_E_PARSE;
	if (*s == 'v')
		*out = s + 1;
	else if (*s == '-' && nul == s + 1)
		*out = NULL;
	else
		return MAMORI_E_PARSE;
	*p = nul + 1;
	return MAMORI_OK;
}

int
store_vuln_pack_parse(const void *data, size_t len, const char *package,
    store_vuln_pkg_fn fn, void *ctx)
{
	const char *p = data, *end = p + len;
	while (p < end) {
		struct store_vuln_pkg row = { .package = package };
		const char *minor = NULL;
		int rc = pack_field(&p, end, &row.cve);
		if (!rc)
			rc = pack_field(&p, end, &row.status);
		if (!rc)
			rc = pack_field(&p, end, &row.fixed_version);
		if (!rc)
			rc = pack_field(&p, end, &row.urgency);
		if (!rc)
			rc = pack_field(&p, end, &minor);
		if (!rc)
			rc = pack_field(&p, end, &row.ranges);
		if (!rc && (!row.cve || !row.status || !minor))
			rc = MAMORI_E_PARSE;
		if (rc)
			return rc;
		row.minor = strcmp(minor, "0") != 0;
		if ((rc = fn(ctx, &row)))
			return rc;
	}
	return MAMORI_OK;
}

int
store_vuln_pkg_rows(struct db *db, const char *distro, const char *release,
    const char *package, store_vuln_pkg_fn fn, void *ctx)
{
	sqlite3_stmt *st = db_cached(db, sql_pkg_pack);
	int rc;
	if (!st)
		return MAMORI_E_DB;
	db_bind_text(st, 1, distro);
	db_bind_text(st, 2, release);
	db_bind_text(st, 3, package);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const void *data = sqlite3_column_blob(st, 0);
		int len = sqlite3_column_bytes(st, 0);
		rc = data && len > 0 ?
		    store_vuln_pack_parse(data, (size_t)len, package, fn, ctx) : MAMORI_OK;
	} else {
		rc = rc == SQLITE_DONE ? MAMORI_OK : MAMORI_E_DB;
	}
	sqlite3_reset(st);
	return rc;
}

int
store_vuln_cve_any(struct db *db, bool *any)
{
	sqlite3_stmt *st = db_cached(db, sql_cve_any);
	*any = false;
	if (!st)
		return MAMORI_E_DB;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*any = sqlite3_column_int(st, 0) != 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? MAMORI_OK : MAMORI_E_DB;
}

void
store_vuln_cve_none(struct store_vuln_cve *info)
{
	*info = (struct store_vuln_cve){ .cvss = -1, .epss = -1, .epss_percentile = -1 };
}

int
store_vuln_cve_info(struct db *db, const char *cve, struct store_vuln_cve *info)
{
	sqlite3_stmt *st = db_cached(db, sql_cve_info);
	store_vuln_cve_none(info);
	if (!st)
		return MAMORI_E_DB;
	db_bind_text(st, 1, cve);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return MAMORI_E_DB;
	}
	/* The strings stay valid until the next call: no reset here. */
	bool epss = sqlite3_column_int(st, 13) != 0;
	info->cvss = col_num(st, 0);
	info->severity = col(st, 1);
	info->kev = sqlite3_column_int(st, 12) != 0;
	info->epss = epss ? sqlite3_column_double(st, 7) : -1;
	info->epss_percentile = epss ? col_num(st, 8) : -1;
	info->jvn_id = col(st, 9);
	info->jvn_title = col(st, 10);
	info->jvn_link = col(st, 11);
	if (info->kev) {
		info->kev_name = col(st, 2);
		info->kev_date_added = col(st, 3);
		info->kev_due_date = col(st, 4);
		info->kev_ransomware = sqlite3_column_int(st, 5) != 0;
		info->kev_required_action = col(st, 6);
	}
	return MAMORI_OK;
}

int
store_vuln_has_release(struct db *db, const char *distro, const char *release,
    int64_t *count)
{
	sqlite3_stmt *st = db_cached(db, sql_pkg_count);
	*count = 0;
	if (!st)
		return MAMORI_E_DB;
	db_bind_text(st, 1, distro);
	db_bind_text(st, 2, release);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*count = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? MAMORI_OK : MAMORI_E_DB;
}

struct source_each {
	store_vuln_source_fn fn;
	void *ctx;
};

static int
source_row(sqlite3_stmt *st, void *arg)
{
	const struct source_each *e = arg;
	struct store_vuln_source s = {
		.kind = col(st, 0) ? col(st, 0) : "",
		.origin = col(st, 1) ? col(st, 1) : "",
		.feed_date = sqlite3_column_int64(st, 2),
		.imported_at = sqlite3_column_int64(st, 3),
		.records = sqlite3_column_int64(st, 4),
	};
	return e->fn(e->ctx, &s);
}

int
store_vuln_sources(struct db *db, store_vuln_source_fn fn, void *ctx)
{
	sqlite3_stmt *st = db_cached(db, sql_sources);
	struct source_each e = { fn, ctx };
	return st ? db_step_rows(st, source_row, &e) : MAMORI_E_DB;
}

int
store_vuln_scan_begin(struct db *db, const char *host_key,
    const char *hostname, int64_t started_at, const char *root,
    int64_t *scan_id, int64_t *prev_scan_id)
{
	sqlite3_stmt *st;
	int64_t host_id;
	int rc;

	*scan_id = *prev_scan_id = 0;
	if (db_begin(db) != MAMORI_OK)
		return MAMORI_E_DB;
	if (store_scan_insert(db, STORE_LOCAL_TENANT, host_key, hostname, started_at, root,
	    &host_id, scan_id) != MAMORI_OK)
		goto fail;
	if (!(st = db_cached(db, sql_scan_prev)))
		goto fail;
	sqlite3_bind_int64(st, 1, host_id);
	sqlite3_bind_int64(st, 2, *scan_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*prev_scan_id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		goto fail;
	/* The marker row: this scan checked vulnerabilities. */
	return store_vuln_scan_add(db, *scan_id, "", "", "checked") == MAMORI_OK ?
	    MAMORI_OK : (db_rollback(db), MAMORI_E_DB);
fail:
	db_rollback(db);
	return MAMORI_E_DB;
}

int
store_vuln_scan_add(struct db *db, int64_t scan_id, const char *cve,
    const char *package, const char *state)
{
	sqlite3_stmt *st = db_cached(db, sql_scan_vuln);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, scan_id);
	db_bind_text(st, 2, cve);
	db_bind_text(st, 3, package);
	db_bind_text(st, 4, state);
	return db_step_done(st);
}

int
store_vuln_scan_finish(struct db *db, int64_t scan_id, int64_t duration_ms,
    int keep)
{
	sqlite3_stmt *st = db_cached(db, sql_scan_done);
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, scan_id);
	sqlite3_bind_int64(st, 2, duration_ms);
	if (db_step_done(st) != MAMORI_OK)
		goto fail;
	if (keep > 0) {
		if (!(st = db_cached(db, sql_scan_prune)))
			goto fail;
		sqlite3_bind_int64(st, 1, scan_id);
		sqlite3_bind_int(st, 2, keep);
		if (db_step_done(st) != MAMORI_OK)
			goto fail;
	}
	if (db_commit(db) != MAMORI_OK)
		goto fail;
	return MAMORI_OK;
fail:
	db_rollback(db);
	return MAMORI_E_DB;
}

void
store_vuln_scan_abort(struct db *db)
{
	db_rollback(db);
}

struct diff_each {
	enum store_vuln_change kind;
	store_vuln_diff_fn fn;
	void *ctx;
};

static int
diff_row(sqlite3_stmt *st, void *arg)
{
	const struct diff_each *e = arg;
	return e->fn(e->ctx, e->kind, col(st, 0) ? col(st, 0) : "", col(st, 1) ? col(st, 1) : "",
	    col(st, 2) ? col(st, 2) : "");
}

static int
run_diff(struct db *db, const char *sql, enum store_vuln_change kind,
    int64_t scan_id, int64_t prev_scan_id, store_vuln_diff_fn fn, void *ctx)
{
	sqlite3_stmt *st = db_cached(db, sql);
	struct diff_each e = { kind, fn, ctx };
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, scan_id);
	sqlite3_bind_int64(st, 2, prev_scan_id);
	return db_step_rows(st, diff_row, &e);
}

int
store_vuln_scan_diff(struct db *db, int64_t scan_id, int64_t prev_scan_id,
    store_vuln_diff_fn fn, void *ctx)
{
	if (prev_scan_id == 0)
		return MAMORI_OK;
	int rc = run_diff(db, sql_diff_new, STORE_VULN_NEW, scan_id, prev_scan_id, fn, ctx);
	if (!rc)
		rc = run_diff(db, sql_diff_fixed, STORE_VULN_FIXED, scan_id, prev_scan_id, fn, ctx);
	return rc;
}

struct month_arg {
	store_vuln_month_fn fn;
	void *ctx;
};

static int
month_row(sqlite3_stmt *st, void *arg)
{
	struct month_arg *m = arg;
	return m->fn(m->ctx, col(st, 0) ? col(st, 0) : "", sqlite3_column_int64(st, 1),
	    sqlite3_column_int64(st, 2));
}

int
store_vuln_month_scans(struct db *db, int64_t tenant_id, int64_t from, int64_t to, int limit,
    store_vuln_month_fn fn, void *ctx)
{
	sqlite3_stmt *st = db_cached(db, sql_month_scans);
	if (!st)
		return MAMORI_E_DB;
	db_bind_period(st, tenant_id, from, to, limit);
	struct month_arg m = { fn, ctx };
	return db_step_rows(st, month_row, &m);
}

int
store_vuln_put_source(struct db *db, const char *kind, const char *origin,
    int64_t feed_date, int64_t imported_at, int64_t records)
{
	sqlite3_stmt *st = db_cached(db, sql_put_source);
	if (!st)
		return MAMORI_E_DB;
	db_bind_text(st, 1, kind);
	db_bind_text(st, 2, origin);
	if (feed_date)
		sqlite3_bind_int64(st, 3, feed_date);
	else
		sqlite3_bind_null(st, 3);
	sqlite3_bind_int64(st, 4, imported_at);
	sqlite3_bind_int64(st, 5, records);
	return db_step_done(st);
}

int
store_vuln_put_pkg(struct db *db, const char *kind, const char *distro,
    const char *release, const struct store_vuln_pkg *row)
{
	sqlite3_stmt *st = db_cached(db, sql_put_pkg);
	if (!st)
		return MAMORI_E_DB;
	db_bind_text(st, 1, kind);
	db_bind_text(st, 2, distro);
	db_bind_text(st, 3, release);
	db_bind_text(st, 4, row->package);
	db_bind_text(st, 5, row->cve);
	db_bind_text(st, 6, row->status);
	bind_opt(st, 7, row->fixed_version);
	bind_opt(st, 8, row->urgency);
	sqlite3_bind_int(st, 9, row->minor);
	bind_opt(st, 10, row->ranges);
	int rc = db_step_done(st);
	const char *const repack[] = { sql_put_unpack, sql_put_pack };
	for (size_t i = 0; i < 2 && rc == MAMORI_OK; i++) {
		if (!(st = db_cached(db, repack[i])))
			return MAMORI_E_DB;
		db_bind_text(st, 1, distro);
		db_bind_text(st, 2, release);
		db_bind_text(st, 3, row->package);
		rc = db_step_done(st);
	}
	return rc;
}

int
store_vuln_put_cve(struct db *db, const char *cve, const char *description,
    double cvss, const char *severity)
{
	sqlite3_stmt *st = db_cached(db, sql_put_cve_text);
	int rc;
	if (!st)
		return MAMORI_E_DB;
	db_bind_text(st, 1, cve);
	bind_opt(st, 2, description);
	if ((rc = db_step_done(st)) != MAMORI_OK)
		return rc;
	if (cvss < 0 && !severity)
		return MAMORI_OK;
	if (!(st = db_cached(db, sql_put_cve)))
		return MAMORI_E_DB;
	db_bind_text(st, 1, cve);
	if (cvss >= 0)
		sqlite3_bind_double(st, 2, cvss);
	else
		sqlite3_bind_null(st, 2);
	bind_opt(st, 3, severity);
	return db_step_done(st);
}

int
store_vuln_cve_text(struct db *db, const char *cve, struct arena *a, const char **out)
{
	sqlite3_stmt *st = db_cached(db, sql_cve_text);
	*out = NULL;
	if (!st)
		return MAMORI_E_DB;
	db_bind_text(st, 1, cve);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && col(st, 0) && !(*out = arena_strdup(a, col(st, 0)))) {
		sqlite3_reset(st);
		return MAMORI_E_NOMEM;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? MAMORI_OK : MAMORI_E_DB;
}

int
store_vuln_put_kev(struct db *db, const char *cve, const char *name,
    const char *date_added, const char *due_date, bool ransomware,
    const char *required_action)
{
	sqlite3_stmt *st = db_cached(db, sql_put_kev);
	if (!st)
		return MAMORI_E_DB;
	db_bind_text(st, 1, cve);
	bind_opt(st, 2, name);
	bind_opt(st, 3, date_added);
	bind_opt(st, 4, due_date);
	sqlite3_bind_int(st, 5, ransomware);
	bind_opt(st, 6, required_action);
	return db_step_done(st);
}

int
store_vuln_put_epss(struct db *db, const char *cve, double epss,
    double percentile)
{
	sqlite3_stmt *st = db_cached(db, sql_put_epss);
	if (!st)
		return MAMORI_E_DB;
	db_bind_text(st, 1, cve);
	sqlite3_bind_double(st, 2, epss);
	if (percentile >= 0)
		sqlite3_bind_double(st, 3, percentile);
	else
		sqlite3_bind_null(st, 3);
	return db_step_done(st);
}

int
store_vuln_put_jvn(struct db *db, const char *jvn_id, const char *cve,
    const char *title_ja, const char *link, const char *published)
{
	sqlite3_stmt *st = db_cached(db, sql_put_jvn);
	if (!st)
		return MAMORI_E_DB;
	db_bind_text(st, 1, jvn_id);
	db_bind_text(st, 2, cve);
	bind_opt(st, 3, title_ja);
	bind_opt(st, 4, link);
	bind_opt(st, 5, published);
	return db_step_done(st);
}
