/* api_agent.c - enrolment (POST /api/enrol, token-gated), enrolment tokens
 * and the list and revocation of agents (admin sessions). */
#include "manager/api.h"

#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "manager/agent_cred.h"
#include "manager/enrol.h"
#include "storage/db.h"
#include "storage/store_agent.h"

static const char *const refusal_text[] = {
	[STORE_ENROL_OK] = "ok",
	[STORE_ENROL_UNKNOWN] = "unknown token",
	[STORE_ENROL_USED] = "token already used",
	[STORE_ENROL_EXPIRED] = "token expired",
};

void
api_enrol(struct api *a, struct api_call *c, struct http_response *r)
{
	struct enrol_request in;
	struct store_agent ag;
	enum store_enrol_refusal why = STORE_ENROL_OK;
	char reason[128], limiter[96], secret[AUTH_TOKEN_CHARS + 1];
	uint8_t th[STORE_AGENT_HASH], sh[STORE_AGENT_HASH];
	int64_t attempt = 0;
	int limited = 0, rc;

	/* Counted before anything is checked, per source address, like logins:
	 * guessing tokens in parallel hits the same limit. */
	snprintf(limiter, sizeof(limiter), "enrol:%s", c->req->ip);
	pthread_mutex_lock(&a->lock);
	rc = store_auth_attempt_begin(a->db, 0, limiter, c->req->ip, c->now,
	    c->now - a->lim.login_window_s, a->lim.max_fail_account, a->lim.max_fail_ip,
	    &limited, &attempt);
	pthread_mutex_unlock(&a->lock);
	if (rc != MAMORI_OK) {
		log_error(a->log, "api: enrol: database: %s", db_errmsg(a->db));
		http_error(r, 500, "internal", "database error");
		return;
	}
	if (limited) {
		atomic_fetch_add(&a->enrol_refused, 1);
		log_warn(a->log, "api: enrol from %s refused: too many failures", c->req->ip);
		http_error(r, 429, "too_many_attempts", "too many failed enrolments; try again later");
		r->retry_after = (int)a->lim.login_window_s;
		return;
	}
	if (enrol_parse(c->req->body, c->req->body_len, &in, reason, sizeof(reason)) != MAMORI_OK) {
		atomic_fetch_add(&a->enrol_refused, 1);
		log_warn(a->log, "api: enrol from %s refused: %s", c->req->ip, reason);
		http_error(r, 400, "bad_request", "expected a JSON object with token and hostname");
		return;
	}
	if (auth_token_hash(in.token, th) != MAMORI_OK ||
	    agent_cred_new(secret, sh) != MAMORI_OK) {
		why = STORE_ENROL_UNKNOWN;
		rc = MAMORI_E_PERM;
	} else {
		pthread_mutex_lock(&a->lock);
		rc = store_agent_enrol(a->db, th, in.name, in.hostname, sh, c->req->ip, c->now,
		    &ag, &why);
		if (rc == MAMORI_OK)
			(void)store_auth_attempt_ok(a->db, attempt, 0, limiter);
		pthread_mutex_unlock(&a->lock);
	}
	sodium_memzero(in.token, sizeof(in.token));
	if (rc == MAMORI_E_PERM) {
		atomic_fetch_add(&a->enrol_refused, 1);
		log_warn(a->log, "api: enrol of '%s' from %s refused: %s", in.hostname, c->req->ip,
		    refusal_text[why]);
		http_error(r, 401, "enrol_refused",
		    "the enrolment token is unknown, already used or expired");
		goto out;
	}
	if (rc != MAMORI_OK) {
		log_error(a->log, "api: enrol: database: %s", db_errmsg(a->db));
		http_error(r, 500, "internal", "database error");
		goto out;
	}
	atomic_fetch_add(&a->enrol_ok, 1);
	log_info(a->log, "api: %s %" PRId64 " '%s' enrolled from %s (tenant %" PRId64 ")",
	    ag.kind, ag.id, ag.name, c->req->ip, ag.tenant_id);
	api_reply(r, 201, json_pack("{s:I, s:s, s:s, s:I, s:s}", "agent_id", (json_int_t)ag.id,
	    "secret", secret, "kind", ag.kind, "tenant_id", (json_int_t)ag.tenant_id,
	    "name", ag.name));
out:
	sodium_memzero(secret, sizeof(secret));
}

static void
reply_array(struct http_response *r, json_t *arr, int rc)
{
	if (rc != MAMORI_OK) {
		json_decref(arr);
		http_error(r, 500, "internal", "database error");
		return;
	}
	api_reply(r, 200, arr);
}

static int
add_token(void *ctx, const struct store_agent_token *t)
{
	const int64_t *now = ((void **)ctx)[1];
	const char *state = t->used_at ? "used" : t->expires_at <= *now ? "expired" : "unused";
	json_t *v = json_pack("{s:I, s:s, s:I, s:I, s:s, s:o, s:o}", "id", (json_int_t)t->id,
	    "kind", t->kind, "created_at", (json_int_t)t->created_at,
	    "expires_at", (json_int_t)t->expires_at, "state", state,
	    "used_at", t->used_at ? json_integer(t->used_at) : json_null(),
	    "agent_id", t->agent_id ? json_integer(t->agent_id) : json_null());
	return v && json_array_append_new(((void **)ctx)[0], v) == 0 ? 0 : MAMORI_E_NOMEM;
}

void
api_tokens(struct api *a, struct api_call *c, struct http_response *r)
{
	json_t *arr = json_array();
	void *ctx[2] = { arr, &c->now };
	int rc = arr ? store_agent_tokens(c->db, c->sess.tenant_id, add_token, ctx) : MAMORI_E_NOMEM;
	reply_array(r, arr, rc);
}

void
api_token_create(struct api *a, struct api_call *c, struct http_response *r)
{
	json_t *body = NULL, *v;
	const char *kind = "agent";
	int64_t ttl = AGENT_CRED_TTL_DEFAULT, id = 0, expires = 0;
	char token[AUTH_TOKEN_CHARS + 1];

	if (c->req->body_len) {
		body = json_loadb(c->req->body, c->req->body_len, JSON_REJECT_DUPLICATES, NULL);
		if (!json_is_object(body)) {
			json_decref(body);
			http_error(r, 400, "bad_request", "expected a JSON object (ttl_seconds, kind)");
			return;
		}
		if ((v = json_object_get(body, "ttl_seconds")))
			ttl = json_is_integer(v) ? json_integer_value(v) : -1;
		if ((v = json_object_get(body, "kind")))
			kind = json_is_string(v) ? json_string_value(v) : "";
	}
	if (ttl < AGENT_CRED_TTL_MIN || ttl > AGENT_CRED_TTL_MAX ||
	    (strcmp(kind, "agent") != 0 && strcmp(kind, "sensor") != 0)) {
		json_decref(body);
		http_error(r, 400, "bad_request",
		    "ttl_seconds must be 60 to 2592000 and kind agent or sensor");
		return;
	}
	int rc = agent_cred_token_issue(c->db, c->sess.tenant_id, kind, ttl, c->now, token, &id,
	    &expires);
	if (rc != MAMORI_OK) {
		json_decref(body);
		http_error(r, 500, "internal", "database error");
		return;
	}
	log_info(a->log, "api: '%s' created %s enrolment token %" PRId64 " (expires in %" PRId64 " s)",
	    c->sess.user, kind, id, ttl);
	api_reply(r, 201, json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)id, "token", token,
	    "kind", kind, "expires_at", (json_int_t)expires));
	json_decref(body);
	sodium_memzero(token, sizeof(token));
}

static int
add_agent(void *ctx, const struct store_agent *ag)
{
	json_t *v = json_pack("{s:I, s:s, s:s, s:s, s:I, s:o, s:o, s:I, s:I, s:I, s:I}",
	    "id", (json_int_t)ag->id, "kind", ag->kind, "name", ag->name,
	    "hostname", ag->hostname, "enrolled_at", (json_int_t)ag->enrolled_at,
	    "last_seen", ag->last_seen ? json_integer(ag->last_seen) : json_null(),
	    "revoked_at", ag->revoked_at ? json_integer(ag->revoked_at) : json_null(),
	    "acked_seq", (json_int_t)ag->acked_seq, "spool_records", (json_int_t)ag->spool_records,
	    "spool_bytes", (json_int_t)ag->spool_bytes, "dropped", (json_int_t)ag->gaps);
	return v && json_array_append_new(ctx, v) == 0 ? 0 : MAMORI_E_NOMEM;
}

void
api_agents(struct api *a, struct api_call *c, struct http_response *r)
{
	json_t *arr = json_array();
	int rc = arr ? store_agent_list(c->db, c->sess.tenant_id, add_agent, arr) : MAMORI_E_NOMEM;
	reply_array(r, arr, rc);
}

void
api_agent_revoke(struct api *a, struct api_call *c, struct http_response *r)
{
	int rc = store_agent_revoke(c->db, c->sess.tenant_id, c->id, c->now);
	if (rc == MAMORI_E_NOTFOUND) {
		http_error(r, 404, "not_found", "no such agent");
		return;
	}
	if (rc != MAMORI_OK) {
		http_error(r, 500, "internal", "database error");
		return;
	}
	log_info(a->log, "api: '%s' revoked agent %" PRId64, c->sess.user, c->id);
	api_reply(r, 200, json_pack("{s:I, s:b}", "id", (json_int_t)c->id, "revoked", 1));
}
