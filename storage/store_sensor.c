/*
 * store_sensor.c - network sensors' statistics (see store_sensor.h).
 */
#include "storage/store_sensor.h"

#include "common/err.h"
#include "storage/db_internal.h"

static const char sql_put[] =
    "INSERT INTO sensor_stats (tenant_id, sensor, updated_at, stats_json) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (tenant_id, sensor) DO UPDATE SET updated_at = excluded.updated_at, "
    "stats_json = excluded.stats_json WHERE excluded.updated_at >= sensor_stats.updated_at";
static const char sql_list[] =
    "SELECT sensor, updated_at, stats_json FROM sensor_stats WHERE tenant_id = ?1 "
    "ORDER BY sensor LIMIT 1000";

int
store_sensor_stats_put(struct db *db, int64_t tenant_id, const char *sensor, int64_t now_ms,
    const char *json, size_t len)
{
	if (len > STORE_SENSOR_STATS_MAX)
		return MAMORI_E_LIMIT;
	sqlite3_stmt *st = db_cached(db, sql_put);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, sensor ? sensor : "");
	sqlite3_bind_int64(st, 3, now_ms);
	sqlite3_bind_text(st, 4, json, (int)len, SQLITE_TRANSIENT);
	return db_step_done(st);
}

struct list_ctx {
	int (*fn)(void *arg, const struct store_sensor_stats *s);
	void *arg;
};

static int
list_row(sqlite3_stmt *st, void *arg)
{
	struct list_ctx *c = arg;
	struct store_sensor_stats s = { .sensor = db_col_text(st, 0),
		.updated_at = sqlite3_column_int64(st, 1), .stats_json = db_col_text(st, 2) };
	return c->fn(c->arg, &s);
}

int
store_sensor_stats_list(struct db *db, int64_t tenant_id,
    int (*fn)(void *arg, const struct store_sensor_stats *s), void *arg)
{
	sqlite3_stmt *st = db_cached(db, sql_list);
	struct list_ctx c = { fn, arg };
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	return db_step_rows(st, list_row, &c);
}
