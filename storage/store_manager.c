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
    "coalesce(s.score, -1), coalesce(s.summary_json, 'null') FROM hosts h "
    "LEFT JOIN scans s ON s.id = " LATEST_SCAN
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
    "f.detail, f.action, f.evidence_json, f.text_json FROM hosts h "
    "JOIN findings f ON f.scan_id = " LATEST_SCAN
    " WHERE h.tenant_id = ?1 ORDER BY CASE f.severity WHEN 'critical' THEN 0 "
    "WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END, "
    "h.hostname, f.id";
static const char sql_host_count[] = "SELECT count(*) FROM hosts";
static const char sql_trend[] =
    "SELECT s.id, h.id, h.hostname, s.started_at, s.score FROM scans s "
    "JOIN hosts h ON h.id = s.host_id WHERE h.tenant_id = ?1 "
    "AND s.report_json IS NOT NULL AND s.score IS NOT NULL "
    "ORDER BY s.started_at DESC, s.id DESC LIMIT ?2";

/* The marker row (cve '') says the scan checked vulnerabilities. */
static const char sql_vulns[] =
    "WITH latest AS (SELECT h.id AS host_id, h.hostname AS hostname, "
    "(SELECT s.id FROM scans s WHERE s.host_id = h.id AND EXISTS (SELECT 1 FROM scan_vulns m "
    "WHERE m.scan_id = s.id AND m.cve = '' AND m.state = 'checked') "
    "ORDER BY s.started_at DESC, s.id DESC LIMIT 1) AS scan_id FROM hosts h WHERE h.tenant_id = ?1) "
    "SELECT l.host_id, l.scan_id, l.hostname, s.started_at, v.cve, v.package, v.state, "
    "c.description, coalesce(c.cvss, -1), c.severity, k.cve IS NOT NULL, coalesce(k.ransomware, 0), "
    "k.due_date, k.required_action, coalesce(e.epss, -1), "
    "(SELECT j.title_ja FROM vuln_jvn j WHERE j.cve = v.cve ORDER BY j.jvn_id DESC LIMIT 1) "
    "FROM latest l JOIN scans s ON s.id = l.scan_id "
    "JOIN scan_vulns v ON v.scan_id = l.scan_id AND v.cve <> '' "
    "LEFT JOIN vuln_cve c ON c.cve = v.cve LEFT JOIN vuln_kev k ON k.cve = v.cve "
    "LEFT JOIN vuln_epss e ON e.cve = v.cve "
    "ORDER BY k.cve IS NULL, CASE v.state WHEN 'fixable' THEN 0 WHEN 'unfixed' THEN 1 ELSE 2 END, "
    "coalesce(e.epss, -1) DESC, coalesce(c.cvss, -1) DESC, v.cve, l.hostname, v.package";
static const char sql_vuln_hosts[] =
    "SELECT count(DISTINCT s.host_id) FROM scans s JOIN hosts h ON h.id = s.host_id "
    "JOIN scan_vulns m ON m.scan_id = s.id AND m.cve = '' AND m.state = 'checked' "
    "WHERE h.tenant_id = ?1";
static const char sql_users[] =
    "SELECT u.id, u.name, u.role, u.created_at, coalesce(max(s.last_seen), 0) FROM users u "
    "LEFT JOIN sessions s ON s.user_id = u.id WHERE u.tenant_id = ?1 "
    "GROUP BY u.id ORDER BY u.name";


/* The caller's callback, whichever kind of row it takes. */
struct cb {
	store_mgr_host_fn host;
	store_mgr_scan_fn scan;
	store_mgr_finding_fn finding;
	store_mgr_point_fn point;
	store_mgr_vuln_fn vuln;
	store_mgr_user_fn user;
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
		.summary_json = db_col_text(st, 6),
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
		.text_json = db_col_text(st, 10),
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

/* One count(*) row. */
static int
count_of(sqlite3_stmt *st, int64_t *n)
{
	int rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? MAMORI_OK : MAMORI_E_DB;
}

int
store_manager_host_count(struct db *db, int64_t *n)
{
	sqlite3_stmt *st = db_cached(db, sql_host_count);
	*n = 0;
	return st ? count_of(st, n) : MAMORI_E_DB;
}

static int
row_point(sqlite3_stmt *st, const struct cb *cb)
{
	struct store_mgr_point p = {
		.scan_id = sqlite3_column_int64(st, 0),
		.host_id = sqlite3_column_int64(st, 1),
		.hostname = db_col_text(st, 2),
		.started_at = sqlite3_column_int64(st, 3),
		.score = sqlite3_column_int(st, 4),
	};
	return cb->point(cb->ctx, &p);
}

int
store_manager_trend(struct db *db, int64_t tenant_id, int limit,
    store_mgr_point_fn fn, void *ctx)
{
	sqlite3_stmt *st = db_cached(db, sql_trend);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_int(st, 2, limit);
	int n;
	return walk(st, row_point, &(struct cb){ .point = fn, .ctx = ctx }, &n);
}

static const char *
text_or_null(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NULL : db_col_text(st, i);
}

static int
row_vuln(sqlite3_stmt *st, const struct cb *cb)
{
	struct store_mgr_vuln v = {
		.host_id = sqlite3_column_int64(st, 0),
		.scan_id = sqlite3_column_int64(st, 1),
		.hostname = db_col_text(st, 2),
		.checked_at = sqlite3_column_int64(st, 3),
		.cve = db_col_text(st, 4),
		.package = db_col_text(st, 5),
		.state = db_col_text(st, 6),
		.description = text_or_null(st, 7),
		.cvss = sqlite3_column_double(st, 8),
		.severity = text_or_null(st, 9),
		.kev = sqlite3_column_int(st, 10) != 0,
		.kev_ransomware = sqlite3_column_int(st, 11) != 0,
		.kev_due_date = text_or_null(st, 12),
		.kev_required_action = text_or_null(st, 13),
		.epss = sqlite3_column_double(st, 14),
		.jvn_title_ja = text_or_null(st, 15),
	};
	return cb->vuln(cb->ctx, &v);
}

int
store_manager_vulns(struct db *db, int64_t tenant_id, store_mgr_vuln_fn fn,
    void *ctx)
{
	sqlite3_stmt *st = db_cached(db, sql_vulns);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	int n;
	return walk(st, row_vuln, &(struct cb){ .vuln = fn, .ctx = ctx }, &n);
}

int
store_manager_vuln_hosts(struct db *db, int64_t tenant_id, int64_t *n)
{
	sqlite3_stmt *st = db_cached(db, sql_vuln_hosts);
	*n = 0;
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	return count_of(st, n);
}

static int
row_user(sqlite3_stmt *st, const struct cb *cb)
{
	struct store_mgr_user u = {
		.id = sqlite3_column_int64(st, 0),
		.name = db_col_text(st, 1),
		.role = db_col_text(st, 2),
		.created_at = sqlite3_column_int64(st, 3),
		.last_seen = sqlite3_column_int64(st, 4),
	};
	return cb->user(cb->ctx, &u);
}

int
store_manager_users(struct db *db, int64_t tenant_id, store_mgr_user_fn fn,
    void *ctx)
{
	sqlite3_stmt *st = db_cached(db, sql_users);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	int n;
	return walk(st, row_user, &(struct cb){ .user = fn, .ctx = ctx }, &n);
}
