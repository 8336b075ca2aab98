#include "storage/store_assess.h"

#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "storage/db_internal.h"

static const char sql_manual[] =
    "SELECT a.item_no, a.answer, a.answered_at FROM assessment_answers a "
    "WHERE a.tenant_id = ?9 AND a.id = (SELECT max(b.id) FROM assessment_answers b "
    "WHERE b.tenant_id = ?9 AND b.item_no = a.item_no)";
static const char sql_snap_insert[] =
    "INSERT INTO assessments (tenant_id, created_at, scan_id, total, answered, band, doc_json) "
    "VALUES (?9, ?1, ?2, ?3, ?4, ?5, ?6)";
static const char sql_answer_insert[] =
    "INSERT INTO assessment_answers (tenant_id, assessment_id, item_no, answer, answered_at, answered_by) "
    "VALUES (?9, ?1, ?2, ?3, ?4, ?5)";
static const char sql_history[] =
    "SELECT id, created_at, scan_id, total, answered, band FROM assessments "
    "WHERE tenant_id = ?9 ORDER BY created_at, id";
static const char sql_before[] =
    "SELECT id, created_at, scan_id, total, answered, band, doc_json FROM assessments "
    "WHERE tenant_id = ?9 AND created_at < ?1 ORDER BY created_at DESC, id DESC LIMIT 1";
static const char sql_policy_get[] =
    "SELECT drafted_at, draft_path, published_at, published_where FROM security_policy "
    "WHERE tenant_id = ?9";
static const char sql_policy_drafted[] =
    "INSERT INTO security_policy (tenant_id, drafted_at, draft_path) VALUES (?9, ?1, ?2) "
    "ON CONFLICT (tenant_id) DO UPDATE SET drafted_at = ?1, draft_path = ?2";
static const char sql_policy_published[] =
    "INSERT INTO security_policy (tenant_id, published_at, published_where) VALUES (?9, ?1, ?2) "
    "ON CONFLICT (tenant_id) DO UPDATE SET published_at = ?1, published_where = ?2";
/* The newest scan per host by its start time (tests and imports may store
 * scans out of order, so not by id). */
static const char sql_latest[] =
    "SELECT s.id, h.id, h.hostname, s.started_at, coalesce(s.score, -1), s.report_json "
    "FROM scans s JOIN hosts h ON h.id = s.host_id "
    "WHERE h.tenant_id = ?9 AND s.report_json IS NOT NULL AND s.id = "
    "(SELECT t.id FROM scans t WHERE t.host_id = s.host_id AND t.report_json IS NOT NULL "
    "AND (?1 <= 0 OR t.started_at < ?1) ORDER BY t.started_at DESC, t.id DESC LIMIT 1) "
    "ORDER BY h.hostname, h.id";
static const char sql_between[] =
    "SELECT s.id, h.id, h.hostname, s.started_at, coalesce(s.score, -1), s.report_json "
    "FROM scans s JOIN hosts h ON h.id = s.host_id "
    "WHERE h.tenant_id = ?9 AND s.report_json IS NOT NULL AND s.started_at >= ?1 "
    "AND s.started_at < ?2 ORDER BY s.started_at, s.id";

/* Months (UTC) with a stored report, newest first; a scan_summary row marks
 * a stored report without reading report_json. */
static const char sql_months[] =
    "SELECT strftime('%Y-%m', s.started_at, 'unixepoch') AS m, count(*), count(DISTINCT s.host_id) "
    "FROM scans s JOIN hosts h ON h.id = s.host_id JOIN scan_summary r ON r.scan_id = s.id "
    "WHERE h.tenant_id = ?9 GROUP BY m ORDER BY m DESC LIMIT ?1";

static const char sql_texts[] =
    "SELECT f.check_id, max(f.text_json) FROM findings f JOIN scans s ON s.id = f.scan_id "
    "JOIN hosts h ON h.id = s.host_id WHERE h.tenant_id = ?9 AND s.started_at < ?1 "
    "AND f.text_json <> 'null' GROUP BY f.check_id";

/* Every statement names its tenant as ?9. */
static sqlite3_stmt *
tenant_stmt(struct db *db, const char *sql, int64_t tenant_id)
{
	sqlite3_stmt *st = db_cached(db, sql);
	if (st)
		sqlite3_bind_int64(st, 9, tenant_id);
	return st;
}

static int
manual_row(sqlite3_stmt *st, void *arg)
{
	struct store_assess_manual *out = arg;
	int no = sqlite3_column_int(st, 0);
	/* A NULL answer means the owner handed the item back to the evidence. */
	if (no < 1 || no > STORE_ASSESS_ITEMS || sqlite3_column_type(st, 1) == SQLITE_NULL)
		return 0;
	out->have[no - 1] = true;
	out->answer[no - 1] = sqlite3_column_int(st, 1);
	out->at[no - 1] = sqlite3_column_int64(st, 2);
	return 0;
}

int
store_assess_manual_load(struct db *db, int64_t tenant_id, struct store_assess_manual *out)
{
	sqlite3_stmt *st = tenant_stmt(db, sql_manual, tenant_id);
	memset(out, 0, sizeof(*out));
	return st ? db_step_rows(st, manual_row, out) : MAMORI_E_DB;
}

int
store_assess_save(struct db *db, int64_t tenant_id, const char *by,
    const struct store_assess_change *changes, int nchanges,
    struct store_assess_snapshot *snap)
{
	sqlite3_stmt *st;
	if (db_begin(db) != MAMORI_OK)
		return MAMORI_E_DB;
	if (!(st = tenant_stmt(db, sql_snap_insert, tenant_id)))
		goto fail;
	sqlite3_bind_int64(st, 1, snap->created_at);
	if (snap->scan_id > 0)
		sqlite3_bind_int64(st, 2, snap->scan_id);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_int(st, 3, snap->total);
	sqlite3_bind_int(st, 4, snap->answered);
	sqlite3_bind_text(st, 5, snap->band ? snap->band : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, snap->doc_json ? snap->doc_json : "null", -1, SQLITE_STATIC);
	if (db_step_done(st) != MAMORI_OK)
		goto fail;
	snap->id = sqlite3_last_insert_rowid(db->h);
	for (int i = 0; i < nchanges; i++) {
		if (!(st = tenant_stmt(db, sql_answer_insert, tenant_id)))
			goto fail;
		sqlite3_bind_int64(st, 1, snap->id);
		sqlite3_bind_int(st, 2, changes[i].item_no);
		if (changes[i].cleared)
			sqlite3_bind_null(st, 3);
		else
			sqlite3_bind_int(st, 3, changes[i].answer);
		sqlite3_bind_int64(st, 4, snap->created_at);
		sqlite3_bind_text(st, 5, by ? by : "", -1, SQLITE_STATIC);
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

/* The caller's callback and context, for db_step_rows(). */
struct each {
	union {
		store_assess_snapshot_fn snap;
		store_assess_scan_fn scan;
		store_assess_text_fn text;
		store_assess_month_fn month;
	} fn;
	void *ctx;
};

/* A snapshot row; doc_json is column 6 when the query has it. */
static int
snap_row(sqlite3_stmt *st, void *arg)
{
	const struct each *e = arg;
	struct store_assess_snapshot s = {
		.id = sqlite3_column_int64(st, 0),
		.created_at = sqlite3_column_int64(st, 1),
		.scan_id = sqlite3_column_int64(st, 2),
		.total = sqlite3_column_int(st, 3),
		.answered = sqlite3_column_int(st, 4),
		.band = db_col_text(st, 5),
		.doc_json = sqlite3_column_count(st) > 6 ? db_col_text(st, 6) : NULL,
	};
	return e->fn.snap(e->ctx, &s);
}

int
store_assess_history(struct db *db, int64_t tenant_id, store_assess_snapshot_fn fn, void *ctx)
{
	sqlite3_stmt *st = tenant_stmt(db, sql_history, tenant_id);
	struct each e = { .fn.snap = fn, .ctx = ctx };
	return st ? db_step_rows(st, snap_row, &e) : MAMORI_E_DB;
}

int
store_assess_before(struct db *db, int64_t tenant_id, int64_t t, store_assess_snapshot_fn fn,
    void *ctx)
{
	sqlite3_stmt *st = tenant_stmt(db, sql_before, tenant_id);
	struct each e = { .fn.snap = fn, .ctx = ctx };
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, t);
	return db_step_first(st, snap_row, &e);
}

/* A copy of a text column, NULL for NULL; MAMORI_E_NOMEM when the copy fails. */
static int
dup_or_null(sqlite3_stmt *st, int i, char **out)
{
	*out = NULL;
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return MAMORI_OK;
	return (*out = strdup(db_col_text(st, i))) ? MAMORI_OK : MAMORI_E_NOMEM;
}

static int
policy_row(sqlite3_stmt *st, void *arg)
{
	struct store_assess_policy *out = arg;
	out->drafted_at = sqlite3_column_int64(st, 0);
	out->published_at = sqlite3_column_int64(st, 2);
	if (dup_or_null(st, 1, &out->draft_path) != MAMORI_OK ||
	    dup_or_null(st, 3, &out->published_where) != MAMORI_OK) {
		store_assess_policy_release(out);
		return MAMORI_E_NOMEM;
	}
	return MAMORI_OK;
}

int
store_assess_policy_get(struct db *db, int64_t tenant_id, struct store_assess_policy *out)
{
	sqlite3_stmt *st = tenant_stmt(db, sql_policy_get, tenant_id);
	memset(out, 0, sizeof(*out));
	if (!st)
		return MAMORI_E_DB;
	int rc = db_step_first(st, policy_row, out);
	return rc == MAMORI_E_NOTFOUND ? MAMORI_OK : rc;	/* never drafted nor published */
}

void
store_assess_policy_release(struct store_assess_policy *p)
{
	free(p->draft_path);
	free(p->published_where);
	memset(p, 0, sizeof(*p));
}

static int
policy_set(struct db *db, int64_t tenant_id, const char *sql, int64_t at, const char *text)
{
	sqlite3_stmt *st = tenant_stmt(db, sql, tenant_id);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, at);
	sqlite3_bind_text(st, 2, text ? text : "", -1, SQLITE_STATIC);
	return db_step_done(st);
}

int
store_assess_policy_drafted(struct db *db, int64_t tenant_id, int64_t at, const char *path)
{
	return policy_set(db, tenant_id, sql_policy_drafted, at, path);
}

int
store_assess_policy_published(struct db *db, int64_t tenant_id, int64_t at, const char *where)
{
	return policy_set(db, tenant_id, sql_policy_published, at, where);
}

static int
scan_row(sqlite3_stmt *st, void *arg)
{
	const struct each *e = arg;
	struct store_assess_scan s = {
		.scan_id = sqlite3_column_int64(st, 0),
		.host_id = sqlite3_column_int64(st, 1),
		.hostname = db_col_text(st, 2),
		.started_at = sqlite3_column_int64(st, 3),
		.score = sqlite3_column_int(st, 4),
		.report_json = db_col_text(st, 5),
	};
	return e->fn.scan(e->ctx, &s);
}

int
store_assess_latest_scans(struct db *db, int64_t tenant_id, int64_t before, store_assess_scan_fn fn,
    void *ctx)
{
	sqlite3_stmt *st = tenant_stmt(db, sql_latest, tenant_id);
	struct each e = { .fn.scan = fn, .ctx = ctx };
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, before);
	return db_step_rows(st, scan_row, &e);
}

int
store_assess_scans_between(struct db *db, int64_t tenant_id, int64_t from, int64_t to,
    store_assess_scan_fn fn, void *ctx)
{
	sqlite3_stmt *st = tenant_stmt(db, sql_between, tenant_id);
	struct each e = { .fn.scan = fn, .ctx = ctx };
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	return db_step_rows(st, scan_row, &e);
}

static int
text_row(sqlite3_stmt *st, void *arg)
{
	const struct each *e = arg;
	return e->fn.text(e->ctx, db_col_text(st, 0), db_col_text(st, 1));
}

int
store_assess_finding_texts(struct db *db, int64_t tenant_id, int64_t before,
    store_assess_text_fn fn, void *ctx)
{
	sqlite3_stmt *st = tenant_stmt(db, sql_texts, tenant_id);
	struct each e = { .fn.text = fn, .ctx = ctx };
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, before);
	return db_step_rows(st, text_row, &e);
}

static int
month_row(sqlite3_stmt *st, void *arg)
{
	const struct each *e = arg;
	return e->fn.month(e->ctx, db_col_text(st, 0), sqlite3_column_int(st, 1),
	    sqlite3_column_int(st, 2));
}

int
store_assess_scan_months(struct db *db, int64_t tenant_id, int limit, store_assess_month_fn fn,
    void *ctx)
{
	sqlite3_stmt *st = tenant_stmt(db, sql_months, tenant_id);
	struct each e = { .fn.month = fn, .ctx = ctx };
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int(st, 1, limit);
	return db_step_rows(st, month_row, &e);
}
