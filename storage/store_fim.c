#include "storage/store_fim.h"

#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "storage/db_internal.h"

static const char sql_root_del[] = "DELETE FROM fim_roots WHERE path = ?1";
static const char sql_root_ins[] =
    "INSERT INTO fim_roots (path, created_at, entries) VALUES (?1, ?2, 0)";
static const char sql_root_count[] = "UPDATE fim_roots SET entries = ?2 WHERE id = ?1";
static const char sql_root_get[] = "SELECT id, created_at FROM fim_roots WHERE path = ?1";
/* The root's old rows went with store_fim_begin's DELETE, and a walk
 * yields each path once: OR REPLACE would only make SQLite keep a
 * statement journal, one 16 KiB page written per row (2.6 GB for /usr). */
static const char sql_put[] =
    "INSERT OR IGNORE INTO fim_entries (root_id, path, type, state, err, size, mode, "
    "uid, gid, mtime_ns, inode, hash, link) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
static const char sql_load[] =
    "SELECT path, type, state, err, size, mode, uid, gid, mtime_ns, inode, hash, link "
    "FROM fim_entries WHERE root_id = ?1";

static void
bind_blob_str(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_blob(st, i, s, (int)strlen(s), SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

int
store_fim_begin(struct db *db, const char *root, int64_t now, int64_t *root_id)
{
	sqlite3_stmt *st;

	if (db_begin(db) != MAMORI_OK)
		return MAMORI_E_DB;
	if (!(st = db_cached(db, sql_root_del)))
		goto fail;
	bind_blob_str(st, 1, root);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	if (!(st = db_cached(db, sql_root_ins)))
		goto fail;
	bind_blob_str(st, 1, root);
	sqlite3_bind_int64(st, 2, now);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	*root_id = sqlite3_last_insert_rowid(db->h);
	return MAMORI_OK;
fail:
	db_rollback(db);
	return MAMORI_E_DB;
}

int
store_fim_put(struct db *db, int64_t root_id, const struct store_fim_row *r)
{
	sqlite3_stmt *st = db_cached(db, sql_put);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, root_id);
	bind_blob_str(st, 2, r->path);
	sqlite3_bind_text(st, 3, r->type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, r->state, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, r->err);
	sqlite3_bind_int64(st, 6, (int64_t)r->size);
	sqlite3_bind_int64(st, 7, r->mode);
	sqlite3_bind_int64(st, 8, r->uid);
	sqlite3_bind_int64(st, 9, r->gid);
	sqlite3_bind_int64(st, 10, r->mtime_ns);
	sqlite3_bind_int64(st, 11, (int64_t)r->inode);
	if (r->hash)
		sqlite3_bind_blob(st, 12, r->hash, 32, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 12);
	bind_blob_str(st, 13, r->link);
	return sqlite3_step(st) == SQLITE_DONE ? MAMORI_OK : MAMORI_E_DB;
}

int
store_fim_commit(struct db *db, int64_t root_id, int64_t entries)
{
	sqlite3_stmt *st = db_cached(db, sql_root_count);
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, root_id);
	sqlite3_bind_int64(st, 2, entries);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	return MAMORI_E_DB;
}

void
store_fim_abort(struct db *db)
{
	db_rollback(db);
}

struct strbuf {
	char *p;
	size_t cap;
};

/* A column as a NUL-terminated string; NULL for SQL NULL or embedded NULs
 * (which no path can contain: such a row is not ours). Walked paths can
 * be longer than PATH_MAX, so the buffer grows. */
static const char *
col_str(sqlite3_stmt *st, int i, struct strbuf *b)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	const void *p = sqlite3_column_blob(st, i);
	int len = sqlite3_column_bytes(st, i);
	if (len < 0 || (p && memchr(p, 0, (size_t)len)))
		return NULL;
	if ((size_t)len + 1 > b->cap) {
		char *n = realloc(b->p, (size_t)len + 256);
		if (!n)
			return NULL;
		b->p = n;
		b->cap = (size_t)len + 256;
	}
	if (len)
		memcpy(b->p, p, (size_t)len);
	b->p[len] = '\0';
	return b->p;
}

int
store_fim_load(struct db *db, const char *root, int64_t *created_at,
    store_fim_fn fn, void *arg)
{
	sqlite3_stmt *st = db_cached(db, sql_root_get);
	int64_t id;
	int rc;

	if (!st)
		return MAMORI_E_DB;
	bind_blob_str(st, 1, root);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return MAMORI_E_NOTFOUND;
	if (rc != SQLITE_ROW)
		return MAMORI_E_DB;
	id = sqlite3_column_int64(st, 0);
	if (created_at)
		*created_at = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);

	if (!(st = db_cached(db, sql_load)))
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, id);
	struct strbuf path = { 0 }, link = { 0 };
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_fim_row r = { 0 };
		r.path = col_str(st, 0, &path);
		r.type = (const char *)sqlite3_column_text(st, 1);
		r.state = (const char *)sqlite3_column_text(st, 2);
		if (!r.path || !r.type || !r.state)
			continue;
		r.err = sqlite3_column_int(st, 3);
		r.size = (uint64_t)sqlite3_column_int64(st, 4);
		r.mode = (uint32_t)sqlite3_column_int64(st, 5);
		r.uid = (uint32_t)sqlite3_column_int64(st, 6);
		r.gid = (uint32_t)sqlite3_column_int64(st, 7);
		r.mtime_ns = sqlite3_column_int64(st, 8);
		r.inode = (uint64_t)sqlite3_column_int64(st, 9);
		if (sqlite3_column_bytes(st, 10) == 32)
			r.hash = sqlite3_column_blob(st, 10);
		r.link = col_str(st, 11, &link);
		int frc = fn(arg, &r);
		if (frc) {
			rc = frc;
			goto out;
		}
	}
	rc = rc == SQLITE_DONE ? MAMORI_OK : MAMORI_E_DB;
out:
	sqlite3_reset(st);
	free(path.p);
	free(link.p);
	return rc;
}
