#include "storage/store_alert.h"

#include <jansson.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/err.h"
#include "storage/db_internal.h"

#define FIELD_MAX 1024		/* rule id, host, address, user: longer is cut */
#define MESSAGE_MAX 4096

/* The dedup key is the selective part: "+last_ts" keeps SQLite off
 * alerts_recent and "+id" off alerts_list (tenant_id, id), which it took
 * for the ORDER BY and then walked every alert of the tenant for each new
 * one (quadratic in a brute-force run). The few open rows of one key are
 * sorted instead. */
static const char sql_find_open[] =
    "SELECT id FROM alerts WHERE tenant_id = ?1 AND dedup_key = ?2 "
    "AND state <> 'resolved' AND +last_ts >= ?3 ORDER BY +id DESC LIMIT 1";
static const char sql_count[] =
    "UPDATE alerts SET count = count + 1, last_ts = max(last_ts, ?2), "
    "severity = max(severity, ?3) WHERE id = ?1";
static const char sql_insert[] =
    "INSERT INTO alerts (tenant_id, host_name, source, rule_id, severity, first_ts, last_ts, "
    "source_ip, user_name, message, dedup_key, body) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8, ?9, ?10, ?11)";
static const char sql_step[] =
    "INSERT INTO alert_timeline (alert_id, at, kind, actor, note) VALUES (?1, ?2, ?3, ?4, ?5)";
#define ALERT_COLUMNS \
    "id, host_name, source, rule_id, severity, first_ts, last_ts, count, source_ip, " \
    "user_name, message, state, body"
static const char sql_list[] =
    "SELECT " ALERT_COLUMNS " FROM alerts WHERE tenant_id = ?1 "
    "AND (?2 = 0 OR state <> 'resolved') AND severity >= ?3 AND (?4 = 0 OR id < ?4) "
    "ORDER BY id DESC LIMIT ?5";
static const char sql_month[] =
    "SELECT " ALERT_COLUMNS " FROM alerts WHERE tenant_id = ?1 AND last_ts >= ?2 "
    "AND first_ts >= ?2 AND first_ts < ?3 ORDER BY severity DESC, first_ts, id LIMIT ?4";
static const char sql_month_counts[] =
    "SELECT severity, count(*), coalesce(sum(state = 'resolved'), 0) FROM alerts "
    "WHERE tenant_id = ?1 AND last_ts >= ?2 AND first_ts >= ?2 AND first_ts < ?3 GROUP BY severity";
static const char sql_get[] =
    "SELECT " ALERT_COLUMNS " FROM alerts WHERE tenant_id = ?1 AND id = ?2";
static const char sql_timeline[] =
    "SELECT at, kind, actor, note FROM alert_timeline WHERE alert_id = ?1 ORDER BY id";
static const char sql_state_of[] =
    "SELECT state FROM alerts WHERE tenant_id = ?1 AND id = ?2";
static const char sql_set_state[] = "UPDATE alerts SET state = ?2 WHERE id = ?1";
static const char sql_open_counts[] =
    "SELECT severity, count(*) FROM alerts WHERE tenant_id = ?1 AND state <> 'resolved' "
    "GROUP BY severity";

static int
severity_of(const char *word)
{
	static const char *const names[] = { "info", "low", "medium", "high", "critical" };
	for (int i = 0; word && i < 5; i++)
		if (strcmp(word, names[i]) == 0)
			return i;
	return -1;
}

static int
digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* "YYYY-MM-DDTHH:MM:SS[.fff...](Z|+HH:MM|-HH:MM)" to milliseconds; -1 if not. */
static int64_t
iso8601_ms(const char *s)
{
	int y, mo, d, h, mi, se, ms = 0, oh = 0, om = 0;
	size_t n = strlen(s);
	if (n < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
	    s[13] != ':' || s[16] != ':' || digits(s, 4, &y) || digits(s + 5, 2, &mo) ||
	    digits(s + 8, 2, &d) || digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) ||
	    digits(s + 17, 2, &se))
		return -1;
	const char *p = s + 19;
	if (*p == '.') {
		int k = 0;
		for (p++; *p >= '0' && *p <= '9'; p++, k++)
			if (k < 3)
				ms = ms * 10 + (*p - '0');
		for (; k < 3; k++)
			ms *= 10;
	}
	int sign = 0;
	if (*p == 'Z' && p[1] == '\0')
		sign = 0;
	else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':' &&
	    !digits(p + 1, 2, &oh) && !digits(p + 4, 2, &om))
		sign = *p == '+' ? 1 : -1;
	else
		return -1;
	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || se > 60)
		return -1;
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h,
		.tm_min = mi, .tm_sec = se };
	time_t t = timegm(&tm);
	if (t == (time_t)-1)
		return -1;
	return ((int64_t)t - sign * (oh * 3600 + om * 60)) * 1000 + ms;
}

/* A string field, cut at max bytes (on a UTF-8 boundary); "" when absent. */
static void
field(const json_t *o, const char *key, char *out, size_t max)
{
	const char *s = json_string_value(json_object_get(o, key));
	size_t n = s ? strlen(s) : 0;
	if (n >= max) {
		n = max - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	if (n)
		memcpy(out, s, n);
	out[n] = '\0';
}

struct parsed {
	int severity;
	int64_t ts;
	char rule[FIELD_MAX], host[FIELD_MAX], ip[FIELD_MAX], user[FIELD_MAX];
	char message[MESSAGE_MAX];
	char key[4 * FIELD_MAX + 4];
};

/* The fields of an alert object (not taken over). */
static int
parse_obj(const struct store_alert_in *in, const json_t *o, struct parsed *p)
{
	const char *kind = json_string_value(json_object_get(o, "event.kind"));
	if (!json_is_object(o) || !kind || strcmp(kind, "alert") != 0)
		return MAMORI_E_PARSE;
	field(o, "rule.id", p->rule, sizeof(p->rule));
	field(o, "host.name", p->host, sizeof(p->host));
	field(o, "source.ip", p->ip, sizeof(p->ip));
	field(o, "user.name", p->user, sizeof(p->user));
	field(o, "message", p->message, sizeof(p->message));
	if (!p->host[0] && in->host_name)
		snprintf(p->host, sizeof(p->host), "%s", in->host_name);
	p->severity = severity_of(json_string_value(json_object_get(o, "severity")));
	const char *ts = json_string_value(json_object_get(o, "@timestamp"));
	p->ts = ts ? iso8601_ms(ts) : -1;
	if (!p->rule[0] || p->severity < 0)
		return MAMORI_E_PARSE;
	if (p->ts < 0)
		p->ts = in->now_ms;
	/* Unit separators cannot occur in the fields' meaning, so keys don't collide. */
	snprintf(p->key, sizeof(p->key), "%s\x1f%s\x1f%s\x1f%s", p->rule, p->host, p->ip, p->user);
	return MAMORI_OK;
}

static int
record(struct db *db, const struct store_alert_in *in, const struct parsed *p,
    const char *line, size_t len, int64_t *id, bool *is_new)
{
	int64_t window = in->dedup_ms > 0 ? in->dedup_ms : STORE_ALERT_DEDUP_MS;
	sqlite3_stmt *st = db_cached(db, sql_find_open);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, in->tenant_id);
	db_bind_text(st, 2, p->key);
	sqlite3_bind_int64(st, 3, p->ts - window);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		*is_new = false;
		if (!(st = db_cached(db, sql_count)))
			return MAMORI_E_DB;
		sqlite3_bind_int64(st, 1, *id);
		sqlite3_bind_int64(st, 2, p->ts);
		sqlite3_bind_int(st, 3, p->severity);
		return db_step_done(st);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return MAMORI_E_DB;
	if (!(st = db_cached(db, sql_insert)))
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, in->tenant_id);
	db_bind_text(st, 2, p->host);
	db_bind_text(st, 3, in->source);
	db_bind_text(st, 4, p->rule);
	sqlite3_bind_int(st, 5, p->severity);
	sqlite3_bind_int64(st, 6, p->ts);
	db_bind_text(st, 7, p->ip);
	db_bind_text(st, 8, p->user);
	db_bind_text(st, 9, p->message);
	db_bind_text(st, 10, p->key);
	sqlite3_bind_text(st, 11, line, (int)len, SQLITE_STATIC);
	if ((rc = db_step_done(st)) != MAMORI_OK)
		return rc;
	*id = sqlite3_last_insert_rowid(db->h);
	*is_new = true;
	return db_timeline_add(db, sql_step, *id, p->ts, "raised", in->source, "");
}

static int
parse_line(const struct store_alert_in *in, const char *line, size_t len, struct parsed *p)
{
	json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, NULL);
	int rc = parse_obj(in, o, p);
	json_decref(o);
	return rc;
}

/* obj: line parsed already (the caller's own alert), or NULL. */
static int
record_line(struct db *db, const struct store_alert_in *in, const json_t *obj, const char *line,
    size_t len, int64_t *id, bool *is_new)
{
	if (len > STORE_ALERT_BODY_MAX)
		return MAMORI_E_LIMIT;
	struct parsed *p = calloc(1, sizeof(*p));
	if (!p)
		return MAMORI_E_NOMEM;
	int rc = obj ? parse_obj(in, obj, p) : parse_line(in, line, len, p);
	if (rc != MAMORI_OK)
		goto out;
	bool own = sqlite3_get_autocommit(db->h);
	if (own && (rc = db_begin(db)) != MAMORI_OK)
		goto out;
	rc = record(db, in, p, line, len, id, is_new);
	if (own) {
		if (rc == MAMORI_OK)
			rc = db_commit(db);
		if (rc != MAMORI_OK)
			db_rollback(db);
	}
out:
	free(p);
	return rc;
}

int
store_alert_record_json(struct db *db, const struct store_alert_in *in, const char *line,
    size_t len, int64_t *id, bool *is_new)
{
	return record_line(db, in, NULL, line, len, id, is_new);
}

int
store_alert_record_obj(struct db *db, const struct store_alert_in *in, const json_t *obj,
    const char *line, size_t len, int64_t *id, bool *is_new)
{
	return record_line(db, in, obj, line, len, id, is_new);
}

/* The caller's callbacks, for db_step_rows(). */
struct each {
	store_alert_fn row;
	store_alert_step_fn step;
	void *ctx;
};

static int
row_out(sqlite3_stmt *st, void *arg)
{
	const struct each *e = arg;
	struct store_alert_row r = {
		.id = sqlite3_column_int64(st, 0),
		.host_name = db_col_text(st, 1),
		.source = db_col_text(st, 2),
		.rule_id = db_col_text(st, 3),
		.severity = sqlite3_column_int(st, 4),
		.first_ts = sqlite3_column_int64(st, 5),
		.last_ts = sqlite3_column_int64(st, 6),
		.count = sqlite3_column_int64(st, 7),
		.source_ip = db_col_text(st, 8),
		.user_name = db_col_text(st, 9),
		.message = db_col_text(st, 10),
		.state = db_col_text(st, 11),
		.body = db_col_text(st, 12),
	};
	return e->row(e->ctx, &r);
}

static int
step_out(sqlite3_stmt *st, void *arg)
{
	const struct each *e = arg;
	struct store_alert_step s = {
		.at = sqlite3_column_int64(st, 0),
		.kind = db_col_text(st, 1),
		.actor = db_col_text(st, 2),
		.note = db_col_text(st, 3),
	};
	return e->step(e->ctx, &s);
}

int
store_alert_list(struct db *db, int64_t tenant_id, const struct store_alert_filter *f,
    store_alert_fn fn, void *ctx)
{
	sqlite3_stmt *st = db_cached(db, sql_list);
	if (!st)
		return MAMORI_E_DB;
	int limit = f->limit <= 0 ? 100 : f->limit > 500 ? 500 : f->limit;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_int(st, 2, f->open_only);
	sqlite3_bind_int(st, 3, f->min_severity);
	sqlite3_bind_int64(st, 4, f->before_id);
	sqlite3_bind_int(st, 5, limit);
	struct each e = { .row = fn, .ctx = ctx };
	return db_step_rows(st, row_out, &e);
}

int
store_alert_get(struct db *db, int64_t tenant_id, int64_t id, store_alert_fn fn,
    store_alert_step_fn step, void *ctx)
{
	sqlite3_stmt *st = db_cached(db, sql_get);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_int64(st, 2, id);
	struct each e = { .row = fn, .step = step, .ctx = ctx };
	int ret = db_step_first(st, row_out, &e);
	if (ret != MAMORI_OK || !step)
		return ret;
	if (!(st = db_cached(db, sql_timeline)))
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, id);
	return db_step_rows(st, step_out, &e);
}

/* The current state, or NOTFOUND for a missing id or another tenant's. */
static int
state_of(struct db *db, int64_t tenant_id, int64_t id, char *out, size_t outsz)
{
	return db_text_of(db, sql_state_of, tenant_id, id, out, outsz);
}

static int
set_state_locked(struct db *db, int64_t tenant_id, int64_t id, const char *state,
    const char *actor, const char *note, int64_t now_ms)
{
	char cur[32];
	const char *kind;
	int rc = state_of(db, tenant_id, id, cur, sizeof(cur));
	if (rc != MAMORI_OK)
		return rc;
	if (strcmp(state, "acknowledged") == 0 && strcmp(cur, "new") == 0)
		kind = "acknowledged";
	else if (strcmp(state, "resolved") == 0 && strcmp(cur, "resolved") != 0)
		kind = "resolved";
	else if (strcmp(state, "new") == 0 && strcmp(cur, "new") != 0)
		kind = "reopened";
	else
		return MAMORI_E_INVAL;
	sqlite3_stmt *st = db_cached(db, sql_set_state);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, id);
	db_bind_text(st, 2, state);
	if ((rc = db_step_done(st)) != MAMORI_OK)
		return rc;
	return db_timeline_add(db, sql_step, id, now_ms, kind, actor, note);
}

int
store_alert_set_state(struct db *db, int64_t tenant_id, int64_t id, const char *state,
    const char *actor, const char *note, int64_t now_ms)
{
	int rc = db_begin(db);
	if (rc != MAMORI_OK)
		return rc;
	rc = set_state_locked(db, tenant_id, id, state, actor, note, now_ms);
	if (rc == MAMORI_OK)
		rc = db_commit(db);
	if (rc != MAMORI_OK)
		db_rollback(db);
	return rc;
}

int
store_alert_add_step(struct db *db, int64_t tenant_id, int64_t id, const char *kind,
    const char *actor, const char *note, int64_t now_ms)
{
	char cur[32];
	if (strcmp(kind, "notified") != 0 && strcmp(kind, "note") != 0)
		return MAMORI_E_INVAL;
	int rc = state_of(db, tenant_id, id, cur, sizeof(cur));
	return rc != MAMORI_OK ? rc : db_timeline_add(db, sql_step, id, now_ms, kind, actor, note);
}

int
store_alert_open_counts(struct db *db, int64_t tenant_id, int64_t counts[5])
{
	sqlite3_stmt *st = db_cached(db, sql_open_counts);
	if (!st)
		return MAMORI_E_DB;
	memset(counts, 0, 5 * sizeof(counts[0]));
	sqlite3_bind_int64(st, 1, tenant_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int s = sqlite3_column_int(st, 0);
		if (s >= 0 && s <= 4)
			counts[s] = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? MAMORI_OK : MAMORI_E_DB;
}

static int
month_count(sqlite3_stmt *st, void *arg)
{
	struct store_alert_month_counts *c = arg;
	int sev = sqlite3_column_int(st, 0);
	if (sev >= 0 && sev < 5)
		c->by_severity[sev] = sqlite3_column_int64(st, 1);
	c->total += sqlite3_column_int64(st, 1);
	c->resolved += sqlite3_column_int64(st, 2);
	return 0;
}

int
store_alert_month(struct db *db, int64_t tenant_id, int64_t from_ms, int64_t to_ms,
    struct store_alert_month_counts *counts, int limit, store_alert_fn fn, void *ctx)
{
	memset(counts, 0, sizeof(*counts));
	sqlite3_stmt *st = db_cached(db, sql_month_counts);
	if (!st)
		return MAMORI_E_DB;
	db_bind_period(st, tenant_id, from_ms, to_ms, 0);
	int rc = db_step_rows(st, month_count, counts);
	if (rc || limit <= 0)
		return rc;
	if (!(st = db_cached(db, sql_month)))
		return MAMORI_E_DB;
	db_bind_period(st, tenant_id, from_ms, to_ms, limit > 500 ? 500 : limit);
	struct each e = { .row = fn, .ctx = ctx };
	return db_step_rows(st, row_out, &e);
}
