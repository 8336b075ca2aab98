#include "storage/store_manager.h"

#include <string.h>

#include "common/err.h"
#include "storage/db_internal.h"

/* The newest scan with a report per host, by start time then id (imports
 * may store scans out of order). A report has its scan_summary row (kept by
 * triggers, migration 0014): testing report_json itself reads ~300 KB. */
#define LATEST_SCAN \
    "(SELECT t.id FROM scans t WHERE t.host_id = h.id AND EXISTS (SELECT 1 FROM scan_summary r " \
    "WHERE r.scan_id = t.id) ORDER BY t.started_at DESC, t.id DESC LIMIT 1)"

/* findings: how many findings the latest scan has per basic (kajo), so the
 * overview need not download every finding to count them. */
static const char sql_hosts[] =
    "SELECT h.id, h.hostname, h.first_seen, h.last_seen, coalesce(s.id, 0), "
    "coalesce(s.score, -1), coalesce(m.summary_json, 'null'), "
    "(SELECT json_group_object(k.kajo, k.n) FROM (SELECT kajo, count(*) AS n FROM findings "
    "WHERE scan_id = s.id GROUP BY kajo) k) FROM hosts h "
    "LEFT JOIN scans s ON s.id = " LATEST_SCAN " LEFT JOIN scan_summary m ON m.scan_id = s.id"
    " WHERE h.tenant_id = ?1 ORDER BY h.hostname, h.id";
static const char sql_latest[] =
    "SELECT s.id, h.id, h.hostname, s.started_at, s.duration_ms, coalesce(s.score, -1), "
    "s.report_json FROM hosts h JOIN scans s ON s.id = " LATEST_SCAN
    " WHERE h.tenant_id = ?1 ORDER BY h.hostname, h.id";
static const char sql_scan[] =
    "SELECT s.id, h.id, h.hostname, s.started_at, s.duration_ms, coalesce(s.score, -1), "
    "coalesce(s.report_json, 'null') FROM scans s JOIN hosts h ON h.id = s.host_id "
    "WHERE h.tenant_id = ?1 AND s.id = ?2";
/* The latest scan ids first (materialized): evaluated per finding row, the
 * subquery ran once per row of findings. ?2: one host (0: all); ?3/?4: the
 * page; ?5: with evidence (the largest column, which the pages never show). */
static const char sql_findings[] =
    "WITH l AS MATERIALIZED (SELECT h.id AS host_id, h.hostname AS hostname, " LATEST_SCAN
    " AS scan_id FROM hosts h WHERE h.tenant_id = ?1 AND (?2 = 0 OR h.id = ?2)), "
    /* The page is picked on the sort keys alone; the texts are read for its rows only. */
    "top AS MATERIALIZED (SELECT f.id AS fid, l.host_id, l.hostname, CASE f.severity WHEN 'critical' THEN 0 "
    "WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END AS sev "
    "FROM l JOIN findings f ON f.scan_id = l.scan_id ORDER BY sev, l.hostname, f.id "
    "LIMIT ?3 OFFSET ?4) "
    "SELECT f.scan_id, t.host_id, t.hostname, f.check_id, f.kajo, f.severity, f.title, "
    "f.detail, f.action, CASE WHEN ?5 THEN f.evidence_json ELSE 'null' END, f.text_json "
    "FROM top t JOIN findings f ON f.id = t.fid ORDER BY t.sev, t.hostname, f.id";
static const char sql_host_count[] = "SELECT count(*) FROM hosts";
static const char sql_trend[] =
    "SELECT s.id, h.id, h.hostname, s.started_at, s.score FROM scans s "
    "JOIN hosts h ON h.id = s.host_id JOIN scan_summary r ON r.scan_id = s.id "
    "WHERE h.tenant_id = ?1 AND s.score IS NOT NULL "
    "ORDER BY s.started_at DESC, s.id DESC LIMIT ?2";

/* Each host's newest scan that checked vulnerabilities: the marker row
 * (cve '') says so. Materialized: inlined, it ran once per vulnerability. */
#define VULN_LATEST \
    "WITH latest AS MATERIALIZED (SELECT h.id AS host_id, h.hostname AS hostname, " \
    "(SELECT s.id FROM scans s WHERE s.host_id = h.id AND EXISTS (SELECT 1 FROM scan_vulns m " \
    "WHERE m.scan_id = s.id AND m.cve = '' AND m.state = 'checked') " \
    "ORDER BY s.started_at DESC, s.id DESC LIMIT 1) AS scan_id FROM hosts h WHERE h.tenant_id = ?1) "
/* The chosen rows with their texts, in fix-first order. */
#define VULN_TOP_ROWS \
    "SELECT t.host_id, t.scan_id, t.hostname, s.started_at, v.cve, v.package, v.state, " \
    "d.description, t.cvss, c.severity, t.kev, coalesce(k.ransomware, 0), k.due_date, " \
    "k.required_action, t.epss, " \
    "(SELECT j.title_ja FROM vuln_jvn j WHERE j.cve = v.cve ORDER BY j.jvn_id DESC LIMIT 1) " \
    "FROM top t JOIN scan_vulns v ON v.rowid = t.vid JOIN scans s ON s.id = t.scan_id " \
    "LEFT JOIN vuln_cve c ON c.cve = v.cve LEFT JOIN vuln_cve_text d ON d.cve = v.cve " \
    "LEFT JOIN vuln_kev k ON k.cve = v.cve " \
    "ORDER BY t.kev DESC, t.st, t.epss DESC, t.cvss DESC, v.cve, t.hostname, v.package"
/* The first ?2 in fix-first order are picked on their sort keys alone; the
 * texts (description, KEV action, JVN title) are read for those rows only. */
static const char sql_vulns[] =
    VULN_LATEST ", top AS (SELECT l.host_id, l.hostname, l.scan_id, v.rowid AS vid, "
    "k.cve IS NOT NULL AS kev, CASE v.state WHEN 'fixable' THEN 0 WHEN 'unfixed' THEN 1 ELSE 2 END AS st, "
    "coalesce(e.epss, -1) AS epss, coalesce(c.cvss, -1) AS cvss "
    "FROM latest l JOIN scan_vulns v ON v.scan_id = l.scan_id AND v.cve <> '' "
    "LEFT JOIN vuln_cve c ON c.cve = v.cve LEFT JOIN vuln_kev k ON k.cve = v.cve "
    "LEFT JOIN vuln_epss e ON e.cve = v.cve "
    "ORDER BY kev DESC, st, epss DESC, cvss DESC, v.cve, l.hostname, v.package LIMIT ?2) "
    VULN_TOP_ROWS;
/* When the newest scans hold at least ?2 known exploited rows, the first ?2
 * are all among them (KEV sorts first): sort those few, not every row. */
static const char sql_vulns_kev[] =
    VULN_LATEST ", top AS (SELECT l.host_id, l.hostname, l.scan_id, v.rowid AS vid, "
    "1 AS kev, CASE v.state WHEN 'fixable' THEN 0 WHEN 'unfixed' THEN 1 ELSE 2 END AS st, "
    "coalesce(e.epss, -1) AS epss, coalesce(c.cvss, -1) AS cvss "
    "FROM latest l JOIN scan_vulns v ON v.scan_id = l.scan_id AND v.cve <> '' "
    "JOIN vuln_kev k ON k.cve = v.cve LEFT JOIN vuln_cve c ON c.cve = v.cve "
    "LEFT JOIN vuln_epss e ON e.cve = v.cve "
    "ORDER BY st, epss DESC, cvss DESC, v.cve, l.hostname, v.package LIMIT ?2) "
    VULN_TOP_ROWS;
/* Kept per scan by migration 0021's triggers. */
static const char sql_vuln_counts[] =
    VULN_LATEST "SELECT count(l.scan_id), coalesce(sum(n.total), 0), coalesce(sum(n.kev), 0), "
    "coalesce(sum(n.fixable), 0) FROM latest l LEFT JOIN scan_vuln_counts n ON n.scan_id = l.scan_id";
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
		.findings_json = sqlite3_column_type(st, 7) == SQLITE_NULL ? "{}" : db_col_text(st, 7),
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
store_manager_findings(struct db *db, int64_t tenant_id, const struct store_mgr_findings_query *q,
    store_mgr_finding_fn fn, void *ctx)
{
	sqlite3_stmt *st = db_cached(db, sql_findings);
	int n;
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_int64(st, 2, q->host_id);
	sqlite3_bind_int64(st, 3, q->limit);
	sqlite3_bind_int64(st, 4, q->offset);
	sqlite3_bind_int(st, 5, q->evidence);
	return walk(st, row_finding, &(struct cb){ .finding = fn, .ctx = ctx }, &n);
}

int
store_manager_host_count(struct db *db, int64_t *n)
{
	sqlite3_stmt *st = db_cached(db, sql_host_count);
	*n = 0;
	return st ? db_step_int64(st, n) : MAMORI_E_DB;
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
store_manager_vulns(struct db *db, int64_t tenant_id, int limit, int64_t kev_rows,
    store_mgr_vuln_fn fn, void *ctx)
{
	sqlite3_stmt *st = db_cached(db, kev_rows >= limit ? sql_vulns_kev : sql_vulns);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_int(st, 2, limit);
	int n;
	return walk(st, row_vuln, &(struct cb){ .vuln = fn, .ctx = ctx }, &n);
}

int
store_manager_vuln_counts(struct db *db, int64_t tenant_id, struct store_mgr_vuln_counts *out)
{
	sqlite3_stmt *st = db_cached(db, sql_vuln_counts);
	int rc;
	memset(out, 0, sizeof(*out));
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->hosts_checked = sqlite3_column_int64(st, 0);
		out->total = sqlite3_column_int64(st, 1);
		out->kev = sqlite3_column_int64(st, 2);
		out->fixable = sqlite3_column_int64(st, 3);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? MAMORI_OK : MAMORI_E_DB;
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
