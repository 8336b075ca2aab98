/*
 * store_asset.c - devices seen on the network (see store_asset.h).
 */
#include "storage/store_asset.h"

#include "common/err.h"
#include "storage/db_internal.h"

static const char sql_insert[] =
    "INSERT OR IGNORE INTO net_assets (tenant_id, mac, vendor, ip, ipv6, hostname, "
    "hostname_source, dhcp_vendor_class, sensor, first_seen, last_seen) "
    "VALUES (?1, lower(?2), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)";
/* an empty value keeps what is known */
static const char sql_update[] =
    "UPDATE net_assets SET "
    "vendor = CASE WHEN ?3 <> '' THEN ?3 ELSE vendor END, "
    "ip = CASE WHEN ?4 <> '' THEN ?4 ELSE ip END, "
    "ipv6 = CASE WHEN ?5 <> '' THEN ?5 ELSE ipv6 END, "
    "hostname = CASE WHEN ?6 <> '' THEN ?6 ELSE hostname END, "
    "hostname_source = CASE WHEN ?6 <> '' THEN ?7 ELSE hostname_source END, "
    "dhcp_vendor_class = CASE WHEN ?8 <> '' THEN ?8 ELSE dhcp_vendor_class END, "
    "sensor = CASE WHEN ?9 <> '' THEN ?9 ELSE sensor END, "
    "last_seen = max(last_seen, ?10) "
    "WHERE tenant_id = ?1 AND mac = lower(?2)";
static const char sql_since[] =
    "SELECT min(first_seen) FROM net_assets WHERE tenant_id = ?1";
static const char sql_list[] =
    "SELECT id, mac, vendor, ip, ipv6, hostname, hostname_source, dhcp_vendor_class, sensor, "
    "first_seen, last_seen FROM net_assets WHERE tenant_id = ?1 "
    "ORDER BY last_seen DESC, id DESC LIMIT ?2";
static const char sql_new[] =
    "SELECT id, mac, vendor, ip, ipv6, hostname, hostname_source, dhcp_vendor_class, sensor, "
    "first_seen, last_seen FROM net_assets WHERE tenant_id = ?1 AND last_seen >= ?2 "
    "AND first_seen >= ?2 AND first_seen < ?3 ORDER BY first_seen, id LIMIT ?4";
static const char sql_new_count[] =
    "SELECT count(*) FROM net_assets WHERE tenant_id = ?1 AND last_seen >= ?2 "
    "AND first_seen >= ?2 AND first_seen < ?3";

static void
bind_asset(sqlite3_stmt *st, int64_t tenant_id, const struct store_asset *a, int64_t now_ms)
{
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, a->mac);
	db_bind_text(st, 3, a->vendor);
	db_bind_text(st, 4, a->ip);
	db_bind_text(st, 5, a->ipv6);
	db_bind_text(st, 6, a->hostname);
	db_bind_text(st, 7, a->hostname_source);
	db_bind_text(st, 8, a->dhcp_vendor_class);
	db_bind_text(st, 9, a->sensor);
	sqlite3_bind_int64(st, 10, now_ms);
}

static int
since_row(sqlite3_stmt *st, void *arg)
{
	*(int64_t *)arg = sqlite3_column_int64(st, 0);
	return 0;
}

int
store_asset_upsert(struct db *db, int64_t tenant_id, const struct store_asset *a,
    int64_t now_ms, bool *is_new, int64_t *since_ms)
{
	sqlite3_stmt *st = db_cached(db, sql_insert);
	if (!st)
		return MAMORI_E_DB;
	bind_asset(st, tenant_id, a, now_ms);
	int rc = db_step_done(st);
	if (rc != MAMORI_OK)
		return rc;
	*is_new = sqlite3_changes(db->h) > 0;
	if (!*is_new) {
		if (!(st = db_cached(db, sql_update)))
			return MAMORI_E_DB;
		bind_asset(st, tenant_id, a, now_ms);
		if ((rc = db_step_done(st)) != MAMORI_OK)
			return rc;
	}
	if (!(st = db_cached(db, sql_since)))
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	*since_ms = now_ms;
	return db_step_rows(st, since_row, since_ms);
}

struct list_ctx {
	int (*fn)(void *arg, const struct store_asset *a);
	void *arg;
};

static int
list_row(sqlite3_stmt *st, void *arg)
{
	struct list_ctx *c = arg;
	struct store_asset a = {
		.id = sqlite3_column_int64(st, 0), .mac = db_col_text(st, 1),
		.vendor = db_col_text(st, 2), .ip = db_col_text(st, 3), .ipv6 = db_col_text(st, 4),
		.hostname = db_col_text(st, 5), .hostname_source = db_col_text(st, 6),
		.dhcp_vendor_class = db_col_text(st, 7), .sensor = db_col_text(st, 8),
		.first_seen = sqlite3_column_int64(st, 9), .last_seen = sqlite3_column_int64(st, 10),
	};
	return c->fn(c->arg, &a);
}

int
store_asset_list(struct db *db, int64_t tenant_id, int limit,
    int (*fn)(void *arg, const struct store_asset *a), void *arg)
{
	sqlite3_stmt *st = db_cached(db, sql_list);
	struct list_ctx c = { fn, arg };
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_int(st, 2, limit);
	return db_step_rows(st, list_row, &c);
}

int
store_asset_new_between(struct db *db, int64_t tenant_id, int64_t from_ms, int64_t to_ms,
    int limit, int64_t *total, int (*fn)(void *arg, const struct store_asset *a), void *arg)
{
	sqlite3_stmt *st = db_cached(db, sql_new_count);
	struct list_ctx c = { fn, arg };
	if (!st)
		return MAMORI_E_DB;
	*total = 0;
	db_bind_period(st, tenant_id, from_ms, to_ms, 0);
	int rc = db_step_rows(st, since_row, total);
	if (rc || limit <= 0)
		return rc;
	if (!(st = db_cached(db, sql_new)))
		return MAMORI_E_DB;
	db_bind_period(st, tenant_id, from_ms, to_ms, limit);
	return db_step_rows(st, list_row, &c);
}
