#include "storage/store_intake.h"

#include "common/err.h"
#include "storage/db_internal.h"
#include "storage/store_alert.h"
#include "storage/store_scan.h"

static const char sql_state[] =
    "SELECT acked_seq, revoked_at FROM agents WHERE id = ?1";
static const char sql_event[] =
    "INSERT INTO events (tenant_id, agent_id, seq, kind, ts, received_at, body) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (agent_id, seq) DO NOTHING";
static const char sql_update[] =
    "UPDATE agents SET acked_seq = ?2, last_seen = ?3, spool_records = ?4, "
    "spool_bytes = ?5, gaps = gaps + ?6 WHERE id = ?1";
static const char sql_count[] =
    "SELECT count(*), coalesce(max(seq), 0) FROM events WHERE agent_id = ?1";

int
store_intake_durable(struct db *db)
{
	return sqlite3_exec(db->h, "PRAGMA synchronous = FULL", NULL, NULL, NULL) == SQLITE_OK ?
	    MAMORI_OK : MAMORI_E_DB;
}

/* A scan an agent sent becomes a scan of its host, like a local one, in
 * the agent's tenant. */
static int
store_scan_event(struct db *db, int64_t tenant_id, const struct store_intake_scan *sc, int keep)
{
	struct store_scan s = { .db = db };
	if (store_scan_insert(db, tenant_id, sc->host_key, sc->hostname, sc->started_at, sc->root,
	    &s.host_id, &s.scan_id) != MAMORI_OK)
		return MAMORI_E_DB;
	for (size_t i = 0; i < sc->nfindings; i++) {
		const struct store_intake_finding *f = &sc->findings[i];
		if (store_scan_add_finding(&s, f->check_id, f->kajo, f->severity, f->title,
		    f->detail, f->action, f->evidence_json, NULL) != MAMORI_OK)
			return MAMORI_E_DB;
	}
	return store_scan_attach(&s, sc->report_json, sc->score, sc->duration_ms, keep);
}

static int
fail_code(struct db *db)
{
	return (sqlite3_extended_errcode(db->h) & 0xff) == SQLITE_FULL ? MAMORI_E_LIMIT : MAMORI_E_DB;
}

static int
exec_sql(struct db *db, const char *sql)
{
	return sqlite3_exec(db->h, sql, NULL, NULL, NULL) == SQLITE_OK ? MAMORI_OK : fail_code(db);
}

int
store_intake_group_begin(struct db *db)
{
	return db_begin(db) == MAMORI_OK ? MAMORI_OK : fail_code(db);
}

int
store_intake_group_commit(struct db *db)
{
	if (db_commit(db) == MAMORI_OK)
		return MAMORI_OK;
	int rc = fail_code(db);
	db_rollback(db);
	return rc;
}

void
store_intake_group_abort(struct db *db)
{
	db_rollback(db);
}

int
store_intake_apply(struct db *db, const struct store_agent *a, int64_t floor,
    int64_t spool_records, int64_t spool_bytes, const struct store_intake_event *ev,
    size_t n, int64_t now, int history_keep, struct store_intake_result *out)
{
	sqlite3_stmt *st;
	int64_t have, cur, gaps = 0;
	int rc = MAMORI_E_DB;

	*out = (struct store_intake_result){ 0 };
	/* A savepoint per batch: one refused batch leaves the others of the group. */
	if ((rc = exec_sql(db, "SAVEPOINT intake_batch")) != MAMORI_OK)
		return rc;
	rc = MAMORI_E_DB;
	/* Read inside the write transaction: two batches of one agent cannot race. */
	if (!(st = db_cached(db, sql_state)))
		goto out;
	sqlite3_bind_int64(st, 1, a->id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		goto out;
	}
	have = sqlite3_column_int64(st, 0);
	bool revoked = sqlite3_column_type(st, 1) != SQLITE_NULL;
	sqlite3_reset(st);
	if (revoked) {
		rc = MAMORI_E_PERM;
		goto out;
	}
	cur = have;
	if (floor - 1 > cur)
		cur = floor - 1;

	if (!(st = db_cached(db, sql_event)))
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct store_intake_event *e = &ev[i];
		if (e->seq <= have) {
			out->duplicates++;	/* acknowledged before: no lookup needed */
			continue;
		}
		sqlite3_bind_int64(st, 1, a->tenant_id);
		sqlite3_bind_int64(st, 2, a->id);
		sqlite3_bind_int64(st, 3, e->seq);
		db_bind_text(st, 4, e->kind);
		sqlite3_bind_int64(st, 5, e->ts);
		sqlite3_bind_int64(st, 6, now);
		sqlite3_bind_text(st, 7, e->body, (int)e->body_len, SQLITE_STATIC);
		if (db_step_done(st) != MAMORI_OK) {
			rc = fail_code(db);
			goto out;
		}
		if (sqlite3_changes(db->h) == 0) {
			out->duplicates++;
		} else {
			out->stored++;
			gaps += e->dropped;
			if (e->alert_json) {
				int64_t aid;
				bool is_new;
				struct store_alert_in in = { .tenant_id = a->tenant_id, .source = "agent",
					.host_name = a->hostname, .now_ms = e->ts * 1000 };
				int ar = store_alert_record_json(db, &in, e->alert_json, e->alert_len, &aid,
				    &is_new);
				if (ar == MAMORI_E_DB || ar == MAMORI_E_NOMEM) {
					rc = ar == MAMORI_E_DB ? fail_code(db) : ar;
					goto out;
				}
				/* A line that is not an alert stays an event: it must not block the queue. */
				if (ar == MAMORI_OK)
					out->alerts++;
				else
					out->not_alerts++;
			}
			if (e->apply) {
				int ar = e->apply(e->apply_arg, db, e);
				if (ar != MAMORI_OK && ar != MAMORI_E_PARSE) {
					rc = ar == MAMORI_E_DB ? fail_code(db) : ar;
					goto out;
				}
				if (ar == MAMORI_OK)
					out->applied++;
				else
					out->not_applied++;
			}
			if (e->scan) {
				if (store_scan_event(db, a->tenant_id, e->scan, history_keep) != MAMORI_OK) {
					rc = fail_code(db);
					goto out;
				}
				out->scans++;
			}
		}
		if (e->seq == cur + 1)
			cur = e->seq;
	}

	if (!(st = db_cached(db, sql_update)))
		goto out;
	sqlite3_bind_int64(st, 1, a->id);
	sqlite3_bind_int64(st, 2, cur);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, spool_records);
	sqlite3_bind_int64(st, 5, spool_bytes);
	sqlite3_bind_int64(st, 6, gaps);
	if (db_step_done(st) != MAMORI_OK) {
		rc = fail_code(db);
		goto out;
	}
	if ((rc = exec_sql(db, "RELEASE intake_batch")) != MAMORI_OK)
		goto out;
	out->acked = cur;
	return MAMORI_OK;
out:
	(void)exec_sql(db, "ROLLBACK TO intake_batch");
	(void)exec_sql(db, "RELEASE intake_batch");
	*out = (struct store_intake_result){ 0 };
	return rc;
}

int
store_intake_batch(struct db *db, const struct store_agent *a, int64_t floor,
    int64_t spool_records, int64_t spool_bytes, const struct store_intake_event *ev,
    size_t n, int64_t now, int history_keep, struct store_intake_result *out)
{
	int rc = store_intake_group_begin(db);
	if (rc != MAMORI_OK)
		return rc;
	rc = store_intake_apply(db, a, floor, spool_records, spool_bytes, ev, n, now, history_keep,
	    out);
	if (rc != MAMORI_OK) {
		store_intake_group_abort(db);
		return rc;
	}
	return store_intake_group_commit(db);
}

int
store_intake_count(struct db *db, int64_t agent_id, int64_t *n, int64_t *max_seq)
{
	sqlite3_stmt *st = db_cached(db, sql_count);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, agent_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*n = sqlite3_column_int64(st, 0);
		*max_seq = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? MAMORI_OK : MAMORI_E_DB;
}
