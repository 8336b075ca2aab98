/*
 * store_logwin.c - correlation windows of live log watches (see store_logwin.h).
 */
#include "storage/store_logwin.h"

#include "common/err.h"
#include "storage/db_internal.h"

static const char sql_scope[] =
    "INSERT INTO log_window_scopes (scope, clock_ms, saved_at) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (scope) DO UPDATE SET clock_ms = excluded.clock_ms, saved_at = excluded.saved_at";
static const char sql_clear[] = "DELETE FROM log_windows WHERE scope = ?1";
static const char sql_put[] =
    "INSERT OR REPLACE INTO log_windows (scope, tbl, key, active_ms, data) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char sql_sigma_clear[] = "DELETE FROM sigma_windows WHERE scope = ?1";
static const char sql_sigma_put[] =
    "INSERT INTO sigma_windows (scope, n, rule, last_ms, data) VALUES (?1, ?2, ?3, ?4, ?5)";
/* oldest first: loading them in this order gives back the LRU order */
static const char sql_sigma_each[] =
    "SELECT rule, last_ms, data FROM sigma_windows WHERE scope = ?1 AND n < ?2 ORDER BY n DESC";
static const char sql_clock[] = "SELECT clock_ms FROM log_window_scopes WHERE scope = ?1";
static const char sql_each[] =
    "SELECT tbl, key, active_ms, data FROM log_windows WHERE scope = ?1 AND active_ms > ?2 "
    "ORDER BY active_ms DESC LIMIT ?3";

int
store_logwin_reset(struct db *db, const char *scope, int64_t clock_ms, int64_t now)
{
	sqlite3_stmt *st = db_cached(db, sql_scope);
	int rc;
	if (!st)
		return MAMORI_E_DB;
	db_bind_text(st, 1, scope);
	sqlite3_bind_int64(st, 2, clock_ms);
	sqlite3_bind_int64(st, 3, now);
	if ((rc = db_step_done(st)) != MAMORI_OK)
		return rc;
	if (!(st = db_cached(db, sql_clear)))
		return MAMORI_E_DB;
	db_bind_text(st, 1, scope);
	if ((rc = db_step_done(st)) != MAMORI_OK)
		return rc;
	if (!(st = db_cached(db, sql_sigma_clear)))
		return MAMORI_E_DB;
	db_bind_text(st, 1, scope);
	return db_step_done(st);
}

int
store_logwin_sigma_put(struct db *db, const char *scope, int64_t n, const struct store_sigwin *w)
{
	sqlite3_stmt *st = db_cached(db, sql_sigma_put);
	if (!st)
		return MAMORI_E_DB;
	db_bind_text(st, 1, scope);
	sqlite3_bind_int64(st, 2, n);
	db_bind_text(st, 3, w->rule);
	sqlite3_bind_int64(st, 4, w->last_ms);
	sqlite3_bind_blob(st, 5, w->data, (int)w->len, SQLITE_STATIC);
	return db_step_done(st);
}

struct sigma_each_ctx {
	int (*fn)(void *arg, const struct store_sigwin *w);
	void *arg;
};

static int
sigma_row(sqlite3_stmt *st, void *arg)
{
	struct sigma_each_ctx *c = arg;
	struct store_sigwin w = {
		.rule = db_col_text(st, 0),
		.last_ms = sqlite3_column_int64(st, 1),
		.data = sqlite3_column_blob(st, 2),
		.len = (size_t)sqlite3_column_bytes(st, 2),
	};
	return c->fn(c->arg, &w);
}

int
store_logwin_sigma_each(struct db *db, const char *scope, size_t max,
    int (*fn)(void *arg, const struct store_sigwin *w), void *arg)
{
	sqlite3_stmt *st = db_cached(db, sql_sigma_each);
	struct sigma_each_ctx c = { fn, arg };
	if (!st)
		return MAMORI_E_DB;
	db_bind_text(st, 1, scope);
	sqlite3_bind_int64(st, 2, (int64_t)max);
	return db_step_rows(st, sigma_row, &c);
}

int
store_logwin_put(struct db *db, const char *scope, const struct store_logwin *w)
{
	sqlite3_stmt *st = db_cached(db, sql_put);
	if (!st)
		return MAMORI_E_DB;
	db_bind_text(st, 1, scope);
	sqlite3_bind_int64(st, 2, w->table);
	sqlite3_bind_int64(st, 3, (int64_t)w->key);
	sqlite3_bind_int64(st, 4, w->active_ms);
	sqlite3_bind_blob(st, 5, w->data, (int)w->len, SQLITE_STATIC);
	return db_step_done(st);
}

int
store_logwin_clock(struct db *db, const char *scope, int64_t *clock_ms)
{
	sqlite3_stmt *st = db_cached(db, sql_clock);
	int rc;
	if (!st)
		return MAMORI_E_DB;
	db_bind_text(st, 1, scope);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*clock_ms = sqlite3_column_int64(st, 0);
		rc = MAMORI_OK;
	} else {
		rc = rc == SQLITE_DONE ? MAMORI_E_NOTFOUND : MAMORI_E_DB;
	}
	sqlite3_reset(st);
	return rc;
}

struct each_ctx {
	int (*fn)(void *arg, const struct store_logwin *w);
	void *arg;
};

static int
each_row(sqlite3_stmt *st, void *arg)
{
	struct each_ctx *c = arg;
	struct store_logwin w = {
		.table = (unsigned)sqlite3_column_int64(st, 0),
		.key = (uint64_t)sqlite3_column_int64(st, 1),
		.active_ms = sqlite3_column_int64(st, 2),
		.data = sqlite3_column_blob(st, 3),
		.len = (size_t)sqlite3_column_bytes(st, 3),
	};
	return c->fn(c->arg, &w);
}

int
store_logwin_each(struct db *db, const char *scope, int64_t since_ms, size_t max,
    int (*fn)(void *arg, const struct store_logwin *w), void *arg)
{
	sqlite3_stmt *st = db_cached(db, sql_each);
	struct each_ctx c = { fn, arg };
	if (!st)
		return MAMORI_E_DB;
	db_bind_text(st, 1, scope);
	sqlite3_bind_int64(st, 2, since_ms);
	sqlite3_bind_int64(st, 3, (int64_t)max);
	return db_step_rows(st, each_row, &c);
}
