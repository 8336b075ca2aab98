#include "storage/store_scan.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "storage/db_internal.h"

int
store_scan_insert(struct db *db, int64_t tenant_id, const char *host_key,
    const char *hostname, int64_t started_at, const char *root, int64_t *host_id,
    int64_t *scan_id)
{
	sqlite3_stmt *st;

	if (!(st = db_stmt(db, STMT_HOST_UPSERT)))
		return MAMORI_E_DB;
	db_bind_text(st, 1, host_key);
	db_bind_text(st, 2, hostname);
	sqlite3_bind_int64(st, 3, started_at);
	sqlite3_bind_int64(st, 4, tenant_id);
	if (db_step_done(st) != MAMORI_OK)
		return MAMORI_E_DB;

	if (!(st = db_stmt(db, STMT_HOST_ID)))
		return MAMORI_E_DB;
	db_bind_text(st, 1, host_key);
	sqlite3_bind_int64(st, 2, tenant_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return MAMORI_E_DB;
	}
	*host_id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);

	if (!(st = db_stmt(db, STMT_SCAN_INSERT)))
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, *host_id);
	sqlite3_bind_int64(st, 2, started_at);
	sqlite3_bind_int64(st, 3, 0);
	db_bind_text(st, 4, root);
	if (db_step_done(st) != MAMORI_OK)
		return MAMORI_E_DB;
	*scan_id = sqlite3_last_insert_rowid(db->h);
	return MAMORI_OK;
}

int
store_scan_begin(struct db *db, const char *host_key, const char *hostname,
    int64_t started_at, const char *root, struct store_scan *out)
{
	sqlite3_stmt *st;
	memset(out, 0, sizeof(*out));
	out->db = db;
	if (db_begin(db) != MAMORI_OK)
		return MAMORI_E_DB;
	if (store_scan_insert(db, STORE_LOCAL_TENANT, host_key, hostname, started_at, root,
	    &out->host_id, &out->scan_id) != MAMORI_OK)
		goto fail;

	if (!(st = db_stmt(db, STMT_SCAN_PREV)))
		goto fail;
	sqlite3_bind_int64(st, 1, out->host_id);
	sqlite3_bind_int64(st, 2, out->scan_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		out->prev_scan_id = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_reset(st);
	return MAMORI_OK;
fail:
	db_rollback(db);
	return MAMORI_E_DB;
}

int
store_scan_add_package(struct store_scan *s, const char *format,
    const char *name, const char *arch, const char *version)
{
	sqlite3_stmt *st = db_stmt(s->db, STMT_SCAN_PACKAGE);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, s->scan_id);
	db_bind_text(st, 2, format);
	db_bind_text(st, 3, name);
	db_bind_text(st, 4, arch);
	db_bind_text(st, 5, version);
	return db_step_done(st);
}

int
store_scan_add_listening(struct store_scan *s, const char *proto,
    const char *address, int port, const char *process)
{
	sqlite3_stmt *st = db_stmt(s->db, STMT_SCAN_LISTENING);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, s->scan_id);
	db_bind_text(st, 2, proto);
	db_bind_text(st, 3, address);
	sqlite3_bind_int(st, 4, port);
	db_bind_text(st, 5, process);
	return db_step_done(st);
}

int
store_scan_add_admin(struct store_scan *s, const char *user, const char *via)
{
	sqlite3_stmt *st = db_stmt(s->db, STMT_SCAN_ADMIN);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, s->scan_id);
	db_bind_text(st, 2, user);
	db_bind_text(st, 3, via);
	return db_step_done(st);
}

int
store_scan_add_finding(struct store_scan *s, const char *check_id, int kajo,
    const char *severity, const char *title, const char *detail,
    const char *action, const char *evidence_json, const char *text_json)
{
	sqlite3_stmt *st = db_stmt(s->db, STMT_SCAN_FINDING);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, s->scan_id);
	db_bind_text(st, 2, check_id);
	sqlite3_bind_int(st, 3, kajo);
	db_bind_text(st, 4, severity);
	/* With both languages in text_json, the scan language's copy is not kept again. */
	bool once = text_json && strcmp(text_json, "null") != 0;
	db_bind_text(st, 5, once ? "" : title);
	db_bind_text(st, 6, once ? "" : detail);
	db_bind_text(st, 7, once ? "" : action);
	db_bind_text(st, 8, evidence_json ? evidence_json : "null");
	db_bind_text(st, 9, text_json ? text_json : "null");
	return db_step_done(st);
}

/* The caller's callback and the kind of change a diff query lists. */
struct diff_each {
	enum store_change_kind kind;
	store_change_fn fn;
	void *ctx;
};

static int
diff_row(sqlite3_stmt *st, void *arg)
{
	const struct diff_each *e = arg;
	struct store_change c;
	memset(&c, 0, sizeof(c));
	c.kind = e->kind;
	switch (e->kind) {
	case STORE_PKG_ADDED:
	case STORE_PKG_REMOVED:
	case STORE_PKG_CHANGED:
		c.format = db_col_text(st, 0);
		c.name = db_col_text(st, 1);
		c.arch = db_col_text(st, 2);
		c.version = db_col_text(st, 3);
		if (e->kind == STORE_PKG_CHANGED)
			c.old_version = db_col_text(st, 4);
		break;
	case STORE_LISTEN_ADDED:
	case STORE_LISTEN_REMOVED:
		c.proto = db_col_text(st, 0);
		c.address = db_col_text(st, 1);
		c.port = sqlite3_column_int(st, 2);
		c.process = db_col_text(st, 3);
		break;
	case STORE_ADMIN_ADDED:
	case STORE_ADMIN_REMOVED:
		c.user = db_col_text(st, 0);
		c.via = db_col_text(st, 1);
		break;
	}
	return e->fn(e->ctx, &c);
}

static int
run_diff(struct store_scan *s, enum db_stmt id, enum store_change_kind kind,
    store_change_fn fn, void *ctx)
{
	sqlite3_stmt *st = db_stmt(s->db, id);
	struct diff_each e = { kind, fn, ctx };
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, s->scan_id);
	sqlite3_bind_int64(st, 2, s->prev_scan_id);
	return db_step_rows(st, diff_row, &e);
}

int
store_scan_diff(struct store_scan *s, store_change_fn fn, void *ctx)
{
	static const struct {
		enum db_stmt stmt;
		enum store_change_kind kind;
	} order[] = {
		{ STMT_DIFF_PKG_ADDED, STORE_PKG_ADDED },
		{ STMT_DIFF_PKG_REMOVED, STORE_PKG_REMOVED },
		{ STMT_DIFF_PKG_CHANGED, STORE_PKG_CHANGED },
		{ STMT_DIFF_LISTEN_ADDED, STORE_LISTEN_ADDED },
		{ STMT_DIFF_LISTEN_REMOVED, STORE_LISTEN_REMOVED },
		{ STMT_DIFF_ADMIN_ADDED, STORE_ADMIN_ADDED },
		{ STMT_DIFF_ADMIN_REMOVED, STORE_ADMIN_REMOVED },
	};
	if (s->prev_scan_id == 0)
		return MAMORI_OK;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		int rc = run_diff(s, order[i].stmt, order[i].kind, fn, ctx);
		if (rc)
			return rc;
	}
	return MAMORI_OK;
}

int
store_scan_attach(struct store_scan *s, const char *report_json, int score,
    int64_t duration_ms, int keep)
{
	sqlite3_stmt *st = db_stmt(s->db, STMT_SCAN_REPORT);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, s->scan_id);
	db_bind_text(st, 2, report_json);
	sqlite3_bind_int(st, 3, score);
	sqlite3_bind_int64(st, 4, duration_ms);
	if (db_step_done(st) != MAMORI_OK)
		return MAMORI_E_DB;
	if (!(st = db_stmt(s->db, STMT_SCAN_PRUNE)))
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, s->host_id);
	sqlite3_bind_int(st, 2, keep);
	return db_step_done(st);
}

int
store_scan_finish(struct store_scan *s, const char *report_json, int score,
    int64_t duration_ms, int keep)
{
	if (store_scan_attach(s, report_json, score, duration_ms, keep) != MAMORI_OK ||
	    db_commit(s->db) != MAMORI_OK) {
		db_rollback(s->db);
		return MAMORI_E_DB;
	}
	return MAMORI_OK;
}

void
store_scan_abort(struct store_scan *s)
{
	db_rollback(s->db);
}

int
store_scan_last_report(struct db *db, int64_t *scan_id, char **json)
{
	sqlite3_stmt *st = db_stmt(db, STMT_SCAN_LAST_REPORT);
	*json = NULL;
	if (!st)
		return MAMORI_E_DB;
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? MAMORI_E_NOTFOUND : MAMORI_E_DB;
	}
	*scan_id = sqlite3_column_int64(st, 0);
	*json = strdup(db_col_text(st, 1));
	sqlite3_reset(st);
	return *json ? MAMORI_OK : MAMORI_E_NOMEM;
}
