#include "storage/store_notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "storage/db_internal.h"

#define CHANNEL_COLUMNS \
    "id, tenant_id, name, kind, target, server, sender, username, secret, lang, " \
    "min_severity, quiet_start, quiet_end, quiet_critical, utc_offset_min, digest_at, " \
    "after_alert_id, last_digest, created_at"
static const char sql_add[] =
    "INSERT INTO notify_channels (tenant_id, name, kind, target, server, sender, username, "
    "secret, lang, min_severity, quiet_start, quiet_end, quiet_critical, utc_offset_min, "
    "digest_at, after_alert_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
    "?11, ?12, ?13, ?14, ?15, (SELECT coalesce(max(id), 0) FROM alerts WHERE tenant_id = ?1), ?16)";
static const char sql_name_taken[] =
    "SELECT 1 FROM notify_channels WHERE tenant_id = ?1 AND name = ?2";
static const char sql_after[] = "SELECT after_alert_id FROM notify_channels WHERE id = ?1";
static const char sql_list[] =
    "SELECT " CHANNEL_COLUMNS " FROM notify_channels WHERE (?1 = 0 OR tenant_id = ?1) AND id > ?2 "
    "ORDER BY id LIMIT 1";
static const char sql_get_id[] =
    "SELECT " CHANNEL_COLUMNS " FROM notify_channels WHERE tenant_id = ?1 AND id = ?2";
static const char sql_get_name[] =
    "SELECT " CHANNEL_COLUMNS " FROM notify_channels WHERE tenant_id = ?1 AND name = ?2";
static const char sql_remove[] = "DELETE FROM notify_channels WHERE tenant_id = ?1 AND id = ?2";
static const char sql_digest_done[] = "UPDATE notify_channels SET last_digest = ?2 WHERE id = ?1";
/* Open alerts at or above the channel's severity, raised after it was added,
 * that have no delivery on it yet. */
static const char sql_enqueue[] =
    "INSERT OR IGNORE INTO notify_deliveries (channel_id, alert_id) "
    "SELECT ?1, a.id FROM alerts a WHERE a.tenant_id = ?2 AND a.id > ?3 AND a.severity >= ?4 "
    "AND a.state <> 'resolved' AND NOT EXISTS (SELECT 1 FROM notify_deliveries d "
    "WHERE d.channel_id = ?1 AND d.alert_id = a.id)";
static const char sql_due[] =
    "SELECT d.id, d.alert_id, d.attempts, a.severity FROM notify_deliveries d "
    "JOIN alerts a ON a.id = d.alert_id WHERE d.channel_id = ?1 AND d.state = 'pending' "
    "AND d.next_at <= ?2 ORDER BY d.alert_id LIMIT ?3";
static const char sql_claim[] =
    "UPDATE notify_deliveries SET next_at = ?3 WHERE id = ?1 AND state = 'pending' AND next_at <= ?2";
static const char sql_set[] =
    "UPDATE notify_deliveries SET state = ?2, attempts = ?3, next_at = ?4, "
    "done_at = CASE WHEN ?2 = 'pending' THEN 0 ELSE ?5 END, last_error = ?6 WHERE id = ?1";
static const char sql_counts[] =
    "SELECT state, count(*) FROM notify_deliveries WHERE (?1 = 0 OR channel_id = ?1) GROUP BY state";

static bool
channel_valid(const struct store_notify_channel *ch)
{
	static const char *const kinds[] = { "smtp", "slack", "teams", "line", "chatwork", "webhook" };
	bool kind_ok = false;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		kind_ok |= strcmp(ch->kind, kinds[i]) == 0;
	return kind_ok && ch->name[0] && ch->target[0] &&
	    (strcmp(ch->lang, "ja") == 0 || strcmp(ch->lang, "en") == 0) &&
	    ch->min_severity >= 0 && ch->min_severity <= 4 &&
	    ch->quiet_start >= -1 && ch->quiet_start < 1440 &&
	    ch->quiet_end >= -1 && ch->quiet_end < 1440 &&
	    (ch->quiet_start < 0) == (ch->quiet_end < 0) &&
	    ch->digest_at >= -1 && ch->digest_at < 1440 &&
	    ch->utc_offset_min >= -14 * 60 && ch->utc_offset_min <= 14 * 60;
}

static int
name_taken(struct db *db, int64_t tenant_id, const char *name, bool *taken)
{
	sqlite3_stmt *st = db_cached(db, sql_name_taken);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, name);
	int rc = sqlite3_step(st);
	*taken = rc == SQLITE_ROW;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? MAMORI_OK : MAMORI_E_DB;
}

static int
add_locked(struct db *db, struct store_notify_channel *ch, int64_t now_ms)
{
	bool taken;
	int rc = name_taken(db, ch->tenant_id, ch->name, &taken);
	if (rc != MAMORI_OK)
		return rc;
	if (taken)
		return MAMORI_E_INVAL;
	sqlite3_stmt *st = db_cached(db, sql_add);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, ch->tenant_id);
	db_bind_text(st, 2, ch->name);
	db_bind_text(st, 3, ch->kind);
	db_bind_text(st, 4, ch->target);
	db_bind_text(st, 5, ch->server);
	db_bind_text(st, 6, ch->sender);
	db_bind_text(st, 7, ch->username);
	db_bind_text(st, 8, ch->secret);
	db_bind_text(st, 9, ch->lang);
	sqlite3_bind_int(st, 10, ch->min_severity);
	sqlite3_bind_int(st, 11, ch->quiet_start);
	sqlite3_bind_int(st, 12, ch->quiet_end);
	sqlite3_bind_int(st, 13, ch->quiet_critical);
	sqlite3_bind_int(st, 14, ch->utc_offset_min);
	sqlite3_bind_int(st, 15, ch->digest_at);
	sqlite3_bind_int64(st, 16, now_ms);
	if ((rc = db_step_done(st)) != MAMORI_OK)
		return rc;
	ch->id = sqlite3_last_insert_rowid(db->h);
	ch->created_at = now_ms;
	ch->last_digest = 0;
	if (!(st = db_cached(db, sql_after)))
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, ch->id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		ch->after_alert_id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? MAMORI_OK : MAMORI_E_DB;
}

int
store_notify_channel_add(struct db *db, struct store_notify_channel *ch, int64_t now_ms)
{
	if (!channel_valid(ch))
		return MAMORI_E_INVAL;
	int rc = db_begin(db);
	if (rc != MAMORI_OK)
		return rc;
	rc = add_locked(db, ch, now_ms);
	if (rc == MAMORI_OK)
		rc = db_commit(db);
	if (rc != MAMORI_OK)
		db_rollback(db);
	return rc;
}

static void
col_copy(sqlite3_stmt *st, int i, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s", db_col_text(st, i));
}

static void
channel_of(sqlite3_stmt *st, struct store_notify_channel *ch)
{
	memset(ch, 0, sizeof(*ch));
	ch->id = sqlite3_column_int64(st, 0);
	ch->tenant_id = sqlite3_column_int64(st, 1);
	col_copy(st, 2, ch->name, sizeof(ch->name));
	col_copy(st, 3, ch->kind, sizeof(ch->kind));
	col_copy(st, 4, ch->target, sizeof(ch->target));
	col_copy(st, 5, ch->server, sizeof(ch->server));
	col_copy(st, 6, ch->sender, sizeof(ch->sender));
	col_copy(st, 7, ch->username, sizeof(ch->username));
	col_copy(st, 8, ch->secret, sizeof(ch->secret));
	col_copy(st, 9, ch->lang, sizeof(ch->lang));
	ch->min_severity = sqlite3_column_int(st, 10);
	ch->quiet_start = sqlite3_column_int(st, 11);
	ch->quiet_end = sqlite3_column_int(st, 12);
	ch->quiet_critical = sqlite3_column_int(st, 13) != 0;
	ch->utc_offset_min = sqlite3_column_int(st, 14);
	ch->digest_at = sqlite3_column_int(st, 15);
	ch->after_alert_id = sqlite3_column_int64(st, 16);
	ch->last_digest = sqlite3_column_int64(st, 17);
	ch->created_at = sqlite3_column_int64(st, 18);
}

int
store_notify_channel_list(struct db *db, int64_t tenant_id, store_notify_channel_fn fn,
    void *ctx)
{
	struct store_notify_channel *ch = malloc(sizeof(*ch));
	int ret = MAMORI_OK;
	int64_t last = 0;
	if (!ch)
		return MAMORI_E_NOMEM;
	/* One row at a time, copied out, so that fn may use the database. */
	for (;;) {
		sqlite3_stmt *st = db_cached(db, sql_list);
		if (!st) {
			ret = MAMORI_E_DB;
			break;
		}
		sqlite3_bind_int64(st, 1, tenant_id);
		sqlite3_bind_int64(st, 2, last);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			channel_of(st, ch);
		sqlite3_reset(st);
		if (rc != SQLITE_ROW) {
			ret = rc == SQLITE_DONE ? MAMORI_OK : MAMORI_E_DB;
			break;
		}
		last = ch->id;
		if ((ret = fn(ctx, ch)) != 0)
			break;
	}
	explicit_bzero(ch, sizeof(*ch));
	free(ch);
	return ret;
}

int
store_notify_channel_get(struct db *db, int64_t tenant_id, int64_t id, const char *name,
    struct store_notify_channel *out)
{
	sqlite3_stmt *st = db_cached(db, name ? sql_get_name : sql_get_id);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	if (name)
		db_bind_text(st, 2, name);
	else
		sqlite3_bind_int64(st, 2, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		channel_of(st, out);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? MAMORI_OK : rc == SQLITE_DONE ? MAMORI_E_NOTFOUND : MAMORI_E_DB;
}

int
store_notify_channel_remove(struct db *db, int64_t tenant_id, int64_t id)
{
	sqlite3_stmt *st = db_cached(db, sql_remove);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_int64(st, 2, id);
	return db_step_one(st);
}

int
store_notify_channel_digest_done(struct db *db, int64_t channel_id, int64_t at_ms)
{
	sqlite3_stmt *st = db_cached(db, sql_digest_done);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, channel_id);
	sqlite3_bind_int64(st, 2, at_ms);
	return db_step_done(st);
}

int
store_notify_enqueue(struct db *db, const struct store_notify_channel *ch, int *added)
{
	*added = 0;
	sqlite3_stmt *st = db_cached(db, sql_enqueue);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, ch->id);
	sqlite3_bind_int64(st, 2, ch->tenant_id);
	sqlite3_bind_int64(st, 3, ch->after_alert_id);
	sqlite3_bind_int(st, 4, ch->min_severity);
	int rc = db_step_done(st);
	if (rc == MAMORI_OK)
		*added = sqlite3_changes(db->h);
	return rc;
}

int
store_notify_due_list(struct db *db, int64_t channel_id, int64_t now_ms,
    struct store_notify_due *out, int max, int *n)
{
	*n = 0;
	sqlite3_stmt *st = db_cached(db, sql_due);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, channel_id);
	sqlite3_bind_int64(st, 2, now_ms);
	sqlite3_bind_int(st, 3, max);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
		out[*n] = (struct store_notify_due){
			.delivery_id = sqlite3_column_int64(st, 0),
			.alert_id = sqlite3_column_int64(st, 1),
			.attempts = sqlite3_column_int(st, 2),
			.severity = sqlite3_column_int(st, 3),
		};
		(*n)++;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? MAMORI_OK : MAMORI_E_DB;
}

int
store_notify_claim(struct db *db, int64_t delivery_id, int64_t now_ms, int64_t until_ms)
{
	sqlite3_stmt *st = db_cached(db, sql_claim);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, delivery_id);
	sqlite3_bind_int64(st, 2, now_ms);
	sqlite3_bind_int64(st, 3, until_ms);
	return db_step_one(st);
}

int
store_notify_delivery_set(struct db *db, int64_t delivery_id, const char *state,
    int attempts, int64_t next_at, int64_t now_ms, const char *error)
{
	sqlite3_stmt *st = db_cached(db, sql_set);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, delivery_id);
	db_bind_text(st, 2, state);
	sqlite3_bind_int(st, 3, attempts);
	sqlite3_bind_int64(st, 4, next_at);
	sqlite3_bind_int64(st, 5, now_ms);
	db_bind_text(st, 6, error);
	return db_step_done(st);
}

int
store_notify_counts(struct db *db, int64_t channel_id, struct store_notify_counts *out)
{
	memset(out, 0, sizeof(*out));
	sqlite3_stmt *st = db_cached(db, sql_counts);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, channel_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *s = db_col_text(st, 0);
		int64_t v = sqlite3_column_int64(st, 1);
		if (strcmp(s, "pending") == 0)
			out->pending = v;
		else if (strcmp(s, "sent") == 0)
			out->sent = v;
		else if (strcmp(s, "skipped") == 0)
			out->skipped = v;
		else if (strcmp(s, "failed") == 0)
			out->failed = v;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? MAMORI_OK : MAMORI_E_DB;
}
