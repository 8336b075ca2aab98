/* api_read.c - the read-only routes: hosts, scans, findings, the API
 * description and the operator's metrics. Every read is scoped by the
 * tenant of the caller's session. */
#include "manager/api.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "storage/db.h"
#include "storage/store_agent.h"
#include "storage/store_manager.h"
#include "storage/store_notify.h"

#define FINDINGS_LIMIT 1000		/* a page when no limit is asked for */
#define FINDINGS_LIMIT_MAX 5000

struct findings_out {
	json_t *arr;
	bool evidence;
};

static json_t *
score_json(int score)
{
	return score < 0 ? json_null() : json_integer(score);
}

/* A stored document is ours, but a damaged row must not break the list. */
static json_t *
stored_json(const char *text)
{
	json_t *v = json_loads(text, 0, NULL);
	return v ? v : json_null();
}

static int
add_host(void *ctx, const struct store_mgr_host *h)
{
	json_t *v = json_pack("{s:I, s:s, s:I, s:I, s:o, s:o, s:o, s:o}", "id", (json_int_t)h->id,
	    "hostname", h->hostname, "first_seen", (json_int_t)h->first_seen,
	    "last_seen", (json_int_t)h->last_seen,
	    "last_scan_id", h->last_scan_id ? json_integer(h->last_scan_id) : json_null(),
	    "score", score_json(h->score), "summary", stored_json(h->summary_json),
	    "findings_by_kajo", stored_json(h->findings_json));
	return v && json_array_append_new(ctx, v) == 0 ? 0 : MAMORI_E_NOMEM;
}

static int
add_scan(void *ctx, const struct store_mgr_scan *s)
{
	json_t *v = json_pack("{s:I, s:I, s:s, s:I, s:I, s:o, s:o}", "scan_id",
	    (json_int_t)s->scan_id, "host_id", (json_int_t)s->host_id, "hostname", s->hostname,
	    "started_at", (json_int_t)s->started_at, "duration_ms", (json_int_t)s->duration_ms,
	    "score", score_json(s->score), "report", stored_json(s->report_json));
	return v && json_array_append_new(ctx, v) == 0 ? 0 : MAMORI_E_NOMEM;
}

/* The text once: both languages when stored, else the scan's own words. */
static int
add_finding(void *ctx, const struct store_mgr_finding *f)
{
	const struct findings_out *out = ctx;
	json_t *v = json_pack("{s:I, s:I, s:s, s:s, s:i, s:s}",
	    "scan_id", (json_int_t)f->scan_id, "host_id", (json_int_t)f->host_id,
	    "hostname", f->hostname, "check_id", f->check_id, "kajo", f->kajo,
	    "severity", f->severity);
	json_t *text = strcmp(f->text_json, "null") != 0 ? json_loads(f->text_json, 0, NULL) : NULL;
	int rc = v ? 0 : MAMORI_E_NOMEM;
	if (!rc && text)
		rc = json_object_set_new(v, "text", text);
	else if (!rc)
		rc = json_object_set_new(v, "title", json_string(f->title)) ||
		    json_object_set_new(v, "detail", json_string(f->detail)) ||
		    json_object_set_new(v, "action", json_string(f->action));
	if (!rc && out->evidence)
		rc = json_object_set_new(v, "evidence", stored_json(f->evidence_json));
	if (!rc)
		rc = json_array_append_new(out->arr, v);
	else
		json_decref(v);
	return rc ? MAMORI_E_NOMEM : 0;
}

void
api_reply_read(struct api *a, const struct api_call *c, struct http_response *r, json_t *v,
    int rc)
{
	if (rc == MAMORI_OK && !v)
		rc = MAMORI_E_NOMEM;
	if (rc != MAMORI_OK) {
		json_decref(v);
		log_error(a->log, "api: read failed: %s (%s)", err_str(rc), db_errmsg(c->db));
		http_error(r, 500, "internal", "database error");
		return;
	}
	api_reply(r, 200, v);
}

void
api_hosts(struct api *a, struct api_call *c, struct http_response *r)
{
	json_t *arr = json_array();
	int rc = arr ? store_manager_hosts(c->db, c->sess.tenant_id, add_host, arr) : MAMORI_E_NOMEM;
	api_reply_read(a, c, r, arr, rc);
}

void
api_scans_latest(struct api *a, struct api_call *c, struct http_response *r)
{
	json_t *arr = json_array();
	int rc = arr ? store_manager_latest_scans(c->db, c->sess.tenant_id, add_scan, arr) :
	    MAMORI_E_NOMEM;
	api_reply_read(a, c, r, arr, rc);
}

void
api_scan(struct api *a, struct api_call *c, struct http_response *r)
{
	json_t *arr = json_array();
	int rc = arr ? store_manager_scan(c->db, c->sess.tenant_id, c->id, add_scan, arr) :
	    MAMORI_E_NOMEM;
	/* Another tenant's scan is "not found", exactly like a missing one. */
	if (rc == MAMORI_E_NOTFOUND) {
		json_decref(arr);
		http_error(r, 404, "not_found", "no such scan");
		return;
	}
	if (rc != MAMORI_OK) {
		api_reply_read(a, c, r, arr, rc);
		return;
	}
	json_t *one = json_incref(json_array_get(arr, 0));
	json_decref(arr);
	api_reply(r, 200, one);
}

void
api_findings(struct api *a, struct api_call *c, struct http_response *r)
{
	struct store_mgr_findings_query q = {
		.host_id = api_query_int(c->req, "host", 0, INT64_MAX / 2),
		.limit = api_query_int(c->req, "limit", FINDINGS_LIMIT, FINDINGS_LIMIT_MAX),
		.offset = api_query_int(c->req, "offset", 0, INT32_MAX),
	};
	int64_t ev = api_query_int(c->req, "evidence", 0, 1);
	if (q.host_id < 0 || q.limit < 1 || q.offset < 0 || ev < 0) {
		http_error(r, 400, "bad_request", "host is a host id; limit 1..5000; offset >= 0; "
		    "evidence 0 or 1");
		return;
	}
	q.evidence = ev == 1;
	struct findings_out out = { .arr = json_array(), .evidence = q.evidence };
	int rc = out.arr ? store_manager_findings(c->db, c->sess.tenant_id, &q, add_finding, &out) :
	    MAMORI_E_NOMEM;
	api_reply_read(a, c, r, out.arr, rc);
}

void
api_openapi(struct api *a, struct api_call *c, struct http_response *r)
{
	(void)a;
	(void)c;
	http_set_body(r, 200, strdup(api_openapi_text()));
}

/* Appends to a growing text buffer; returns false when out of memory. */
struct text {
	char *p;
	size_t len, cap;
	bool failed;
};

static void
tprintf(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
tprintf(struct text *t, const char *fmt, ...)
{
	va_list ap;
	if (t->failed)
		return;
	for (;;) {
		va_start(ap, fmt);
		int n = vsnprintf(t->p ? t->p + t->len : NULL, t->p ? t->cap - t->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			t->failed = true;
			return;
		}
		if (t->p && (size_t)n < t->cap - t->len) {
			t->len += (size_t)n;
			return;
		}
		size_t cap = t->cap ? t->cap * 2 : 4096;
		while (cap < t->len + (size_t)n + 1)
			cap *= 2;
		char *np = realloc(t->p, cap);
		if (!np) {
			t->failed = true;
			return;
		}
		t->p = np;
		t->cap = cap;
	}
}

static void
counter(struct text *t, const char *name, const char *help, const char *type)
{
	tprintf(t, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void
api_metrics(struct api *a, struct api_call *c, struct http_response *r)
{
	struct text t = { 0 };
	int64_t sessions = 0, hosts = 0;
	const struct http_stats *hs = a->http ? http_server_stats(a->http) : NULL;

	(void)store_auth_session_count(c->db, &sessions);
	(void)store_manager_host_count(c->db, &hosts);
	counter(&t, "mamori_http_responses_total", "HTTP responses by status code.", "counter");
	for (int code = 100; hs && code < 600; code++) {
		unsigned long n = atomic_load(&hs->status[code]);
		if (n)
			tprintf(&t, "mamori_http_responses_total{code=\"%d\"} %lu\n", code, n);
	}
	counter(&t, "mamori_http_refused_total",
	    "Requests refused before routing, by reason.", "counter");
	tprintf(&t, "mamori_http_refused_total{reason=\"too_large\"} %lu\n",
	    hs ? atomic_load(&hs->too_large) : 0UL);
	tprintf(&t, "mamori_http_refused_total{reason=\"bad_length\"} %lu\n",
	    hs ? atomic_load(&hs->bad_length) : 0UL);
	tprintf(&t, "mamori_http_refused_total{reason=\"out_of_memory\"} %lu\n",
	    hs ? atomic_load(&hs->oom) : 0UL);
	counter(&t, "mamori_logins_total", "Login attempts by result.", "counter");
	tprintf(&t, "mamori_logins_total{result=\"ok\"} %lu\n", atomic_load(&a->logins_ok));
	tprintf(&t, "mamori_logins_total{result=\"failed\"} %lu\n", atomic_load(&a->logins_failed));
	tprintf(&t, "mamori_logins_total{result=\"limited\"} %lu\n", atomic_load(&a->logins_limited));
	counter(&t, "mamori_csrf_refused_total", "State changes refused for a missing or wrong CSRF token.", "counter");
	tprintf(&t, "mamori_csrf_refused_total %lu\n", atomic_load(&a->csrf_refused));
	counter(&t, "mamori_unauthenticated_total", "Requests answered 401.", "counter");
	tprintf(&t, "mamori_unauthenticated_total %lu\n", atomic_load(&a->unauthenticated));
	counter(&t, "mamori_sessions", "Sessions in the database.", "gauge");
	tprintf(&t, "mamori_sessions %" PRId64 "\n", sessions);
	counter(&t, "mamori_hosts", "Hosts known to the manager (all tenants).", "gauge");
	tprintf(&t, "mamori_hosts %" PRId64 "\n", hosts);
	counter(&t, "mamori_http_connections", "Open HTTPS connections.", "gauge");
	tprintf(&t, "mamori_http_connections %u\n", a->http ? http_connections(a->http) : 0u);
	struct store_agent_totals at = { 0 };
	(void)store_agent_totals(c->db, &at);
	counter(&t, "mamori_agents", "Enrolled agents and sensors (all tenants), by state.", "gauge");
	tprintf(&t, "mamori_agents{state=\"active\"} %" PRId64 "\n", at.agents - at.revoked);
	tprintf(&t, "mamori_agents{state=\"revoked\"} %" PRId64 "\n", at.revoked);
	counter(&t, "mamori_enrolments_total", "Enrolment requests by result.", "counter");
	tprintf(&t, "mamori_enrolments_total{result=\"ok\"} %lu\n", atomic_load(&a->enrol_ok));
	tprintf(&t, "mamori_enrolments_total{result=\"refused\"} %lu\n", atomic_load(&a->enrol_refused));
	counter(&t, "mamori_intake_batches_total", "Event batches from agents, by result.", "counter");
	tprintf(&t, "mamori_intake_batches_total{result=\"acknowledged\"} %lu\n",
	    atomic_load(&a->intake_batches));
	tprintf(&t, "mamori_intake_batches_total{result=\"rejected\"} %lu\n",
	    atomic_load(&a->intake_rejected));
	tprintf(&t, "mamori_intake_batches_total{result=\"unauthenticated\"} %lu\n",
	    atomic_load(&a->intake_auth_failed));
	tprintf(&t, "mamori_intake_batches_total{result=\"disk_full\"} %lu\n",
	    atomic_load(&a->intake_disk_full));
	counter(&t, "mamori_intake_events_total",
	    "Events in acknowledged batches: received, newly stored, duplicates of stored ones.", "counter");
	tprintf(&t, "mamori_intake_events_total{result=\"received\"} %lu\n",
	    atomic_load(&a->intake_events));
	tprintf(&t, "mamori_intake_events_total{result=\"stored\"} %lu\n",
	    atomic_load(&a->intake_stored));
	tprintf(&t, "mamori_intake_events_total{result=\"duplicate\"} %lu\n",
	    atomic_load(&a->intake_duplicates));
	counter(&t, "mamori_intake_commits_total",
	    "Durable commits of agent batches (a group commit carries several).", "counter");
	tprintf(&t, "mamori_intake_commits_total %lu\n", atomic_load(&a->intake_commits));
	counter(&t, "mamori_intake_scans_total", "Agent scans stored as host scans.", "counter");
	tprintf(&t, "mamori_intake_scans_total %lu\n", atomic_load(&a->intake_scans));
	counter(&t, "mamori_intake_alerts_total", "Agent alert events recorded as alerts.", "counter");
	tprintf(&t, "mamori_intake_alerts_total %lu\n", atomic_load(&a->intake_alerts));
	counter(&t, "mamori_intake_sensor_total", "Sensor EVE events stored as alerts or devices.", "counter");
	tprintf(&t, "mamori_intake_sensor_total %lu\n", atomic_load(&a->intake_sensor));
	counter(&t, "mamori_agent_spool_records", "Events waiting in agents' disk spools (as last reported).", "gauge");
	tprintf(&t, "mamori_agent_spool_records %" PRId64 "\n", at.spool_records);
	counter(&t, "mamori_agent_spool_bytes", "Bytes in agents' disk spools (as last reported).", "gauge");
	tprintf(&t, "mamori_agent_spool_bytes %" PRId64 "\n", at.spool_bytes);
	counter(&t, "mamori_agent_dropped_events_total",
	    "Events agents dropped from a full spool (reported by gap events).", "counter");
	tprintf(&t, "mamori_agent_dropped_events_total %" PRId64 "\n", at.gaps);
	struct store_notify_counts nc = { 0 };
	(void)store_notify_counts(c->db, 0, &nc);
	counter(&t, "mamori_notify_deliveries",
	    "Notification deliveries (all channels): pending is the queue, failed gave up.", "gauge");
	tprintf(&t, "mamori_notify_deliveries{state=\"pending\"} %" PRId64 "\n", nc.pending);
	tprintf(&t, "mamori_notify_deliveries{state=\"sent\"} %" PRId64 "\n", nc.sent);
	tprintf(&t, "mamori_notify_deliveries{state=\"skipped\"} %" PRId64 "\n", nc.skipped);
	tprintf(&t, "mamori_notify_deliveries{state=\"failed\"} %" PRId64 "\n", nc.failed);
	counter(&t, "mamori_start_time_seconds", "When this manager started (unix time).", "gauge");
	tprintf(&t, "mamori_start_time_seconds %" PRId64 "\n", a->started_at);
	(void)c;
	if (t.failed) {
		free(t.p);
		http_error(r, 500, "internal", "out of memory");
		return;
	}
	http_set_body(r, 200, t.p);
	r->content_type = "text/plain; version=0.0.4; charset=utf-8";
}
