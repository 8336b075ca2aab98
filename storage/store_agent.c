#include "storage/store_agent.h"

#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "storage/db_internal.h"

static const char sql_token_add[] =
    "INSERT INTO enrol_tokens (tenant_id, token_hash, kind, created_at, expires_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
static const char sql_tokens[] =
    "SELECT id, tenant_id, kind, created_at, expires_at, coalesce(used_at, 0), "
    "coalesce(agent_id, 0) FROM enrol_tokens WHERE tenant_id = ?1 ORDER BY id";
static const char sql_token_find[] =
    "SELECT id, tenant_id, kind, expires_at, used_at FROM enrol_tokens WHERE token_hash = ?1";
static const char sql_token_use[] =
    "UPDATE enrol_tokens SET used_at = ?2, agent_id = ?3 WHERE id = ?1 AND used_at IS NULL";
static const char sql_agent_add[] =
    "INSERT INTO agents (tenant_id, kind, name, hostname, secret_hash, enrolled_at, enrol_ip) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
#define AGENT_COLS \
    "id, tenant_id, kind, name, hostname, secret_hash, enrolled_at, coalesce(last_seen, 0), " \
    "coalesce(revoked_at, 0), acked_seq, spool_records, spool_bytes, gaps"
static const char sql_agent_get[] = "SELECT " AGENT_COLS " FROM agents WHERE id = ?1";
static const char sql_agent_list[] =
    "SELECT " AGENT_COLS " FROM agents WHERE ?1 = 0 OR tenant_id = ?1 ORDER BY id";
static const char sql_agent_revoke[] =
    "UPDATE agents SET revoked_at = coalesce(revoked_at, ?3) WHERE id = ?1 "
    "AND (?2 = 0 OR tenant_id = ?2)";
static const char sql_totals[] =
    "SELECT count(*), count(revoked_at), coalesce(sum(spool_records), 0), "
    "coalesce(sum(spool_bytes), 0), coalesce(sum(gaps), 0) FROM agents";

static void
copy_text(char *dst, size_t dstsz, sqlite3_stmt *st, int col)
{
	snprintf(dst, dstsz, "%s", db_col_text(st, col));
}

static void
agent_row(sqlite3_stmt *st, struct store_agent *a)
{
	memset(a, 0, sizeof(*a));
	a->id = sqlite3_column_int64(st, 0);
	a->tenant_id = sqlite3_column_int64(st, 1);
	copy_text(a->kind, sizeof(a->kind), st, 2);
	copy_text(a->name, sizeof(a->name), st, 3);
	copy_text(a->hostname, sizeof(a->hostname), st, 4);
	if (sqlite3_column_bytes(st, 5) == STORE_AGENT_HASH)
		memcpy(a->secret_hash, sqlite3_column_blob(st, 5), STORE_AGENT_HASH);
	a->enrolled_at = sqlite3_column_int64(st, 6);
	a->last_seen = sqlite3_column_int64(st, 7);
	a->revoked_at = sqlite3_column_int64(st, 8);
	a->acked_seq = sqlite3_column_int64(st, 9);
	a->spool_records = sqlite3_column_int64(st, 10);
	a->spool_bytes = sqlite3_column_int64(st, 11);
	a->gaps = sqlite3_column_int64(st, 12);
}

int
store_agent_token_add(struct db *db, int64_t tenant_id,
    const uint8_t hash[STORE_AGENT_HASH], const char *kind, int64_t now,
    int64_t expires_at, int64_t *id)
{
	sqlite3_stmt *st = db_cached(db, sql_token_add);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_blob(st, 2, hash, STORE_AGENT_HASH, SQLITE_STATIC);
	db_bind_text(st, 3, kind);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, expires_at);
	if (db_step_done(st) != MAMORI_OK)
		return MAMORI_E_DB;
	*id = sqlite3_last_insert_rowid(db->h);
	return MAMORI_OK;
}

/* The caller's callback, for db_step_rows(). */
struct each {
	union {
		store_agent_token_fn token;
		store_agent_fn agent;
	} fn;
	void *ctx;
};

static int
token_row(sqlite3_stmt *st, void *arg)
{
	const struct each *e = arg;
	struct store_agent_token t = {
		.id = sqlite3_column_int64(st, 0),
		.tenant_id = sqlite3_column_int64(st, 1),
		.kind = db_col_text(st, 2),
		.created_at = sqlite3_column_int64(st, 3),
		.expires_at = sqlite3_column_int64(st, 4),
		.used_at = sqlite3_column_int64(st, 5),
		.agent_id = sqlite3_column_int64(st, 6),
	};
	return e->fn.token(e->ctx, &t);
}

int
store_agent_tokens(struct db *db, int64_t tenant_id, store_agent_token_fn fn,
    void *ctx)
{
	sqlite3_stmt *st = db_cached(db, sql_tokens);
	struct each e = { .fn.token = fn, .ctx = ctx };
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	return db_step_rows(st, token_row, &e);
}

int
store_agent_enrol(struct db *db, const uint8_t token_hash[STORE_AGENT_HASH],
    const char *name, const char *hostname, const uint8_t secret_hash[STORE_AGENT_HASH],
    const char *ip, int64_t now, struct store_agent *out, enum store_enrol_refusal *why)
{
	sqlite3_stmt *st;
	int64_t token_id, tenant_id, expires, agent_id;
	char kind[8];
	int rc = MAMORI_E_DB;

	*why = STORE_ENROL_OK;
	if (db_begin(db) != MAMORI_OK)
		return MAMORI_E_DB;
	if (!(st = db_cached(db, sql_token_find)))
		goto out;
	sqlite3_bind_blob(st, 1, token_hash, STORE_AGENT_HASH, SQLITE_STATIC);
	int step = sqlite3_step(st);
	if (step != SQLITE_ROW) {
		sqlite3_reset(st);
		if (step == SQLITE_DONE) {
			*why = STORE_ENROL_UNKNOWN;
			rc = MAMORI_E_PERM;
		}
		goto out;
	}
	token_id = sqlite3_column_int64(st, 0);
	tenant_id = sqlite3_column_int64(st, 1);
	copy_text(kind, sizeof(kind), st, 2);
	expires = sqlite3_column_int64(st, 3);
	bool used = sqlite3_column_type(st, 4) != SQLITE_NULL;
	sqlite3_reset(st);
	if (used || expires <= now) {
		*why = used ? STORE_ENROL_USED : STORE_ENROL_EXPIRED;
		rc = MAMORI_E_PERM;
		goto out;
	}

	if (!(st = db_cached(db, sql_agent_add)))
		goto out;
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, name);
	db_bind_text(st, 4, hostname);
	sqlite3_bind_blob(st, 5, secret_hash, STORE_AGENT_HASH, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, now);
	db_bind_text(st, 7, ip);
	if (db_step_done(st) != MAMORI_OK)
		goto out;
	agent_id = sqlite3_last_insert_rowid(db->h);

	if (!(st = db_cached(db, sql_token_use)))
		goto out;
	sqlite3_bind_int64(st, 1, token_id);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, agent_id);
	if (db_step_done(st) != MAMORI_OK || sqlite3_changes(db->h) != 1)
		goto out;
	if (db_commit(db) != MAMORI_OK)
		goto out;
	return store_agent_get(db, agent_id, out);
out:
	db_rollback(db);
	return rc;
}

int
store_agent_get(struct db *db, int64_t id, struct store_agent *out)
{
	sqlite3_stmt *st = db_cached(db, sql_agent_get);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		agent_row(st, out);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return MAMORI_OK;
	return rc == SQLITE_DONE ? MAMORI_E_NOTFOUND : MAMORI_E_DB;
}

static int
list_row(sqlite3_stmt *st, void *arg)
{
	const struct each *e = arg;
	struct store_agent a;
	agent_row(st, &a);
	return e->fn.agent(e->ctx, &a);
}

int
store_agent_list(struct db *db, int64_t tenant_id, store_agent_fn fn, void *ctx)
{
	sqlite3_stmt *st = db_cached(db, sql_agent_list);
	struct each e = { .fn.agent = fn, .ctx = ctx };
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	return db_step_rows(st, list_row, &e);
}

int
store_agent_revoke(struct db *db, int64_t tenant_id, int64_t id, int64_t now)
{
	sqlite3_stmt *st = db_cached(db, sql_agent_revoke);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, tenant_id);
	sqlite3_bind_int64(st, 3, now);
	if (db_step_done(st) != MAMORI_OK)
		return MAMORI_E_DB;
	return sqlite3_changes(db->h) == 1 ? MAMORI_OK : MAMORI_E_NOTFOUND;
}

int
store_agent_totals(struct db *db, struct store_agent_totals *out)
{
	sqlite3_stmt *st = db_cached(db, sql_totals);
	if (!st)
		return MAMORI_E_DB;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->agents = sqlite3_column_int64(st, 0);
		out->revoked = sqlite3_column_int64(st, 1);
		out->spool_records = sqlite3_column_int64(st, 2);
		out->spool_bytes = sqlite3_column_int64(st, 3);
		out->gaps = sqlite3_column_int64(st, 4);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? MAMORI_OK : MAMORI_E_DB;
}
