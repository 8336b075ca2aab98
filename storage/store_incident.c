#include "storage/store_incident.h"

#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "storage/db_internal.h"

#define INCIDENT_COLUMNS \
    "i.id, i.kind, i.title, i.state, i.step, i.opened_by, coalesce(i.alert_id, 0), " \
    "i.discovered_at, i.opened_at, coalesce(i.closed_at, 0), i.w_when, i.w_where, i.w_who, " \
    "i.w_what, i.w_why, i.w_how, i.ppc_cases, i.ppc_encrypted, " \
    "(SELECT count(*) FROM incident_checks c WHERE c.incident_id = i.id)"

static const char sql_alert[] =
    "SELECT message, rule_id, first_ts FROM alerts WHERE tenant_id = ?1 AND id = ?2";
static const char sql_insert[] =
    "INSERT INTO incidents (tenant_id, kind, title, alert_id, discovered_at, opened_at, opened_by) "
    "VALUES (?1, ?2, ?3, nullif(?4, 0), ?5, ?6, ?7)";
static const char sql_step[] =
    "INSERT INTO incident_timeline (incident_id, at, kind, actor, note) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char sql_list[] =
    "SELECT " INCIDENT_COLUMNS " FROM incidents i WHERE i.tenant_id = ?1 "
    "AND (?2 = 0 OR i.state = 'open') ORDER BY i.id DESC LIMIT 500";
static const char sql_month[] =
    "SELECT " INCIDENT_COLUMNS " FROM incidents i WHERE i.tenant_id = ?1 AND "
    "((i.opened_at >= ?2 AND i.opened_at < ?3) OR (i.closed_at >= ?2 AND i.closed_at < ?3)) "
    "ORDER BY i.id LIMIT ?4";
static const char sql_get[] =
    "SELECT " INCIDENT_COLUMNS " FROM incidents i WHERE i.tenant_id = ?1 AND i.id = ?2";
static const char sql_checks[] =
    "SELECT item, done_at, done_by FROM incident_checks WHERE incident_id = ?1 ORDER BY done_at, item";
static const char sql_reports[] =
    "SELECT authority, reported_at, reported_by, note FROM incident_reports WHERE incident_id = ?1 "
    "ORDER BY reported_at";
static const char sql_evidence[] =
    "SELECT id, added_at, added_by, what, location, sha256 FROM incident_evidence "
    "WHERE incident_id = ?1 ORDER BY id";
static const char sql_timeline[] =
    "SELECT at, kind, actor, note FROM incident_timeline WHERE incident_id = ?1 ORDER BY id";
static const char sql_exists[] =
    "SELECT state FROM incidents WHERE tenant_id = ?1 AND id = ?2";
static const char *const sql_set_field[SI_NFIELDS] = {
	"UPDATE incidents SET title = ?2 WHERE id = ?1",
	"UPDATE incidents SET w_when = ?2 WHERE id = ?1",
	"UPDATE incidents SET w_where = ?2 WHERE id = ?1",
	"UPDATE incidents SET w_who = ?2 WHERE id = ?1",
	"UPDATE incidents SET w_what = ?2 WHERE id = ?1",
	"UPDATE incidents SET w_why = ?2 WHERE id = ?1",
	"UPDATE incidents SET w_how = ?2 WHERE id = ?1",
};
static const char sql_set_step[] = "UPDATE incidents SET step = ?2 WHERE id = ?1";
static const char sql_set_disc[] = "UPDATE incidents SET discovered_at = ?2 WHERE id = ?1";
static const char sql_set_ppc[] =
    "UPDATE incidents SET ppc_cases = ?2, ppc_encrypted = ?3 WHERE id = ?1";
static const char sql_check[] =
    "INSERT OR IGNORE INTO incident_checks (incident_id, item, done_at, done_by) VALUES (?1, ?2, ?3, ?4)";
static const char sql_uncheck[] =
    "DELETE FROM incident_checks WHERE incident_id = ?1 AND item = ?2";
static const char sql_report[] =
    "INSERT INTO incident_reports (incident_id, authority, reported_at, reported_by, note) "
    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (incident_id, authority) DO UPDATE SET "
    "reported_at = excluded.reported_at, reported_by = excluded.reported_by, note = excluded.note";
static const char sql_evidence_add[] =
    "INSERT INTO incident_evidence (incident_id, added_at, added_by, what, location, sha256) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char sql_close[] =
    "UPDATE incidents SET state = ?2, closed_at = CASE WHEN ?2 = 'closed' THEN ?3 END WHERE id = ?1";
static const char sql_open_count[] =
    "SELECT count(*) FROM incidents WHERE tenant_id = ?1 AND state = 'open'";
static const char sql_contact_set[] =
    "INSERT INTO contacts (tenant_id, role, name, phone, email, note, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (tenant_id, role) DO UPDATE SET "
    "name = excluded.name, phone = excluded.phone, email = excluded.email, note = excluded.note, "
    "updated_at = excluded.updated_at";
static const char sql_contact_del[] = "DELETE FROM contacts WHERE tenant_id = ?1 AND role = ?2";
static const char sql_contacts[] =
    "SELECT role, name, phone, email, note, updated_at FROM contacts WHERE tenant_id = ?1 ORDER BY role";

const char *
store_incident_field_name(enum store_incident_field f)
{
	static const char *const names[SI_NFIELDS] = {
		"title", "when", "where", "who", "what", "why", "how",
	};
	return f >= 0 && f < SI_NFIELDS ? names[f] : "";
}

/* Runs fn in a transaction; commits on 0, else rolls back. */
static int
in_tx(struct db *db, int (*fn)(struct db *, void *), void *arg)
{
	int rc = db_begin(db);
	if (rc != MAMORI_OK)
		return rc;
	rc = fn(db, arg);
	if (rc == MAMORI_OK)
		rc = db_commit(db);
	if (rc != MAMORI_OK)
		db_rollback(db);
	return rc;
}

static bool
text_ok(const char *s)
{
	return s && strlen(s) <= STORE_INCIDENT_TEXT_MAX;
}

struct open_args {
	const struct store_incident_new *in;
	int64_t *id;
};

static int
open_tx(struct db *db, void *arg)
{
	struct open_args *a = arg;
	const struct store_incident_new *in = a->in;
	char title[512];
	int64_t discovered = in->discovered_at;
	snprintf(title, sizeof(title), "%s", in->title ? in->title : "");
	if (in->alert_id > 0) {
		sqlite3_stmt *st = db_cached(db, sql_alert);
		if (!st)
			return MAMORI_E_DB;
		sqlite3_bind_int64(st, 1, in->tenant_id);
		sqlite3_bind_int64(st, 2, in->alert_id);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			const char *msg = db_col_text(st, 0);
			if (!title[0])
				snprintf(title, sizeof(title), "%s", *msg ? msg : db_col_text(st, 1));
			if (discovered <= 0)
				discovered = sqlite3_column_int64(st, 2) / 1000;
		}
		sqlite3_reset(st);
		if (rc != SQLITE_ROW)
			return rc == SQLITE_DONE ? MAMORI_E_NOTFOUND : MAMORI_E_DB;
	}
	if (discovered <= 0)
		discovered = in->now;
	sqlite3_stmt *st = db_cached(db, sql_insert);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, in->tenant_id);
	db_bind_text(st, 2, in->kind);
	db_bind_text(st, 3, title);
	sqlite3_bind_int64(st, 4, in->alert_id > 0 ? in->alert_id : 0);
	sqlite3_bind_int64(st, 5, discovered);
	sqlite3_bind_int64(st, 6, in->now);
	db_bind_text(st, 7, in->actor);
	int rc = db_step_done(st);
	if (rc != MAMORI_OK)
		return rc;
	*a->id = sqlite3_last_insert_rowid(db->h);
	char note[64] = "";
	if (in->alert_id > 0)
		snprintf(note, sizeof(note), "alert %lld", (long long)in->alert_id);
	return db_timeline_add(db, sql_step, *a->id, in->now, "opened", in->actor, note);
}

int
store_incident_open(struct db *db, const struct store_incident_new *in, int64_t *id)
{
	if (!text_ok(in->title ? in->title : "") || !in->kind || !*in->kind)
		return MAMORI_E_INVAL;
	struct open_args a = { in, id };
	return in_tx(db, open_tx, &a);
}

static int
row_out(sqlite3_stmt *st, store_incident_fn fn, void *ctx)
{
	struct store_incident_row r = {
		.id = sqlite3_column_int64(st, 0),
		.kind = db_col_text(st, 1),
		.title = db_col_text(st, 2),
		.state = db_col_text(st, 3),
		.step = db_col_text(st, 4),
		.opened_by = db_col_text(st, 5),
		.alert_id = sqlite3_column_int64(st, 6),
		.discovered_at = sqlite3_column_int64(st, 7),
		.opened_at = sqlite3_column_int64(st, 8),
		.closed_at = sqlite3_column_int64(st, 9),
		.ppc_cases = (unsigned)sqlite3_column_int(st, 16),
		.ppc_encrypted = sqlite3_column_int(st, 17) != 0,
		.checks_done = sqlite3_column_int(st, 18),
	};
	r.w[SI_TITLE] = r.title;
	for (int f = SI_WHEN; f < SI_NFIELDS; f++)
		r.w[f] = db_col_text(st, 10 + f - SI_WHEN);
	return fn(ctx, &r);
}

struct list_arg {
	store_incident_fn fn;
	void *ctx;
};

static int
each_incident(sqlite3_stmt *st, void *arg)
{
	struct list_arg *l = arg;
	return row_out(st, l->fn, l->ctx);
}

int
store_incident_list(struct db *db, int64_t tenant_id, bool open_only, store_incident_fn fn,
    void *ctx)
{
	sqlite3_stmt *st = db_cached(db, sql_list);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_int(st, 2, open_only);
	struct list_arg l = { fn, ctx };
	return db_step_rows(st, each_incident, &l);
}

int
store_incident_month(struct db *db, int64_t tenant_id, int64_t from, int64_t to, int limit,
    store_incident_fn fn, void *ctx)
{
	sqlite3_stmt *st = db_cached(db, sql_month);
	if (!st)
		return MAMORI_E_DB;
	db_bind_period(st, tenant_id, from, to, limit);
	struct list_arg l = { fn, ctx };
	return db_step_rows(st, each_incident, &l);
}

struct detail_arg {
	const struct store_incident_detail_fns *fns;
	void *ctx;
};

/* Runs a per-incident query, handing each row to each(). */
static int
each_row(struct db *db, const char *sql, int64_t id, int (*each)(sqlite3_stmt *, void *),
    struct detail_arg *arg)
{
	sqlite3_stmt *st = db_cached(db, sql);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, id);
	return db_step_rows(st, each, arg);
}

static int
each_check(sqlite3_stmt *st, void *arg)
{
	const struct detail_arg *a = arg;
	return a->fns->check(a->ctx, db_col_text(st, 0), sqlite3_column_int64(st, 1), db_col_text(st, 2));
}

static int
each_report(sqlite3_stmt *st, void *arg)
{
	const struct detail_arg *a = arg;
	return a->fns->report(a->ctx, db_col_text(st, 0), sqlite3_column_int64(st, 1), db_col_text(st, 2),
	    db_col_text(st, 3));
}

static int
each_evidence(sqlite3_stmt *st, void *arg)
{
	const struct detail_arg *a = arg;
	return a->fns->evidence(a->ctx, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
	    db_col_text(st, 2), db_col_text(st, 3), db_col_text(st, 4), db_col_text(st, 5));
}

static int
each_step(sqlite3_stmt *st, void *arg)
{
	const struct detail_arg *a = arg;
	return a->fns->step(a->ctx, sqlite3_column_int64(st, 0), db_col_text(st, 1), db_col_text(st, 2),
	    db_col_text(st, 3));
}

static int
no_row(void *ctx, const struct store_incident_row *r)
{
	(void)ctx;
	(void)r;
	return 0;
}

int
store_incident_get(struct db *db, int64_t tenant_id, int64_t id,
    const struct store_incident_detail_fns *fns, void *ctx)
{
	sqlite3_stmt *st = db_cached(db, sql_get);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_int64(st, 2, id);
	int rc = sqlite3_step(st);
	int ret = rc == SQLITE_ROW ? row_out(st, fns->row ? fns->row : no_row, ctx) :
	    rc == SQLITE_DONE ? MAMORI_E_NOTFOUND : MAMORI_E_DB;
	sqlite3_reset(st);
	struct detail_arg a = { fns, ctx };
	if (ret == MAMORI_OK && fns->check)
		ret = each_row(db, sql_checks, id, each_check, &a);
	if (ret == MAMORI_OK && fns->report)
		ret = each_row(db, sql_reports, id, each_report, &a);
	if (ret == MAMORI_OK && fns->evidence)
		ret = each_row(db, sql_evidence, id, each_evidence, &a);
	if (ret == MAMORI_OK && fns->step)
		ret = each_row(db, sql_timeline, id, each_step, &a);
	return ret;
}

/* One change: the incident must be the tenant's; then sql with ?1 = id. */
struct change {
	const struct store_incident_who *w;
	const char *sql;
	const char *text;	/* ?2 as text, or */
	int64_t num;		/* ?2 as a number when text is NULL */
	int64_t num3;		/* ?3 */
	const char *text3;	/* ?3 as text when set */
	const char *kind, *note;	/* timeline */
	const char *want_state;	/* refuse unless the incident is in this state; NULL: any */
};

static int
state_of(struct db *db, const struct store_incident_who *w, char *out, size_t outsz)
{
	return db_text_of(db, sql_exists, w->tenant_id, w->id, out, outsz);
}

static int
change_tx(struct db *db, void *arg)
{
	struct change *c = arg;
	char state[16];
	int rc = state_of(db, c->w, state, sizeof(state));
	if (rc != MAMORI_OK)
		return rc;
	if (c->want_state && strcmp(state, c->want_state) != 0)
		return MAMORI_E_INVAL;
	sqlite3_stmt *st = db_cached(db, c->sql);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, c->w->id);
	if (c->text)
		db_bind_text(st, 2, c->text);
	else
		sqlite3_bind_int64(st, 2, c->num);
	if (c->text3)
		db_bind_text(st, 3, c->text3);
	else
		sqlite3_bind_int64(st, 3, c->num3);
	if (sqlite3_bind_parameter_count(st) >= 4)	/* the tick's author */
		db_bind_text(st, 4, c->w->actor);
	if ((rc = db_step_done(st)) != MAMORI_OK)
		return rc;
	return db_timeline_add(db, sql_step, c->w->id, c->w->now, c->kind, c->w->actor,
	    c->note ? c->note : "");
}

int
store_incident_set_field(struct db *db, const struct store_incident_who *w,
    enum store_incident_field f, const char *value)
{
	if (f < 0 || f >= SI_NFIELDS || !text_ok(value) || (f == SI_TITLE && !*value))
		return MAMORI_E_INVAL;
	char note[STORE_INCIDENT_TEXT_MAX + 16];
	snprintf(note, sizeof(note), "%s: %s", store_incident_field_name(f), value);
	struct change c = { .w = w, .sql = sql_set_field[f], .text = value, .kind = "field",
		.note = note };
	return in_tx(db, change_tx, &c);
}

int
store_incident_set_step(struct db *db, const struct store_incident_who *w, const char *step)
{
	struct change c = { .w = w, .sql = sql_set_step, .text = step, .kind = "step", .note = step,
		.want_state = "open" };
	return in_tx(db, change_tx, &c);
}

int
store_incident_set_discovered(struct db *db, const struct store_incident_who *w, int64_t t)
{
	char note[32];
	snprintf(note, sizeof(note), "discovered_at %lld", (long long)t);
	struct change c = { .w = w, .sql = sql_set_disc, .num = t, .kind = "field", .note = note };
	return t > 0 ? in_tx(db, change_tx, &c) : MAMORI_E_INVAL;
}

int
store_incident_set_ppc(struct db *db, const struct store_incident_who *w, unsigned cases,
    bool encrypted)
{
	char note[48];
	snprintf(note, sizeof(note), "cases %u%s", cases, encrypted ? ", encrypted" : "");
	struct change c = { .w = w, .sql = sql_set_ppc, .num = cases, .num3 = encrypted,
		.kind = "ppc", .note = note };
	return cases <= 15 ? in_tx(db, change_tx, &c) : MAMORI_E_INVAL;
}

int
store_incident_check(struct db *db, const struct store_incident_who *w, const char *item,
    bool done)
{
	struct change c = { .w = w, .sql = done ? sql_check : sql_uncheck, .text = item,
		.num3 = w->now, .kind = done ? "check" : "uncheck", .note = item };
	if (!item || !*item || strlen(item) > 64)
		return MAMORI_E_INVAL;
	return in_tx(db, change_tx, &c);
}

struct report_args {
	const struct store_incident_who *w;
	const char *authority, *note;
	int64_t at;
};

static int
report_tx(struct db *db, void *arg)
{
	struct report_args *a = arg;
	char state[16];
	int rc = state_of(db, a->w, state, sizeof(state));
	if (rc != MAMORI_OK)
		return rc;
	sqlite3_stmt *st = db_cached(db, sql_report);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, a->w->id);
	db_bind_text(st, 2, a->authority);
	sqlite3_bind_int64(st, 3, a->at);
	db_bind_text(st, 4, a->w->actor);
	db_bind_text(st, 5, a->note);
	if ((rc = db_step_done(st)) != MAMORI_OK)
		return rc;
	return db_timeline_add(db, sql_step, a->w->id, a->w->now, "report", a->w->actor, a->authority);
}

int
store_incident_reported(struct db *db, const struct store_incident_who *w,
    const char *authority, int64_t at, const char *note)
{
	if (!authority || !*authority || strlen(authority) > 32 || !text_ok(note ? note : ""))
		return MAMORI_E_INVAL;
	struct report_args a = { w, authority, note ? note : "", at > 0 ? at : w->now };
	return in_tx(db, report_tx, &a);
}

struct evidence_args {
	const struct store_incident_who *w;
	const char *what, *location, *sha256;
};

static int
evidence_tx(struct db *db, void *arg)
{
	struct evidence_args *a = arg;
	char state[16];
	int rc = state_of(db, a->w, state, sizeof(state));
	if (rc != MAMORI_OK)
		return rc;
	sqlite3_stmt *st = db_cached(db, sql_evidence_add);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, a->w->id);
	sqlite3_bind_int64(st, 2, a->w->now);
	db_bind_text(st, 3, a->w->actor);
	db_bind_text(st, 4, a->what);
	db_bind_text(st, 5, a->location);
	db_bind_text(st, 6, a->sha256);
	if ((rc = db_step_done(st)) != MAMORI_OK)
		return rc;
	return db_timeline_add(db, sql_step, a->w->id, a->w->now, "evidence", a->w->actor, a->what);
}

int
store_incident_add_evidence(struct db *db, const struct store_incident_who *w,
    const char *what, const char *location, const char *sha256)
{
	if (!what || !*what || !text_ok(what) || !text_ok(location ? location : "") ||
	    (sha256 && strlen(sha256) > 128))
		return MAMORI_E_INVAL;
	struct evidence_args a = { w, what, location ? location : "", sha256 ? sha256 : "" };
	return in_tx(db, evidence_tx, &a);
}

struct note_args {
	const struct store_incident_who *w;
	const char *kind, *note;
};

static int
note_tx(struct db *db, void *arg)
{
	struct note_args *a = arg;
	char state[16];
	int rc = state_of(db, a->w, state, sizeof(state));
	return rc != MAMORI_OK ? rc :
	    db_timeline_add(db, sql_step, a->w->id, a->w->now, a->kind, a->w->actor, a->note);
}

int
store_incident_note(struct db *db, const struct store_incident_who *w, const char *note)
{
	if (!note || !*note || !text_ok(note))
		return MAMORI_E_INVAL;
	struct note_args a = { w, "note", note };
	return in_tx(db, note_tx, &a);
}

int
store_incident_close(struct db *db, const struct store_incident_who *w, bool close,
    const char *note)
{
	if (!text_ok(note ? note : ""))
		return MAMORI_E_INVAL;
	struct change c = { .w = w, .sql = sql_close, .text = close ? "closed" : "open",
		.num3 = w->now, .kind = close ? "closed" : "reopened", .note = note,
		.want_state = close ? "open" : "closed" };
	return in_tx(db, change_tx, &c);
}

int
store_incident_open_count(struct db *db, int64_t tenant_id, int64_t *n)
{
	sqlite3_stmt *st = db_cached(db, sql_open_count);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	return db_step_int64(st, n);
}

int
store_contact_set(struct db *db, int64_t tenant_id, const struct store_contact *c)
{
	const char *f[] = { c->name, c->phone, c->email, c->note };
	if (!c->role || !*c->role || strlen(c->role) > 32)
		return MAMORI_E_INVAL;
	for (size_t i = 0; i < 4; i++)
		if (f[i] && strlen(f[i]) > 1000)
			return MAMORI_E_INVAL;
	sqlite3_stmt *st = db_cached(db, sql_contact_set);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, c->role);
	for (int i = 0; i < 4; i++)
		db_bind_text(st, 3 + i, f[i]);
	sqlite3_bind_int64(st, 7, c->updated_at);
	return db_step_done(st);
}

int
store_contact_delete(struct db *db, int64_t tenant_id, const char *role)
{
	sqlite3_stmt *st = db_cached(db, sql_contact_del);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, role);
	return db_step_one(st);
}

struct contact_arg {
	int (*fn)(void *ctx, const struct store_contact *c);
	void *ctx;
};

static int
each_contact(sqlite3_stmt *st, void *arg)
{
	const struct contact_arg *a = arg;
	struct store_contact c = {
		.role = db_col_text(st, 0), .name = db_col_text(st, 1),
		.phone = db_col_text(st, 2), .email = db_col_text(st, 3),
		.note = db_col_text(st, 4), .updated_at = sqlite3_column_int64(st, 5),
	};
	return a->fn(a->ctx, &c);
}

int
store_contact_list(struct db *db, int64_t tenant_id,
    int (*fn)(void *ctx, const struct store_contact *c), void *ctx)
{
	sqlite3_stmt *st = db_cached(db, sql_contacts);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	struct contact_arg a = { fn, ctx };
	return db_step_rows(st, each_contact, &a);
}
