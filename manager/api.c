#include "manager/api.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/err.h"
#include "manager/web.h"
#include "storage/db.h"
#include "storage/db_pool.h"

static const struct api_route routes[] = {
	{ "GET", "/api/health", API_PUBLIC, AUTH_ROLE_VIEWER, API_DB_READ, api_health },
	{ "POST", "/api/login", API_PUBLIC, AUTH_ROLE_VIEWER, API_DB_SELF, api_login },
	{ "POST", "/api/logout", API_SESSION, AUTH_ROLE_VIEWER, API_DB_LOCKED, api_logout },
	{ "GET", "/api/me", API_SESSION, AUTH_ROLE_VIEWER, API_DB_READ, api_me },
	{ "GET", "/api/hosts", API_SESSION, AUTH_ROLE_VIEWER, API_DB_READ, api_hosts },
	{ "GET", "/api/scans/latest", API_SESSION, AUTH_ROLE_VIEWER, API_DB_READ, api_scans_latest },
	{ "GET", "/api/scans/{id}", API_SESSION, AUTH_ROLE_VIEWER, API_DB_READ, api_scan },
	{ "GET", "/api/findings", API_SESSION, AUTH_ROLE_VIEWER, API_DB_READ, api_findings },
	{ "GET", "/api/alerts", API_SESSION, AUTH_ROLE_VIEWER, API_DB_READ, api_alerts },
	{ "GET", "/api/alerts/{id}", API_SESSION, AUTH_ROLE_VIEWER, API_DB_READ, api_alert },
	{ "POST", "/api/alerts/{id}", API_SESSION, AUTH_ROLE_OPERATOR, API_DB_LOCKED, api_alert_update },
	{ "GET", "/api/incidents", API_SESSION, AUTH_ROLE_VIEWER, API_DB_READ, api_incidents },
	{ "POST", "/api/incidents", API_SESSION, AUTH_ROLE_OPERATOR, API_DB_LOCKED, api_incident_open },
	{ "GET", "/api/incidents/{id}", API_SESSION, AUTH_ROLE_VIEWER, API_DB_READ, api_incident },
	{ "POST", "/api/incidents/{id}", API_SESSION, AUTH_ROLE_OPERATOR, API_DB_LOCKED, api_incident_update },
	{ "GET", "/api/incident-kinds", API_SESSION, AUTH_ROLE_VIEWER, API_DB_READ, api_incident_kinds },
	{ "GET", "/api/contacts", API_SESSION, AUTH_ROLE_VIEWER, API_DB_READ, api_contacts },
	{ "POST", "/api/contacts", API_SESSION, AUTH_ROLE_OPERATOR, API_DB_LOCKED, api_contact_set },
	{ "GET", "/api/risk", API_SESSION, AUTH_ROLE_VIEWER, API_DB_READ, api_risk },
	{ "POST", "/api/risk", API_SESSION, AUTH_ROLE_OPERATOR, API_DB_LOCKED, api_risk_add },
	{ "POST", "/api/risk/{id}", API_SESSION, AUTH_ROLE_OPERATOR, API_DB_LOCKED, api_risk_update },
	{ "POST", "/api/risk-import", API_SESSION, AUTH_ROLE_OPERATOR, API_DB_LOCKED, api_risk_import },
	{ "GET", "/api/risk.csv", API_SESSION, AUTH_ROLE_VIEWER, API_DB_READ, api_risk_csv },
	{ "GET", "/api/assess", API_SESSION, AUTH_ROLE_VIEWER, API_DB_READ, api_assess },
	{ "POST", "/api/assess", API_SESSION, AUTH_ROLE_OPERATOR, API_DB_LOCKED, api_assess_answer },
	{ "POST", "/api/policy-draft", API_SESSION, AUTH_ROLE_OPERATOR, API_DB_LOCKED, api_policy_draft },
	{ "POST", "/api/policy-published", API_SESSION, AUTH_ROLE_OPERATOR, API_DB_LOCKED,
	    api_policy_published },
	{ "GET", "/api/report", API_SESSION, AUTH_ROLE_VIEWER, API_DB_READ, api_report },
	{ "GET", "/api/report/months", API_SESSION, AUTH_ROLE_VIEWER, API_DB_READ, api_report_months },
	{ "GET", "/api/advisories", API_SESSION, AUTH_ROLE_VIEWER, API_DB_READ, api_advisories },
	{ "POST", "/api/advisories", API_SESSION, AUTH_ROLE_OPERATOR, API_DB_LOCKED, api_advisories_import },
	{ "GET", "/api/threats", API_SESSION, AUTH_ROLE_VIEWER, API_DB_READ, api_threats },
	{ "GET", "/api/openapi.json", API_SESSION, AUTH_ROLE_VIEWER, API_DB_READ, api_openapi },
	{ "GET", "/metrics", API_SESSION, AUTH_ROLE_VIEWER, API_DB_READ, api_metrics },
	{ "GET", "/api/trend", API_SESSION, AUTH_ROLE_VIEWER, API_DB_READ, api_trend },
	{ "GET", "/api/vulns", API_SESSION, AUTH_ROLE_VIEWER, API_DB_READ, api_vulns },
	{ "GET", "/api/users", API_SESSION, AUTH_ROLE_ADMIN, API_DB_READ, api_users },
	{ "GET", "/api/devices", API_SESSION, AUTH_ROLE_VIEWER, API_DB_READ, api_devices },
	{ "GET", "/api/sensors", API_SESSION, AUTH_ROLE_VIEWER, API_DB_READ, api_sensors },
	{ "POST", "/api/enrol", API_PUBLIC, AUTH_ROLE_VIEWER, API_DB_SELF, api_enrol },
	{ "POST", "/api/intake", API_AGENT, AUTH_ROLE_VIEWER, API_DB_SELF, api_intake },
	{ "GET", "/api/tokens", API_SESSION, AUTH_ROLE_ADMIN, API_DB_READ, api_tokens },
	{ "POST", "/api/tokens", API_SESSION, AUTH_ROLE_ADMIN, API_DB_LOCKED, api_token_create },
	{ "GET", "/api/agents", API_SESSION, AUTH_ROLE_VIEWER, API_DB_READ, api_agents },
	{ "DELETE", "/api/agents/{id}", API_SESSION, AUTH_ROLE_ADMIN, API_DB_LOCKED, api_agent_revoke },
	{ "GET", "/api/notify/channels", API_SESSION, AUTH_ROLE_ADMIN, API_DB_READ, api_notify_channels },
	{ "POST", "/api/notify/channels", API_SESSION, AUTH_ROLE_ADMIN, API_DB_LOCKED, api_notify_channel_add },
	{ "DELETE", "/api/notify/channels/{id}", API_SESSION, AUTH_ROLE_ADMIN, API_DB_LOCKED,
	    api_notify_channel_remove },
	/* Not locked: the handler locks around the database, not the sending. */
	{ "POST", "/api/notify/test/{id}", API_SESSION, AUTH_ROLE_ADMIN, API_DB_SELF, api_notify_test },
};

const struct api_route *
api_routes(size_t *n)
{
	*n = sizeof(routes) / sizeof(routes[0]);
	return routes;
}

int
api_init(struct api *a, struct db *db, struct db *idb, const struct log *log,
    const struct api_limits *lim, char *err, size_t errsz)
{
	char pw[AUTH_TOKEN_CHARS + 1];
	memset(a, 0, sizeof(*a));
	a->db = db;
	a->idb = idb;
	a->log = log;
	a->lim = *lim;
	a->started_at = (int64_t)time(NULL);
	if (pthread_mutex_init(&a->lock, NULL) != 0) {
		snprintf(err, errsz, "cannot create a mutex");
		return MAMORI_E_NOMEM;
	}
	if (pthread_mutex_init(&a->ilock, NULL) != 0) {
		pthread_mutex_destroy(&a->lock);
		snprintf(err, errsz, "cannot create a mutex");
		return MAMORI_E_NOMEM;
	}
	if (pthread_mutex_init(&a->qlock, NULL) != 0) {
		pthread_mutex_destroy(&a->lock);
		pthread_mutex_destroy(&a->ilock);
		snprintf(err, errsz, "cannot create a mutex");
		return MAMORI_E_NOMEM;
	}
	if (pthread_mutex_init(&a->pdf_lock, NULL) != 0) {
		pthread_mutex_destroy(&a->lock);
		pthread_mutex_destroy(&a->ilock);
		pthread_mutex_destroy(&a->qlock);
		snprintf(err, errsz, "cannot create a mutex");
		return MAMORI_E_NOMEM;
	}
	auth_token_new(pw);
	if (auth_password_hash(pw, strlen(pw), a->dummy_hash) != MAMORI_OK) {
		snprintf(err, errsz, "cannot hash a password (out of memory?)");
		api_release(a);
		return MAMORI_E_NOMEM;
	}
	return MAMORI_OK;
}

void
api_release(struct api *a)
{
	pthread_mutex_destroy(&a->lock);
	pthread_mutex_destroy(&a->ilock);
	pthread_mutex_destroy(&a->qlock);
	pthread_mutex_destroy(&a->pdf_lock);
}

void
api_reply(struct http_response *r, int status, json_t *v)
{
	char *text = v ? json_dumps(v, JSON_COMPACT) : NULL;
	json_decref(v);
	if (!text) {
		http_error(r, 500, "internal", "could not encode the answer");
		return;
	}
	http_set_body(r, status, text);
}

void
api_error(struct http_response *r, int status, const char *code, const char *message)
{
	api_reply(r, status, json_pack("{s:s, s:s}", "error", code, "message", message));
	r->status = status;
}

int64_t
api_query_int(const struct http_request *req, const char *name, int64_t def, int64_t max)
{
	const char *s = http_query(req, name);
	if (!s || !*s)
		return def;
	size_t n = strspn(s, "0123456789");
	if (n == 0 || n > 18 || s[n] != '\0')
		return -1;
	int64_t v = strtoll(s, NULL, 10);
	return v > max ? -1 : v;
}

/* "/api/scans/{id}" against "/api/scans/42": sets *id. */
static bool
path_match(const char *pattern, const char *path, int64_t *id)
{
	const char *brace = strstr(pattern, "{id}");
	if (!brace)
		return strcmp(pattern, path) == 0;
	size_t pre = (size_t)(brace - pattern);
	if (strncmp(pattern, path, pre) != 0)
		return false;
	const char *digits = path + pre;
	size_t n = strspn(digits, "0123456789");
	if (n == 0 || n > 18 || digits[n] != '\0' || digits[0] == '0')
		return false;
	char *end = NULL;
	*id = strtoll(digits, &end, 10);
	return *id > 0;
}

/* A write beside a read-only call: the writer's handle, under api.lock. */
static void
write_lock(struct api *a, const struct api_call *c)
{
	if (c->db != a->db)
		pthread_mutex_lock(&a->lock);
}

static void
write_unlock(struct api *a, const struct api_call *c)
{
	if (c->db != a->db)
		pthread_mutex_unlock(&a->lock);
}

/* Resolves the caller's session from the cookie with c->db (api.lock held
 * when that is the writer's handle). */
static bool
session_of(struct api *a, struct api_call *c)
{
	const char *cookie = http_header(c->req, "Cookie");
	char token[AUTH_TOKEN_CHARS + 1];

	if (!cookie || auth_cookie_find(cookie, strlen(cookie), token) != MAMORI_OK)
		return false;
	if (auth_token_hash(token, c->sid_hash) != MAMORI_OK)
		return false;
	if (store_auth_session_get(c->db, c->sid_hash, &c->sess) != MAMORI_OK)
		return false;
	enum auth_session_state st = auth_session_check(c->now, c->sess.created_at,
	    c->sess.last_seen, a->lim.idle_s, a->lim.absolute_s);
	if (st != AUTH_SESSION_OK || auth_role_parse(c->sess.role, &c->role) != MAMORI_OK) {
		log_info(a->log, "api: session of %s from %s ended (%s)", c->sess.user, c->req->ip,
		    st == AUTH_SESSION_IDLE ? "idle" : st == AUTH_SESSION_EXPIRED ? "expired" : "bad role");
		write_lock(a, c);
		(void)store_auth_session_delete(a->db, c->sid_hash);
		write_unlock(a, c);
		return false;
	}
	/* Touch at most every few seconds: a busy dashboard should not write per request. */
	if (c->now - c->sess.last_seen >= 5) {
		write_lock(a, c);
		(void)store_auth_session_touch(a->db, c->sid_hash, c->now);
		write_unlock(a, c);
	}
	c->has_session = true;
	return true;
}

/* The Origin of a state-changing request, when sent, must be this server. */
static bool
origin_ok(const struct http_request *req)
{
	const char *origin = http_header(req, "Origin");
	const char *host = http_header(req, "Host");
	if (!origin)
		return true;
	if (!host || strncmp(origin, "https://", 8) != 0)
		return false;
	return strcmp(origin + 8, host) == 0;
}

/* Takes the route's handle: a reader of its own, or the writer's under
 * api.lock (also for a path that is unknown or refused). */
static void
db_take(struct api *a, const struct api_route *route, struct api_call *c)
{
	if (route && route->db == API_DB_READ) {
		c->db = api_db_read_take(a);
		return;
	}
	pthread_mutex_lock(&a->lock);
	c->db = a->db;
}

static void
db_give(struct api *a, struct api_call *c)
{
	api_db_read_give(a, c->db);
	c->db = NULL;
}

struct db *
api_db_read_take(struct api *a)
{
	if (a->readers)
		return db_pool_get(a->readers);
	pthread_mutex_lock(&a->lock);
	return a->db;
}

void
api_db_read_give(struct api *a, struct db *db)
{
	if (db == a->db)
		pthread_mutex_unlock(&a->lock);
	else
		db_pool_put(a->readers, db);
}

void
api_handle(void *ctx, const struct http_request *req, struct http_response *resp)
{
	struct api *a = ctx;
	struct api_call c = { .req = req, .now = (int64_t)time(NULL) };
	const struct api_route *route = NULL;
	bool path_known = false;
	const char *allow_method = NULL;	/* static: each path has one method today */
	int64_t id = 0;

	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (!path_match(routes[i].path, req->path, &id))
			continue;
		path_known = true;
		allow_method = routes[i].method;
		if (strcmp(routes[i].method, req->method) == 0) {
			route = &routes[i];
			c.id = id;
			break;
		}
	}
	/* The dashboard's own files: no data in them, the login page among them. */
	if (!route && !path_known && web_serve(req, resp))
		return;
	/* Agents authenticate with their own credential, never a session. */
	if (route && route->access != API_SESSION) {
		if (route->db == API_DB_SELF) {
			c.db = a->db;
			route->fn(a, &c, resp);
			return;
		}
		db_take(a, route, &c);
		route->fn(a, &c, resp);
		db_give(a, &c);
		return;
	}

	db_take(a, route, &c);
	if (!session_of(a, &c)) {
		db_give(a, &c);
		atomic_fetch_add(&a->unauthenticated, 1);
		http_error(resp, 401, "unauthenticated", "log in first (POST /api/login)");
		return;
	}
	if (!route) {
		db_give(a, &c);
		if (path_known) {
			http_error(resp, 405, "method_not_allowed", "this path does not take that method");
			resp->allow = allow_method;
		} else {
			http_error(resp, 404, "not_found", "no such resource");
		}
		return;
	}
	if (auth_method_changes_state(req->method)) {
		if (!origin_ok(req) || !auth_csrf_ok(c.sess.csrf, http_header(req, "X-CSRF-Token"))) {
			db_give(a, &c);
			atomic_fetch_add(&a->csrf_refused, 1);
			log_warn(a->log, "api: %s %s by %s from %s refused: missing or wrong CSRF token or foreign Origin",
			    req->method, route->path, c.sess.user, req->ip);
			http_error(resp, 403, "csrf", "X-CSRF-Token header missing or wrong");
			return;
		}
	}
	if (!auth_role_allows(c.role, route->role)) {
		db_give(a, &c);
		http_error(resp, 403, "forbidden", "your role does not allow this");
		return;
	}
	if (route->db == API_DB_SELF) {
		db_give(a, &c);
		c.db = a->db;
		route->fn(a, &c, resp);
		return;
	}
	route->fn(a, &c, resp);
	db_give(a, &c);
}
