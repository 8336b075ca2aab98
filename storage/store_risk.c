#include "storage/store_risk.h"

#include <limits.h>
#include <string.h>

#include "common/err.h"
#include "storage/db_internal.h"

static const char sql_add[] =
    "INSERT INTO risk_assets (tenant_id, category, name, note, users, owner, location, c, i, a, "
    "personal, threat, weakness, treatment, plan, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16)";
/* NULL binds leave a column as it is. */
static const char sql_update[] =
    "UPDATE risk_assets SET category = coalesce(?3, category), name = coalesce(?4, name), "
    "note = coalesce(?5, note), users = coalesce(?6, users), owner = coalesce(?7, owner), "
    "location = coalesce(?8, location), c = coalesce(?9, c), i = coalesce(?10, i), "
    "a = coalesce(?11, a), personal = coalesce(?12, personal), threat = coalesce(?13, threat), "
    "weakness = coalesce(?14, weakness), treatment = coalesce(?15, treatment), "
    "plan = coalesce(?16, plan), updated_at = ?17 WHERE tenant_id = ?1 AND id = ?2";
static const char sql_delete[] = "DELETE FROM risk_assets WHERE tenant_id = ?1 AND id = ?2";
static const char sql_list[] =
    "SELECT id, category, name, note, users, owner, location, c, i, a, personal, threat, "
    "weakness, treatment, plan, source, created_at, updated_at FROM risk_assets "
    "WHERE tenant_id = ?1 ORDER BY id";
static const char sql_import_count[] =
    "SELECT count(*) FROM risk_assets WHERE tenant_id = ?1 AND source = 'inventory'";
static const char sql_import[] =
    "INSERT INTO risk_assets (tenant_id, category, name, note, location, c, i, a, threat, "
    "weakness, source, source_key, created_at, updated_at) "
    "SELECT h.tenant_id, ?2, h.hostname, "
    "coalesce(json_extract(s.report_json, '$.host.os.pretty_name'), '') || ' / ' || "
    "(SELECT count(*) FROM scan_packages p WHERE p.scan_id = s.id) || ' packages / score ' || "
    "coalesce(s.score, '-'), ?3, 2, 2, 2, 2, "
    "CASE WHEN s.score >= 80 THEN 1 WHEN s.score >= 50 THEN 2 ELSE 3 END, "
    "'inventory', 'host:' || h.host_key, ?4, ?4 FROM hosts h JOIN scans s ON s.id = "
    "(SELECT t.id FROM scans t WHERE t.host_id = h.id AND t.report_json IS NOT NULL "
    "ORDER BY t.started_at DESC, t.id DESC LIMIT 1) WHERE h.tenant_id = ?1 AND true "
    "ON CONFLICT (tenant_id, source_key) DO UPDATE SET name = excluded.name, "
    "note = excluded.note, weakness = excluded.weakness, updated_at = excluded.updated_at";

static bool
text_ok(const char *s)
{
	return !s || strlen(s) <= STORE_RISK_TEXT_MAX;
}

static bool
rating_ok(int v, bool may_skip)
{
	return (v >= 1 && v <= 3) || (may_skip && v == -1);
}

static bool
asset_ok(const struct store_risk_asset *r, bool update)
{
	const char *t[] = { r->category, r->name, r->note, r->users, r->owner, r->location, r->plan };
	for (size_t k = 0; k < sizeof(t) / sizeof(t[0]); k++)
		if (!text_ok(t[k]))
			return false;
	if (!update && (!r->name || !*r->name))
		return false;
	if (update && r->name && !*r->name)
		return false;
	return rating_ok(r->c, update) && rating_ok(r->i, update) && rating_ok(r->a, update) &&
	    rating_ok(r->threat, update) && rating_ok(r->weakness, update) &&
	    (r->personal == 0 || r->personal == 1 || (update && r->personal == -1));
}

int
store_risk_add(struct db *db, int64_t tenant_id, const struct store_risk_asset *in, int64_t now,
    int64_t *id)
{
	if (!asset_ok(in, false))
		return MAMORI_E_INVAL;
	sqlite3_stmt *st = db_cached(db, sql_add);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	const char *t[] = { in->category, in->name, in->note, in->users, in->owner, in->location };
	for (int k = 0; k < 6; k++)
		db_bind_text(st, 2 + k, t[k]);
	const int n[] = { in->c, in->i, in->a, in->personal, in->threat, in->weakness };
	for (int k = 0; k < 6; k++)
		sqlite3_bind_int(st, 8 + k, n[k]);
	db_bind_text(st, 14, in->treatment);
	db_bind_text(st, 15, in->plan);
	sqlite3_bind_int64(st, 16, now);
	int rc = db_step_done(st);
	if (rc == MAMORI_OK)
		*id = sqlite3_last_insert_rowid(db->h);
	return rc;
}

static void
bind_opt_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static void
bind_opt_int(sqlite3_stmt *st, int i, int v)
{
	if (v >= 0)
		sqlite3_bind_int(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

int
store_risk_update(struct db *db, int64_t tenant_id, int64_t id,
    const struct store_risk_asset *ch, int64_t now)
{
	if (!asset_ok(ch, true))
		return MAMORI_E_INVAL;
	sqlite3_stmt *st = db_cached(db, sql_update);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_int64(st, 2, id);
	const char *t[] = { ch->category, ch->name, ch->note, ch->users, ch->owner, ch->location };
	for (int k = 0; k < 6; k++)
		bind_opt_text(st, 3 + k, t[k]);
	const int n[] = { ch->c, ch->i, ch->a, ch->personal, ch->threat, ch->weakness };
	for (int k = 0; k < 6; k++)
		bind_opt_int(st, 9 + k, n[k]);
	bind_opt_text(st, 15, ch->treatment);
	bind_opt_text(st, 16, ch->plan);
	sqlite3_bind_int64(st, 17, now);
	return db_step_one(st);
}

int
store_risk_delete(struct db *db, int64_t tenant_id, int64_t id)
{
	sqlite3_stmt *st = db_cached(db, sql_delete);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_int64(st, 2, id);
	return db_step_one(st);
}

struct list_arg {
	store_risk_fn fn;
	void *ctx;
};

static int
each_asset(sqlite3_stmt *st, void *arg)
{
	const struct list_arg *l = arg;
	struct store_risk_asset r = {
		.id = sqlite3_column_int64(st, 0),
		.category = db_col_text(st, 1), .name = db_col_text(st, 2),
		.note = db_col_text(st, 3), .users = db_col_text(st, 4),
		.owner = db_col_text(st, 5), .location = db_col_text(st, 6),
		.c = sqlite3_column_int(st, 7), .i = sqlite3_column_int(st, 8),
		.a = sqlite3_column_int(st, 9), .personal = sqlite3_column_int(st, 10),
		.threat = sqlite3_column_int(st, 11), .weakness = sqlite3_column_int(st, 12),
		.treatment = db_col_text(st, 13), .plan = db_col_text(st, 14),
		.source = db_col_text(st, 15),
		.created_at = sqlite3_column_int64(st, 16), .updated_at = sqlite3_column_int64(st, 17),
	};
	return l->fn(l->ctx, &r);
}

int
store_risk_list(struct db *db, int64_t tenant_id, store_risk_fn fn, void *ctx)
{
	sqlite3_stmt *st = db_cached(db, sql_list);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	struct list_arg l = { fn, ctx };
	return db_step_rows(st, each_asset, &l);
}

static int
inventory_rows(struct db *db, int64_t tenant_id, int *n)
{
	sqlite3_stmt *st = db_cached(db, sql_import_count);
	int64_t v = 0;
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	int rc = db_step_int64(st, &v);
	*n = v > INT_MAX ? INT_MAX : (int)v;
	return rc;
}

int
store_risk_import_hosts(struct db *db, int64_t tenant_id, int64_t now, int *added,
    int *refreshed)
{
	int before = 0, after = 0, rc = db_begin(db);
	if (rc != MAMORI_OK)
		return rc;
	if ((rc = inventory_rows(db, tenant_id, &before)) != MAMORI_OK)
		goto out;
	sqlite3_stmt *st = db_cached(db, sql_import);
	if (!st) {
		rc = MAMORI_E_DB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, "IT機器 / IT equipment");
	db_bind_text(st, 3, "社内 / on site");
	sqlite3_bind_int64(st, 4, now);
	if ((rc = db_step_done(st)) != MAMORI_OK)
		goto out;
	int changed = sqlite3_changes(db->h);
	if ((rc = inventory_rows(db, tenant_id, &after)) != MAMORI_OK)
		goto out;
	*added = after - before;
	*refreshed = changed - *added;
	rc = db_commit(db);
out:
	if (rc != MAMORI_OK)
		db_rollback(db);
	return rc;
}
