/* api_alerts.c - the alerts an owner sees and acts on: list, one alert with
 * its timeline, and acknowledge / resolve / reopen. Scoped by tenant. */
#include "manager/api.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "storage/db.h"
#include "storage/store_alert.h"

static const char *const severity_names[] = { "info", "low", "medium", "high", "critical" };

/* A stored body is ours, but a damaged row must not break the list. */
static json_t *
body_json(const char *text)
{
	json_t *v = json_loads(text, 0, NULL);
	return v ? v : json_null();
}

static json_t *
alert_json(const struct store_alert_row *r)
{
	json_t *body = body_json(r->body);
	json_t *v = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:s, s:s, s:s, s:s}",
	    "id", (json_int_t)r->id, "host", r->host_name, "source", r->source,
	    "rule_id", r->rule_id, "severity",
	    severity_names[r->severity < 0 || r->severity > 4 ? 0 : r->severity],
	    "first_ts", (json_int_t)r->first_ts, "last_ts", (json_int_t)r->last_ts,
	    "count", (json_int_t)r->count, "source_ip", r->source_ip, "user", r->user_name,
	    "message", r->message, "state", r->state);
	if (!v) {
		json_decref(body);
		return NULL;
	}
	/* The ja/en what / why / action the engine wrote, and its IPA step. */
	static const char *const keys[][2] = {
		{ "text", "mamori.text" }, { "ir_step", "mamori.ir_step" }, { "rule_name", "rule.name" },
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		json_t *x = json_object_get(body, keys[i][1]);
		json_object_set_new(v, keys[i][0], x ? json_incref(x) : json_null());
	}
	json_decref(body);
	return v;
}

static int
add_alert(void *ctx, const struct store_alert_row *r)
{
	json_t *v = alert_json(r);
	return v && json_array_append_new(ctx, v) == 0 ? 0 : MAMORI_E_NOMEM;
}

void
api_alerts(struct api *a, struct api_call *c, struct http_response *r)
{
	struct store_alert_filter f = { 0 };
	const char *state = http_query(c->req, "state");
	const char *sev = http_query(c->req, "min_severity");
	int64_t before = api_query_int(c->req, "before", 0, INT64_MAX / 2);
	int64_t limit = api_query_int(c->req, "limit", 100, 500);

	f.min_severity = 0;
	for (int i = 0; sev && i < 5; i++)
		if (strcmp(sev, severity_names[i]) == 0)
			f.min_severity = i + 1;
	if ((sev && f.min_severity == 0) || before < 0 || limit < 0 ||
	    (state && strcmp(state, "open") != 0 && strcmp(state, "all") != 0)) {
		http_error(r, 400, "bad_request",
		    "state is open or all; min_severity info..critical; before and limit are numbers");
		return;
	}
	f.min_severity = f.min_severity ? f.min_severity - 1 : 0;
	f.open_only = !state || strcmp(state, "open") == 0;
	f.before_id = before;
	f.limit = (int)limit;
	json_t *arr = json_array();
	int rc = arr ? store_alert_list(c->db, c->sess.tenant_id, &f, add_alert, arr) :
	    MAMORI_E_NOMEM;
	if (rc != MAMORI_OK) {
		json_decref(arr);
		log_error(a->log, "api: alerts: %s (%s)", err_str(rc), db_errmsg(c->db));
		http_error(r, 500, "internal", "database error");
		return;
	}
	api_reply(r, 200, arr);
}

struct one {
	json_t *alert, *timeline;
};

static int
one_alert(void *ctx, const struct store_alert_row *row)
{
	struct one *o = ctx;
	return (o->alert = alert_json(row)) ? 0 : MAMORI_E_NOMEM;
}

static int
one_step(void *ctx, const struct store_alert_step *s)
{
	struct one *o = ctx;
	json_t *v = json_pack("{s:I, s:s, s:s, s:s}", "at", (json_int_t)s->at, "kind", s->kind,
	    "actor", s->actor, "note", s->note);
	return v && json_array_append_new(o->timeline, v) == 0 ? 0 : MAMORI_E_NOMEM;
}

static void
reply_one(struct api *a, struct api_call *c, struct http_response *r)
{
	struct one o = { .timeline = json_array() };
	int rc = o.timeline ? store_alert_get(c->db, c->sess.tenant_id, c->id, one_alert, one_step, &o) :
	    MAMORI_E_NOMEM;
	if (rc == MAMORI_OK && o.alert) {
		json_object_set_new(o.alert, "timeline", o.timeline);
		api_reply(r, 200, o.alert);
		return;
	}
	json_decref(o.alert);
	json_decref(o.timeline);
	if (rc == MAMORI_E_NOTFOUND) {
		http_error(r, 404, "not_found", "no such alert");
		return;
	}
	log_error(a->log, "api: alert %lld: %s (%s)", (long long)c->id, err_str(rc), db_errmsg(c->db));
	http_error(r, 500, "internal", "database error");
}

void
api_alert(struct api *a, struct api_call *c, struct http_response *r)
{
	reply_one(a, c, r);
}

/* {"state": "acknowledged"|"resolved"|"new", "note": "..."} */
void
api_alert_update(struct api *a, struct api_call *c, struct http_response *r)
{
	json_t *in = json_loadb(c->req->body, c->req->body_len, JSON_REJECT_DUPLICATES, NULL);
	const char *state = json_string_value(json_object_get(in, "state"));
	const char *note = json_string_value(json_object_get(in, "note"));
	json_t *note_v = json_object_get(in, "note");
	if (!state || (note_v && !note) || (note && strlen(note) > 2000) ||
	    (strcmp(state, "acknowledged") != 0 && strcmp(state, "resolved") != 0 &&
	    strcmp(state, "new") != 0)) {
		json_decref(in);
		http_error(r, 400, "bad_request",
		    "expected {\"state\": \"acknowledged\"|\"resolved\"|\"new\", \"note\": text up to 2000 bytes}");
		return;
	}
	int rc = store_alert_set_state(c->db, c->sess.tenant_id, c->id, state, c->sess.user,
	    note ? note : "", c->now * 1000);
	json_decref(in);
	if (rc == MAMORI_E_NOTFOUND) {
		http_error(r, 404, "not_found", "no such alert");
		return;
	}
	if (rc == MAMORI_E_INVAL) {
		http_error(r, 409, "conflict", "the alert is already in that state");
		return;
	}
	if (rc != MAMORI_OK) {
		log_error(a->log, "api: alert %lld: %s (%s)", (long long)c->id, err_str(rc), db_errmsg(c->db));
		http_error(r, 500, "internal", "database error");
		return;
	}
	log_info(a->log, "api: alert %lld set to %s by %s", (long long)c->id, state, c->sess.user);
	reply_one(a, c, r);
}
