/* api_intake.c - POST /api/intake: an agent's batch of events, stored
 * exactly once and acknowledged only after a durable commit. */
#include "manager/api.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/decompress.h"
#include "common/err.h"
#include "manager/agent_cred.h"
#include "manager/eve_intake.h"
#include "manager/intake_batch.h"
#include "storage/db.h"
#include "storage/store_intake.h"

#define SCAN_FINDINGS_MAX 1000

static const char *const severities[] = { "info", "low", "medium", "high", "critical" };

/* A scan event's document (or an alert event's line, in report), held
 * while the batch is stored. */
struct scan_doc {
	json_t *root;
	char *report;
	char **evidence;
	struct store_intake_finding *findings;
	struct store_intake_scan scan;
	char host_key[48];
};

static void
scan_doc_free(struct scan_doc *d)
{
	for (size_t i = 0; d->evidence && i < d->scan.nfindings; i++)
		free(d->evidence[i]);
	free(d->evidence);
	free(d->findings);
	free(d->report);
	json_decref(d->root);
}

static const char *
str_at(json_t *o, const char *path1, const char *path2)
{
	json_t *v = json_object_get(o, path1);
	if (path2)
		v = json_object_get(v, path2);
	return json_string_value(v);
}

static bool
severity_ok(const char *s)
{
	for (size_t i = 0; s && i < sizeof(severities) / sizeof(severities[0]); i++)
		if (strcmp(s, severities[i]) == 0)
			return true;
	return false;
}

/*
 * A `mamori scan --json` document as a scan of the agent's host. false when
 * it does not have that shape: the event is still stored, only not as a
 * scan, so that one odd document cannot block the agent's queue.
 */
static bool
scan_doc_load(struct scan_doc *d, const struct intake_event *e, const struct store_agent *ag)
{
	json_t *data, *f, *score;
	size_t i, n;

	memset(d, 0, sizeof(*d));
	if (!(d->root = json_loadb(e->line, e->len, 0, NULL)))
		return false;
	data = json_object_get(d->root, "data");
	f = json_object_get(data, "findings");
	score = json_object_get(json_object_get(data, "score"), "overall");
	n = json_array_size(f);
	if (!json_is_object(json_object_get(data, "scan")) || !json_is_array(f) ||
	    n > SCAN_FINDINGS_MAX || !json_is_integer(score))
		return false;
	d->findings = calloc(n + 1, sizeof(*d->findings));
	d->evidence = calloc(n + 1, sizeof(*d->evidence));
	if (!d->findings || !d->evidence)
		return false;
	for (i = 0; i < n; i++) {
		json_t *o = json_array_get(f, i);
		struct store_intake_finding *x = &d->findings[i];
		json_int_t kajo = json_integer_value(json_object_get(o, "kajo"));
		x->check_id = str_at(o, "id", NULL);
		x->severity = str_at(o, "severity", NULL);
		x->title = str_at(o, "title", NULL);
		x->detail = str_at(o, "detail", NULL);
		x->action = str_at(o, "action", NULL);
		if (!x->check_id || !severity_ok(x->severity) || kajo < 1 || kajo > 5 ||
		    !x->title || !x->detail || !x->action)
			return false;
		x->kajo = (int)kajo;
		d->scan.nfindings = i + 1;
		json_t *ev = json_object_get(o, "evidence");
		if (!(d->evidence[i] = json_dumps(ev ? ev : json_null(), JSON_COMPACT | JSON_ENCODE_ANY)))
			return false;
		x->evidence_json = d->evidence[i];
	}
	if (!(d->report = json_dumps(data, JSON_COMPACT)))
		return false;
	const char *host = str_at(data, "host", "hostname");
	const char *root = str_at(data, "scan", "root");
	snprintf(d->host_key, sizeof(d->host_key), "agent:%" PRId64, ag->id);
	d->scan = (struct store_intake_scan){
		.host_key = d->host_key,
		.hostname = host && *host ? host : ag->hostname,
		.root = root ? root : "/",
		.report_json = d->report,
		.started_at = json_integer_value(json_object_get(json_object_get(data, "scan"), "started")),
		.duration_ms = json_integer_value(json_object_get(json_object_get(data, "scan"), "duration_ms")),
		.score = (int)json_integer_value(score),
		.findings = d->findings,
		.nfindings = n,
	};
	if (d->scan.started_at <= 0)
		d->scan.started_at = e->ts;
	return true;
}

/* A network sensor's EVE line (kind "eve"): its alert or device, stored
 * in the batch's savepoint at the time the agent spooled it. */
static int
eve_apply(void *arg, struct db *db, const struct store_intake_event *e)
{
	enum eve_intake_kind kind;
	return eve_intake_line(db, arg, e->data, e->data_len, e->ts * 1000, &kind);
}

/* One agent's batch waiting for a group commit (on its request's stack). */
struct intake_job {
	const struct store_agent *ag;
	int64_t floor, spool_records, spool_bytes, now;
	const struct store_intake_event *ev;
	size_t n;
	int rc;
	bool done;
	struct store_intake_result res;
	char why[160];
	struct intake_job *next;
};

/*
 * Group commit. Each request queues its batch, then takes the writer lock;
 * whoever gets it first stores every queued batch in one transaction and
 * commits once, so concurrent agents share one fsync. A request whose batch
 * was committed by another finds it done when it gets the lock: the
 * committer finishes every job before it lets go.
 */
static void
intake_commit(struct api *a, struct intake_job *job)
{
	pthread_mutex_lock(&a->qlock);
	if (a->iqueue_tail)
		a->iqueue_tail->next = job;
	else
		a->iqueue = job;
	a->iqueue_tail = job;
	pthread_mutex_unlock(&a->qlock);

	pthread_mutex_lock(&a->ilock);
	if (!job->done) {
		pthread_mutex_lock(&a->qlock);
		struct intake_job *list = a->iqueue;
		a->iqueue = a->iqueue_tail = NULL;
		pthread_mutex_unlock(&a->qlock);
		int grc = store_intake_group_begin(a->idb);
		for (struct intake_job *j = list; j; j = j->next) {
			j->rc = grc != MAMORI_OK ? grc : store_intake_apply(a->idb, j->ag, j->floor,
			    j->spool_records, j->spool_bytes, j->ev, j->n, j->now, a->lim.history_keep,
			    &j->res);
			if (j->rc == MAMORI_E_DB || j->rc == MAMORI_E_LIMIT)
				snprintf(j->why, sizeof(j->why), "%s", db_errmsg(a->idb));
		}
		if (grc == MAMORI_OK) {
			grc = store_intake_group_commit(a->idb);
			atomic_fetch_add(&a->intake_commits, 1);
		}
		/* Nothing is acknowledged unless the commit made it to disk. */
		for (struct intake_job *j = list; j; j = j->next) {
			if (grc != MAMORI_OK && j->rc == MAMORI_OK) {
				j->rc = grc;
				snprintf(j->why, sizeof(j->why), "%s", db_errmsg(a->idb));
			}
			j->done = true;
		}
	}
	pthread_mutex_unlock(&a->ilock);
}

static void
reject(struct api *a, struct http_response *r, int status, const char *code,
    const char *msg, int64_t agent, const char *ip, const char *why)
{
	if (status == 401)
		atomic_fetch_add(&a->intake_auth_failed, 1);
	else
		atomic_fetch_add(&a->intake_rejected, 1);
	log_warn(a->log, "api: intake from agent %" PRId64 " at %s refused (%d): %s", agent, ip,
	    status, why ? why : msg);
	http_error(r, status, code, msg);
}

void
api_intake(struct api *a, struct api_call *c, struct http_response *r)
{
	struct store_agent ag;
	struct intake_batch b = { 0 };
	struct store_intake_event *ev = NULL;
	struct scan_doc *docs = NULL;
	struct store_intake_result res;
	size_t ndocs = 0, declen = 0;
	char *dec = NULL, why[160];
	const char *enc;
	int rc;

	/* The main handle: the intake handle may be busy committing a group. */
	pthread_mutex_lock(&a->lock);
	rc = agent_cred_check(a->db, http_header(c->req, "X-Mamori-Agent"),
	    http_header(c->req, "Authorization"), &ag);
	pthread_mutex_unlock(&a->lock);
	if (rc == MAMORI_E_PERM) {
		reject(a, r, 401, "unauthenticated", "agent credential missing or wrong", 0,
		    c->req->ip, NULL);
		return;
	}
	if (rc == MAMORI_E_INVAL) {
		reject(a, r, 403, "revoked", "this agent was revoked; enrol it again", ag.id,
		    c->req->ip, NULL);
		return;
	}
	if (rc != MAMORI_OK) {
		http_error(r, 503, "unavailable", "database error; retry later");
		r->retry_after = 5;
		return;
	}
	enc = http_header(c->req, "Content-Encoding");
	if (!enc || strcmp(enc, "zstd") != 0 ||
	    decompress_detect(c->req->body, c->req->body_len) != DECOMPRESS_ZSTD) {
		reject(a, r, 415, "unsupported_encoding", "batches are zstd-compressed NDJSON", ag.id,
		    c->req->ip, NULL);
		return;
	}
	/* The compressed size was capped by http (max_body); this caps what it
	 * expands to, so a small bomb cannot take the memory. */
	rc = decompress_buffer(c->req->body, c->req->body_len, a->lim.intake_max_decoded, &dec,
	    &declen);
	if (rc != MAMORI_OK) {
		reject(a, r, rc == MAMORI_E_LIMIT ? 413 : 400, rc == MAMORI_E_LIMIT ? "too_large" : "bad_request",
		    rc == MAMORI_E_LIMIT ? "batch expands beyond the limit" : "corrupt zstd stream",
		    ag.id, c->req->ip, NULL);
		goto out;
	}
	rc = intake_batch_decode(dec, declen, &b, why, sizeof(why));
	if (rc != MAMORI_OK) {
		reject(a, r, rc == MAMORI_E_LIMIT ? 413 : 400, rc == MAMORI_E_LIMIT ? "too_large" : "bad_batch",
		    "the batch is not valid NDJSON events", ag.id, c->req->ip, why);
		goto out;
	}
	if (b.agent_id != ag.id) {
		snprintf(why, sizeof(why), "batch names agent %" PRId64, b.agent_id);
		reject(a, r, 403, "agent_mismatch", "an agent may send only its own events", ag.id,
		    c->req->ip, why);
		goto out;
	}
	ev = calloc(b.n + 1, sizeof(*ev));
	docs = calloc(b.n + 1, sizeof(*docs));
	if (!ev || !docs) {
		http_error(r, 503, "unavailable", "out of memory; retry later");
		r->retry_after = 5;
		goto out;
	}
	/* A sensor's lines land like those of mamori up's own sensor: source
	 * "sensor", under the agent's host name and tenant. */
	struct eve_intake eve = { .tenant_id = ag.tenant_id, .source = "sensor",
		.sensor_host = ag.hostname, .learn_ms = a->lim.learn_ms };
	/* A credential enrolled as a sensor speaks for the network, not for a
	 * computer: its alert and scan events are kept as events only. */
	bool host = strcmp(ag.kind, "sensor") != 0;
	for (size_t i = 0; i < b.n; i++) {
		const struct intake_event *e = &b.ev[i];
		ev[i] = (struct store_intake_event){ .seq = e->seq, .ts = e->ts, .kind = e->kind,
			.body = e->line, .body_len = e->len, .dropped = e->dropped };
		bool is_alert = host && strcmp(e->kind, "alert") == 0;
		if ((is_alert || strcmp(e->kind, "eve") == 0) && e->seq > ag.acked_seq) {
			json_t *o = json_loadb(e->line, e->len, 0, NULL);
			char *data = json_dumps(json_object_get(o, "data"), JSON_COMPACT);
			json_decref(o);
			docs[ndocs++].report = data;
			if (data && is_alert) {
				ev[i].alert_json = data;
				ev[i].alert_len = strlen(data);
			} else if (data) {
				ev[i].apply = eve_apply;
				ev[i].apply_arg = &eve;
				ev[i].data = data;
				ev[i].data_len = strlen(data);
			}
		}
		if (host && strcmp(e->kind, "scan") == 0 && e->seq > ag.acked_seq) {
			if (scan_doc_load(&docs[ndocs], e, &ag))
				ev[i].scan = &docs[ndocs].scan;
			ndocs++;
		}
	}
	struct intake_job job = { .ag = &ag, .floor = b.floor,
		.spool_records = b.spool_records < 0 ? 0 : b.spool_records,
		.spool_bytes = b.spool_bytes < 0 ? 0 : b.spool_bytes, .ev = ev, .n = b.n,
		.now = c->now };
	intake_commit(a, &job);
	rc = job.rc;
	res = job.res;
	snprintf(why, sizeof(why), "%s", job.why);
	if (rc == MAMORI_E_PERM) {
		reject(a, r, 403, "revoked", "this agent was revoked; enrol it again", ag.id,
		    c->req->ip, NULL);
		goto out;
	}
	if (rc == MAMORI_E_LIMIT) {
		atomic_fetch_add(&a->intake_disk_full, 1);
		log_error(a->log, "api: intake: the disk of the database is full (%s); batches are "
		    "refused until space is freed, agents keep them in their spools", why);
		http_error(r, 503, "disk_full", "the manager's disk is full; the batch was not stored");
		r->retry_after = 30;
		goto out;
	}
	if (rc != MAMORI_OK) {
		log_error(a->log, "api: intake: database: %s", why);
		http_error(r, 503, "unavailable", "database error; the batch was not stored");
		r->retry_after = 5;
		goto out;
	}
	atomic_fetch_add(&a->intake_batches, 1);
	atomic_fetch_add(&a->intake_events, b.n);
	atomic_fetch_add(&a->intake_stored, res.stored);
	atomic_fetch_add(&a->intake_duplicates, res.duplicates);
	atomic_fetch_add(&a->intake_scans, res.scans);
	atomic_fetch_add(&a->intake_alerts, res.alerts);
	atomic_fetch_add(&a->intake_sensor, res.applied);
	api_reply(r, 200, json_pack("{s:I, s:i, s:i}", "acked", (json_int_t)res.acked,
	    "stored", (int)res.stored, "duplicates", (int)res.duplicates));
out:
	for (size_t i = 0; i < ndocs; i++)
		scan_doc_free(&docs[i]);
	free(docs);
	free(ev);
	intake_batch_free(&b);
	free(dec);
}
