#include "storage/store_manager.h"

#include "common/err.h"
#include "storage/db_internal.h"

/* The newest scan with a report per host, by start time then id (imports
 * may store scans out of order). */
#define LATEST_SCAN \
    "(SELECT t.id FROM scans t WHERE t.host_id = h.id AND t.report_json IS NOT NULL " \
    "ORDER BY t.started_at DESC, t.id DESC LIMIT 1)"

static const char sql_hosts[] =
    "SELECT h.id, h.hostname, h.first_seen, h.last_seen, coalesce(s.id, 0), "
    "coalesce(s.score, -1) FROM hosts h LEFT JOIN scans s ON s.id = " LATEST_SCAN
    " WHERE h.tenant_id = ?1 ORDER BY h.hostname, h.id";
static const char sql_latest[] =
    "SELECT s.id, h.id, h.hostname, s.started_at, s.duration_ms, coalesce(s.score, -1), "
    "s.report_json FROM hosts h JOIN scans s ON s.id = " LATEST_SCAN
    " WHERE h.tenant_id = ?1 ORDER BY h.hostname, h.id";
static const char sql_scan[] =
    "SELECT s.id, h.id, h.hostname, s.started_at, s.duration_ms, coalesce(s.score, -1), "
    "coalesce(s.report_json, 'null') FROM scans s JOIN hosts h ON h.id = s.host_id "
    "WHERE h.tenant_id = ?1 AND s.id = ?2";
static const char sql_findings[] =
    "SELECT f.scan_id, h.id, h.hostname, f.check_id, f.kajo, f.severity, f.title, "
    "f.detail, f.action, f.evidence_json FROM hosts h "
    "JOIN findings f ON f.scan_id = " LATEST_SCAN
    " WHERE h.tenant_id = ?1 ORDER BY CASE f.severity WHEN 'critical' THEN 0 "
    "WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END, "
    "h.hostname, f.id";
static const char sql_host_count[] = "SELECT count(*) FROM hosts";

/* The caller's callback, whichever kind of row it takes. */
struct cb {
	store_mgr_host_fn host;
	store_mgr_scan_fn scan;
	store_mgr_finding_fn finding;
	void *ctx;
};

/* Steps to the end, stopping early on a callback's non-zero return. */
static int
walk(sqlite3_stmt *st, int (*row)(sqlite3_stmt *, const struct cb *),
    const struct cb *cb, int *nrows)
{
	int rc, ret = MAMORI_OK;
	*nrows = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		(*nrows)++;
		if ((ret = row(st, cb)) != 0)
			break;
	}
	if (ret == MAMORI_OK && rc != SQLITE_DONE)
		ret = MAMORI_E_DB;
	sqlite3_reset(st);
	return ret;
}

static int
row_host(sqlite3_stmt *st, const struct cb *cb)
{
	struct store_mgr_host h = {
		.id = sqlite3_column_int64(st, 0),
		.hostname = db_col_text(st, 1),
		.first_seen = sqlite3_column_int64(st, 2),
		.last_seen = sqlite3_column_int64(st, 3),
		.last_scan_id = sqlite3_column_int64(st, 4),
		.score = sqlite3_column_int(st, 5),
	};
	return cb->host(cb->ctx, &h);
}

static int
row_scan(sqlite3_stmt *st, const struct cb *cb)
{
	struct store_mgr_scan s = {
		.scan_id = sqlite3_column_int64(st, 0),
		.host_id = sqlite3_column_int64(st, 1),
		.hostname = db_col_text(st, 2),
		.started_at = sqlite3_column_int64(st, 3),
		.duration_ms = sqlite3_column_int64(st, 4),
		.score = sqlite3_column_int(st, 5),
		.report_json = db_col_text(st, 6),
	};
	return cb->scan(cb->ctx, &s);
}

static int
row_finding(sqlite3_stmt *st, const struct cb *cb)
{
	struct store_mgr_finding f = {
		.scan_id = sqlite3_column_int64(st, 0),
		.host_id = sqlite3_column_int64(st, 1),
		.hostname = db_col_text(st, 2),
		.check_id = db_col_text(st, 3),
		.kajo = sqlite3_column_int(st, 4),
		.severity = db_col_text(st, 5),
		.title = db_col_text(st, 6),
		.detail = db_col_text(st, 7),
		.action = db_col_text(st, 8),
		.evidence_json = db_col_text(st, 9),
	};
	return cb->finding(cb->ctx, &f);
}

int
store_manager_hosts(struct db *db, int64_t tenant_id, store_mgr_host_fn fn,
    void *ctx)
{
	sqlite3_stmt *st = db_cached(db, sql_hosts);
	int n;
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	return walk(st, row_host, &(struct cb){ .host = fn, .ctx = ctx }, &n);
}

int
store_manager_latest_scans(struct db *db, int64_t tenant_id,
    store_mgr_scan_fn fn, void *ctx)
{
	sqlite3_stmt *st = db_cached(db, sql_latest);
	int n;
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	return walk(st, row_scan, &(struct cb){ .scan = fn, .ctx = ctx }, &n);
}

int
store_manager_scan(struct db *db, int64_t tenant_id, int64_t scan_id,
    store_mgr_scan_fn fn, void *ctx)
{
	sqlite3_stmt *st = db_cached(db, sql_scan);
	int n, rc;
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_int64(st, 2, scan_id);
	rc = walk(st, row_scan, &(struct cb){ .scan = fn, .ctx = ctx }, &n);
	return rc == MAMORI_OK && n == 0 ? MAMORI_E_NOTFOUND : rc;
}

int
store_manager_findings(struct db *db, int64_t tenant_id,
    store_mgr_finding_fn fn, void *ctx)
{
	sqlite3_stmt *st = db_cached(db, sql_findings);
	int n;
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	return walk(st, row_finding, &(struct cb){ .finding = fn, .ctx = ctx }, &n);
}

int
store_manager_host_count(struct db *db, int64_t *n)
{
	sqlite3_stmt *st = db_cached(db, sql_host_count);
	int rc;
	if (!st)
		return MAMORI_E_DB;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? MAMORI_OK : MAMORI_E_DB;
}
