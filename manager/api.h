/*
 * api.h - the manager's JSON API: a route table, sessions, CSRF and roles
 * in front of small handlers (api_auth.c, api_read.c).
 *
 * The route table (api_routes) is the single list of what the server
 * answers; /api/openapi.json describes the same list and a unit test keeps
 * the two equal. Only routes marked public answer without a session; any
 * other path, known or not, answers 401 to a caller without one, so the
 * table cannot be probed.
 */
#ifndef MAMORI_MANAGER_API_H
#define MAMORI_MANAGER_API_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/log.h"
#include "manager/auth.h"
#include "manager/http.h"
#include "storage/store_auth.h"

struct db;
struct db_pool;
struct notify_config;
struct intake_job;

struct api_limits {
	size_t intake_max_decoded;	/* decompressed batch bytes; 413 above */
	int history_keep;		/* scans kept per host (scan.history_keep) */
	int64_t learn_ms;		/* sensors' device learning period (sensor.learn_hours) */
	int64_t idle_s;			/* session idle timeout */
	int64_t absolute_s;		/* session lifetime */
	int64_t login_window_s;		/* failures counted over this window */
	int max_fail_account;		/* per account (tenant, name) */
	int max_fail_ip;		/* per source address */
};

struct api {
	struct db *db;
	/* SQLite statements are cached per handle: one request at a time uses it. */
	pthread_mutex_t lock;
	/* Read-only handles for API_DB_READ routes (manager.read_connections);
	 * NULL: they share db under lock. */
	struct db_pool *readers;
	const struct log *log;
	struct api_limits lim;
	struct http_server *http;	/* for /metrics; set once started */
	/* For POST /api/notify/test/{id}; NULL: test messages are unavailable. */
	const struct notify_config *notify;
	int64_t started_at;
	/* company.name: the default tenant's name in its monthly report. */
	const char *company;
	/* PDF reports render one at a time (fontconfig's caches are reset
	 * after each); report_jobs counts the reports being made or waiting. */
	pthread_mutex_t pdf_lock;
	atomic_uint report_jobs;
	/* Verified for unknown accounts so that timing does not tell them apart. */
	char dummy_hash[STORE_AUTH_HASH_MAX + 1];
	atomic_ulong logins_ok, logins_failed, logins_limited;
	atomic_ulong csrf_refused, unauthenticated;
	/* Agent intake: its own handle, set to synchronous=FULL, so batches
	 * commit durably without waiting behind dashboard reads. */
	struct db *idb;
	pthread_mutex_t ilock;		/* held by the one committing a group */
	pthread_mutex_t qlock;		/* the batches waiting for the next group */
	struct intake_job *iqueue, *iqueue_tail;
	atomic_ulong intake_commits;
	atomic_ulong enrol_ok, enrol_refused;
	atomic_ulong intake_batches, intake_events, intake_stored, intake_duplicates;
	atomic_ulong intake_rejected, intake_auth_failed, intake_disk_full, intake_scans;
	atomic_ulong intake_alerts, intake_sensor;
};

/* What a handler gets: the request, the caller's session, the {id} in the path. */
struct api_call {
	const struct http_request *req;
	bool has_session;
	struct store_session sess;
	enum auth_role role;
	uint8_t sid_hash[STORE_AUTH_SID_HASH];
	int64_t id;
	int64_t now;
	/* The handle this call reads (and, outside API_DB_READ, writes) with. */
	struct db *db;
};

typedef void (*api_fn)(struct api *a, struct api_call *c, struct http_response *r);

enum api_access {
	API_SESSION,		/* a valid session of at least the route's role */
	API_PUBLIC,		/* anyone: only health, login and enrol (token-gated) */
	API_AGENT,		/* an enrolled agent's credential, checked by the handler */
};

/* How a route reaches the database. */
enum api_db {
	API_DB_LOCKED,		/* the writer's handle, under api.lock */
	API_DB_READ,		/* a read-only handle of its own, beside other readers */
	API_DB_SELF,		/* the writer's handle; the handler locks only around it */
};

struct api_route {
	const char *method;
	const char *path;	/* a last segment "{id}" matches a positive integer */
	enum api_access access;
	enum auth_role role;
	enum api_db db;
	api_fn fn;
};

const struct api_route *api_routes(size_t *n);

/* idb: a second handle on the same database for agent intake. */
int api_init(struct api *a, struct db *db, struct db *idb, const struct log *log,
    const struct api_limits *lim, char *err, size_t errsz);
void api_release(struct api *a);
/* The http_handler_fn: routing, session, CSRF, role, then the handler. */
void api_handle(void *ctx, const struct http_request *req, struct http_response *resp);

/* Answers with a JSON value (stolen: decref'd here). */
struct json_t;
void api_reply(struct http_response *r, int status, struct json_t *v);
/* A read's answer: v with 200, or 500 logged when rc failed or v is NULL. */
void api_reply_read(struct api *a, const struct api_call *c, struct http_response *r,
    struct json_t *v, int rc);

/* {"error": code, "message": message} with the message escaped (it may
 * quote a parser's words or the caller's input). */
void api_error(struct http_response *r, int status, const char *code, const char *message);

/* A read handle for work outside a call (http_response.later): one of the
 * pool's, or the writer's under api.lock when there is no pool. */
struct db *api_db_read_take(struct api *a);
void api_db_read_give(struct api *a, struct db *db);

/* A non-negative integer query argument: def when absent, -1 when bad or above max. */
int64_t api_query_int(const struct http_request *req, const char *name, int64_t def, int64_t max);

/* Route handlers. */
void api_health(struct api *a, struct api_call *c, struct http_response *r);
void api_login(struct api *a, struct api_call *c, struct http_response *r);
void api_logout(struct api *a, struct api_call *c, struct http_response *r);
void api_me(struct api *a, struct api_call *c, struct http_response *r);
void api_hosts(struct api *a, struct api_call *c, struct http_response *r);
void api_scans_latest(struct api *a, struct api_call *c, struct http_response *r);
void api_scan(struct api *a, struct api_call *c, struct http_response *r);
void api_findings(struct api *a, struct api_call *c, struct http_response *r);
void api_alerts(struct api *a, struct api_call *c, struct http_response *r);
void api_alert(struct api *a, struct api_call *c, struct http_response *r);
void api_alert_update(struct api *a, struct api_call *c, struct http_response *r);
void api_incidents(struct api *a, struct api_call *c, struct http_response *r);
void api_incident_open(struct api *a, struct api_call *c, struct http_response *r);
void api_incident(struct api *a, struct api_call *c, struct http_response *r);
void api_incident_update(struct api *a, struct api_call *c, struct http_response *r);
void api_incident_kinds(struct api *a, struct api_call *c, struct http_response *r);
void api_contacts(struct api *a, struct api_call *c, struct http_response *r);
void api_contact_set(struct api *a, struct api_call *c, struct http_response *r);
void api_assess(struct api *a, struct api_call *c, struct http_response *r);
void api_report(struct api *a, struct api_call *c, struct http_response *r);
void api_report_months(struct api *a, struct api_call *c, struct http_response *r);
void api_assess_answer(struct api *a, struct api_call *c, struct http_response *r);
void api_policy_draft(struct api *a, struct api_call *c, struct http_response *r);
void api_policy_published(struct api *a, struct api_call *c, struct http_response *r);
void api_risk(struct api *a, struct api_call *c, struct http_response *r);
void api_risk_add(struct api *a, struct api_call *c, struct http_response *r);
void api_risk_update(struct api *a, struct api_call *c, struct http_response *r);
void api_risk_import(struct api *a, struct api_call *c, struct http_response *r);
void api_risk_csv(struct api *a, struct api_call *c, struct http_response *r);
void api_advisories(struct api *a, struct api_call *c, struct http_response *r);
void api_advisories_import(struct api *a, struct api_call *c, struct http_response *r);
void api_threats(struct api *a, struct api_call *c, struct http_response *r);
void api_openapi(struct api *a, struct api_call *c, struct http_response *r);
void api_metrics(struct api *a, struct api_call *c, struct http_response *r);
void api_trend(struct api *a, struct api_call *c, struct http_response *r);
void api_vulns(struct api *a, struct api_call *c, struct http_response *r);
void api_users(struct api *a, struct api_call *c, struct http_response *r);
void api_devices(struct api *a, struct api_call *c, struct http_response *r);
/* The network sensors' newest statistics (drops, anomalies, flows). */
void api_sensors(struct api *a, struct api_call *c, struct http_response *r);
/* api_agent.c: enrolment, tokens, agents; api_intake.c: event batches. */
void api_enrol(struct api *a, struct api_call *c, struct http_response *r);
void api_tokens(struct api *a, struct api_call *c, struct http_response *r);
void api_token_create(struct api *a, struct api_call *c, struct http_response *r);
void api_agents(struct api *a, struct api_call *c, struct http_response *r);
void api_agent_revoke(struct api *a, struct api_call *c, struct http_response *r);
void api_intake(struct api *a, struct api_call *c, struct http_response *r);
void api_notify_channels(struct api *a, struct api_call *c, struct http_response *r);
void api_notify_channel_add(struct api *a, struct api_call *c, struct http_response *r);
void api_notify_channel_remove(struct api *a, struct api_call *c, struct http_response *r);
void api_notify_test(struct api *a, struct api_call *c, struct http_response *r);

/* The hand-written OpenAPI 3 document (manager/openapi.json, embedded). */
const char *api_openapi_text(void);

#endif
