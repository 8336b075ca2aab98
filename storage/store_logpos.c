#include "storage/store_logpos.h"

#include <string.h>

#include "common/err.h"
#include "storage/db_internal.h"

static const char sql_get[] =
    "SELECT dev, inode, offset, head_len, head_hash, cursor FROM log_positions WHERE input = ?1";
static const char sql_put[] =
    "INSERT OR REPLACE INTO log_positions (input, dev, inode, offset, head_len, head_hash, "
    "cursor, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

int
store_logpos_get(struct db *db, const char *input, struct store_logpos *out)
{
	sqlite3_stmt *st = db_cached(db, sql_get);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return MAMORI_E_DB;
	db_bind_text(st, 1, input);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		rc = MAMORI_E_NOTFOUND;
		goto out;
	}
	if (rc != SQLITE_ROW) {
		rc = MAMORI_E_DB;
		goto out;
	}
	out->dev = (uint64_t)sqlite3_column_int64(st, 0);
	out->inode = (uint64_t)sqlite3_column_int64(st, 1);
	out->offset = (uint64_t)sqlite3_column_int64(st, 2);
	out->head_len = (uint32_t)sqlite3_column_int64(st, 3);
	const void *h = sqlite3_column_blob(st, 4);
	if (h && sqlite3_column_bytes(st, 4) == STORE_LOGPOS_HASH)
		memcpy(out->head_hash, h, STORE_LOGPOS_HASH);
	else
		out->head_len = 0;	/* no usable hash: the file cannot be recognised */
	const char *c = db_col_text(st, 5);
	size_t n = strlen(c);
	if (n >= sizeof(out->cursor))
		n = 0;			/* a cursor we could not have written: ignore it */
	memcpy(out->cursor, c, n);
	out->cursor[n] = '\0';
	rc = MAMORI_OK;
out:
	sqlite3_reset(st);
	return rc;
}

int
store_logpos_put(struct db *db, const char *input, const struct store_logpos *p, int64_t now)
{
	sqlite3_stmt *st = db_cached(db, sql_put);
	if (!st)
		return MAMORI_E_DB;
	db_bind_text(st, 1, input);
	sqlite3_bind_int64(st, 2, (int64_t)p->dev);
	sqlite3_bind_int64(st, 3, (int64_t)p->inode);
	sqlite3_bind_int64(st, 4, (int64_t)p->offset);
	sqlite3_bind_int64(st, 5, p->head_len);
	sqlite3_bind_blob(st, 6, p->head_hash, STORE_LOGPOS_HASH, SQLITE_STATIC);
	db_bind_text(st, 7, p->cursor);
	sqlite3_bind_int64(st, 8, now);
	return db_step_done(st);
}
