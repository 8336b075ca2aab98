#include "storage/store_auth.h"

#include <string.h>

#include "common/err.h"
#include "storage/db_internal.h"

static const char sql_tenant_get[] = "SELECT id FROM tenants WHERE name = ?1";
static const char sql_tenant_list[] = "SELECT id, name FROM tenants ORDER BY id";
static const char sql_tenant_add[] =
    "INSERT INTO tenants (name, created_at) VALUES (?1, ?2)";
static const char sql_user_count[] = "SELECT count(*) FROM users";
static const char sql_user_add[] =
    "INSERT INTO users (tenant_id, name, role, pw_hash, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (tenant_id, name) DO NOTHING";
static const char sql_user_get[] =
    "SELECT id, tenant_id, name, role, pw_hash FROM users "
    "WHERE tenant_id = ?1 AND name = ?2";
static const char sql_fail_account[] =
    "SELECT count(*) FROM login_attempts "
    "WHERE tenant_id = ?1 AND name = ?2 AND at >= ?3 AND ok = 0";
static const char sql_fail_ip[] =
    "SELECT count(*) FROM login_attempts WHERE ip = ?1 AND at >= ?2 AND ok = 0";
static const char sql_attempt_add[] =
    "INSERT INTO login_attempts (tenant_id, name, ip, at, ok) VALUES (?1, ?2, ?3, ?4, 0)";
static const char sql_attempt_ok[] =
    "UPDATE login_attempts SET ok = 1 WHERE id = ?1";
static const char sql_attempt_forget[] =
    "DELETE FROM login_attempts WHERE tenant_id = ?1 AND name = ?2 AND ok = 0";
static const char sql_attempt_prune[] = "DELETE FROM login_attempts WHERE at < ?1";
static const char sql_session_add[] =
    "INSERT INTO sessions (id_hash, user_id, csrf, created_at, last_seen, ip) "
    "VALUES (?1, ?2, ?3, ?4, ?4, ?5)";
static const char sql_session_get[] =
    "SELECT u.id, u.tenant_id, u.name, u.role, s.csrf, s.created_at, s.last_seen "
    "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?1";
static const char sql_session_touch[] =
    "UPDATE sessions SET last_seen = ?2 WHERE id_hash = ?1";
static const char sql_session_delete[] = "DELETE FROM sessions WHERE id_hash = ?1";
static const char sql_session_prune[] =
    "DELETE FROM sessions WHERE last_seen < ?1 OR created_at < ?2";
static const char sql_session_count[] = "SELECT count(*) FROM sessions";

/* Copies a text column into a fixed buffer; too long is an error, not a cut. */
static int
col_copy(sqlite3_stmt *st, int i, char *dst, size_t dstsz)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	size_t n = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
	if (n >= dstsz)
		return MAMORI_E_LIMIT;
	if (n)
		memcpy(dst, t, n);
	dst[n] = '\0';
	return MAMORI_OK;
}

int
store_auth_tenant(struct db *db, const char *name, int create, int64_t now,
    int64_t *id)
{
	sqlite3_stmt *st = db_cached(db, sql_tenant_get);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		return MAMORI_OK;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return MAMORI_E_DB;
	if (!create)
		return MAMORI_E_NOTFOUND;
	st = db_cached(db, sql_tenant_add);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, now);
	if (db_step_done(st) != MAMORI_OK)
		return MAMORI_E_DB;
	*id = sqlite3_last_insert_rowid(db->h);
	return MAMORI_OK;
}

struct tenant_each {
	store_auth_tenant_fn fn;
	void *ctx;
};

static int
tenant_row(sqlite3_stmt *st, void *arg)
{
	const struct tenant_each *e = arg;
	return e->fn(e->ctx, sqlite3_column_int64(st, 0), db_col_text(st, 1));
}

int
store_auth_tenant_list(struct db *db, store_auth_tenant_fn fn, void *ctx)
{
	sqlite3_stmt *st = db_cached(db, sql_tenant_list);
	struct tenant_each e = { fn, ctx };
	return st ? db_step_rows(st, tenant_row, &e) : MAMORI_E_DB;
}

int
store_auth_user_count(struct db *db, int64_t *n)
{
	sqlite3_stmt *st = db_cached(db, sql_user_count);
	return st ? db_step_int64(st, n) : MAMORI_E_DB;
}

int
store_auth_user_add(struct db *db, int64_t tenant_id, const char *name,
    const char *role, const char *pw_hash, int64_t now)
{
	sqlite3_stmt *st = db_cached(db, sql_user_add);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, role, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, pw_hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, now);
	if (db_step_done(st) != MAMORI_OK)
		return MAMORI_E_DB;
	return sqlite3_changes(db->h) == 1 ? MAMORI_OK : MAMORI_E_INVAL;
}

int
store_auth_user_get(struct db *db, int64_t tenant_id, const char *name,
    struct store_user *out)
{
	sqlite3_stmt *st = db_cached(db, sql_user_get);
	memset(out, 0, sizeof(*out));
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st), ret;
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		out->tenant_id = sqlite3_column_int64(st, 1);
		ret = col_copy(st, 2, out->name, sizeof(out->name));
		if (!ret)
			ret = col_copy(st, 3, out->role, sizeof(out->role));
		if (!ret)
			ret = col_copy(st, 4, out->pw_hash, sizeof(out->pw_hash));
	} else {
		ret = rc == SQLITE_DONE ? MAMORI_E_NOTFOUND : MAMORI_E_DB;
	}
	sqlite3_reset(st);
	return ret;
}

int
store_auth_attempt_begin(struct db *db, int64_t tenant_id, const char *name,
    const char *ip, int64_t now, int64_t since, int max_account, int max_ip,
    int *limited, int64_t *attempt_id)
{
	int64_t nacc = 0, nip = 0;
	sqlite3_stmt *st;
	int rc = MAMORI_E_DB;

	*limited = 0;
	*attempt_id = 0;
	if (db_begin(db) != MAMORI_OK)
		return MAMORI_E_DB;
	if (!(st = db_cached(db, sql_fail_account)))
		goto out;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, since);
	if (db_step_int64(st, &nacc) != MAMORI_OK)
		goto out;
	if (!(st = db_cached(db, sql_fail_ip)))
		goto out;
	sqlite3_bind_text(st, 1, ip, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, since);
	if (db_step_int64(st, &nip) != MAMORI_OK)
		goto out;
	if (nacc >= max_account || nip >= max_ip) {
		*limited = 1;
		rc = MAMORI_OK;
		goto out;
	}
	if (!(st = db_cached(db, sql_attempt_add)))
		goto out;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, ip, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, now);
	if (db_step_done(st) != MAMORI_OK)
		goto out;
	*attempt_id = sqlite3_last_insert_rowid(db->h);
	rc = MAMORI_OK;
out:
	if (rc == MAMORI_OK && db_commit(db) == MAMORI_OK)
		return MAMORI_OK;
	db_rollback(db);
	return MAMORI_E_DB;
}

int
store_auth_attempt_ok(struct db *db, int64_t attempt_id, int64_t tenant_id,
    const char *name)
{
	sqlite3_stmt *st;
	if (db_begin(db) != MAMORI_OK)
		return MAMORI_E_DB;
	if (!(st = db_cached(db, sql_attempt_forget)))
		goto fail;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
	if (db_step_done(st) != MAMORI_OK)
		goto fail;
	if (!(st = db_cached(db, sql_attempt_ok)))
		goto fail;
	sqlite3_bind_int64(st, 1, attempt_id);
	if (db_step_done(st) != MAMORI_OK || db_commit(db) != MAMORI_OK)
		goto fail;
	return MAMORI_OK;
fail:
	db_rollback(db);
	return MAMORI_E_DB;
}

int
store_auth_attempt_prune(struct db *db, int64_t before)
{
	sqlite3_stmt *st = db_cached(db, sql_attempt_prune);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, before);
	return db_step_done(st);
}

int
store_auth_session_add(struct db *db, const uint8_t sid_hash[STORE_AUTH_SID_HASH],
    int64_t user_id, const char *csrf, int64_t now, const char *ip)
{
	sqlite3_stmt *st = db_cached(db, sql_session_add);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_blob(st, 1, sid_hash, STORE_AUTH_SID_HASH, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, user_id);
	sqlite3_bind_text(st, 3, csrf, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_text(st, 5, ip, -1, SQLITE_TRANSIENT);
	return db_step_done(st);
}

int
store_auth_session_get(struct db *db, const uint8_t sid_hash[STORE_AUTH_SID_HASH],
    struct store_session *out)
{
	sqlite3_stmt *st = db_cached(db, sql_session_get);
	memset(out, 0, sizeof(*out));
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_blob(st, 1, sid_hash, STORE_AUTH_SID_HASH, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st), ret;
	if (rc == SQLITE_ROW) {
		out->user_id = sqlite3_column_int64(st, 0);
		out->tenant_id = sqlite3_column_int64(st, 1);
		ret = col_copy(st, 2, out->user, sizeof(out->user));
		if (!ret)
			ret = col_copy(st, 3, out->role, sizeof(out->role));
		if (!ret)
			ret = col_copy(st, 4, out->csrf, sizeof(out->csrf));
		out->created_at = sqlite3_column_int64(st, 5);
		out->last_seen = sqlite3_column_int64(st, 6);
	} else {
		ret = rc == SQLITE_DONE ? MAMORI_E_NOTFOUND : MAMORI_E_DB;
	}
	sqlite3_reset(st);
	return ret;
}

int
store_auth_session_touch(struct db *db, const uint8_t sid_hash[STORE_AUTH_SID_HASH],
    int64_t now)
{
	sqlite3_stmt *st = db_cached(db, sql_session_touch);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_blob(st, 1, sid_hash, STORE_AUTH_SID_HASH, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, now);
	return db_step_done(st);
}

int
store_auth_session_delete(struct db *db, const uint8_t sid_hash[STORE_AUTH_SID_HASH])
{
	sqlite3_stmt *st = db_cached(db, sql_session_delete);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_blob(st, 1, sid_hash, STORE_AUTH_SID_HASH, SQLITE_TRANSIENT);
	return db_step_done(st);
}

int
store_auth_session_prune(struct db *db, int64_t idle_before, int64_t abs_before)
{
	sqlite3_stmt *st = db_cached(db, sql_session_prune);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, idle_before);
	sqlite3_bind_int64(st, 2, abs_before);
	return db_step_done(st);
}

int
store_auth_session_count(struct db *db, int64_t *n)
{
	sqlite3_stmt *st = db_cached(db, sql_session_count);
	return st ? db_step_int64(st, n) : MAMORI_E_DB;
}
