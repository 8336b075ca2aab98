/*
 * store_country.c - countries seen per account (see store_country.h).
 */
#include "storage/store_country.h"

#include "common/err.h"
#include "storage/db_internal.h"

static const char sql_add[] =
    "INSERT OR IGNORE INTO login_countries (tenant_id, user_name, country, first_ts) "
    "VALUES (?1, ?2, ?3, ?4)";
static const char sql_all[] =
    "SELECT user_name, country FROM login_countries WHERE tenant_id = ?1 ORDER BY first_ts";

int
store_country_add(struct db *db, int64_t tenant_id, const char *user, const char *country,
    int64_t ts_ms)
{
	sqlite3_stmt *st = db_cached(db, sql_add);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, user);
	db_bind_text(st, 3, country);
	sqlite3_bind_int64(st, 4, ts_ms);
	return db_step_done(st);
}

struct each_ctx {
	int (*fn)(void *arg, const char *user, const char *country);
	void *arg;
};

static int
each_row(sqlite3_stmt *st, void *arg)
{
	struct each_ctx *c = arg;
	return c->fn(c->arg, db_col_text(st, 0), db_col_text(st, 1));
}

int
store_country_each(struct db *db, int64_t tenant_id,
    int (*fn)(void *arg, const char *user, const char *country), void *arg)
{
	sqlite3_stmt *st = db_cached(db, sql_all);
	struct each_ctx c = { fn, arg };
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	return db_step_rows(st, each_row, &c);
}
