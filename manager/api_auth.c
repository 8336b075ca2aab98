/* api_auth.c - health, login, logout and the caller's own account. */
#include "manager/api.h"

#include <jansson.h>
#include <string.h>

#include "common/err.h"
#include "manager/login.h"
#include "storage/db.h"

void
api_health(struct api *a, struct api_call *c, struct http_response *r)
{
	api_reply(r, 200, json_pack("{s:s, s:s, s:i}", "status", "ok",
	    "version", MAMORI_VERSION, "schema", db_schema_version(c->db)));
}

static json_t *
session_json(const struct store_session *s, const char *tenant, int64_t expires)
{
	json_t *v = json_pack("{s:s, s:s, s:I, s:s, s:I}", "username", s->user,
	    "role", s->role, "tenant_id", (json_int_t)s->tenant_id,
	    "csrf_token", s->csrf, "expires_at", (json_int_t)expires);
	if (v && tenant)
		json_object_set_new(v, "tenant", json_string(tenant));
	return v;
}

void
api_login(struct api *a, struct api_call *c, struct http_response *r)
{
	struct login in;
	struct store_user u;
	char why[128];
	int64_t tenant_id = 0, attempt = 0;
	int limited = 0, have_user = 0, rc;

	if (login_parse(c->req->body, c->req->body_len, &in, why, sizeof(why)) != MAMORI_OK) {
		log_warn(a->log, "api: login from %s refused: %s", c->req->ip, why);
		http_error(r, 400, "bad_request", "expected a JSON object with username and password");
		return;
	}

	/* Count first, check after: parallel guesses are all recorded (atomic limit). */
	pthread_mutex_lock(&a->lock);
	rc = store_auth_tenant(a->db, in.tenant, 0, c->now, &tenant_id);
	if (rc == MAMORI_OK || rc == MAMORI_E_NOTFOUND)
		rc = store_auth_attempt_begin(a->db, tenant_id, in.username, c->req->ip,
		    c->now, c->now - a->lim.login_window_s, a->lim.max_fail_account,
		    a->lim.max_fail_ip, &limited, &attempt);
	if (rc == MAMORI_OK && !limited && tenant_id)
		have_user = store_auth_user_get(a->db, tenant_id, in.username, &u) == MAMORI_OK;
	pthread_mutex_unlock(&a->lock);
	if (rc != MAMORI_OK) {
		login_clear(&in);
		log_error(a->log, "api: login: database: %s", db_errmsg(a->db));
		http_error(r, 500, "internal", "database error");
		return;
	}
	if (limited) {
		login_clear(&in);
		atomic_fetch_add(&a->logins_limited, 1);
		log_warn(a->log, "api: login for '%s' from %s refused: too many failures",
		    in.username, c->req->ip);
		http_error(r, 429, "too_many_attempts", "too many failed logins; try again later");
		r->retry_after = (int)a->lim.login_window_s;
		return;
	}

	/* The slow hash runs outside the lock; an unknown account costs the same. */
	rc = auth_password_verify(have_user ? u.pw_hash : a->dummy_hash, in.password,
	    in.password_len);
	login_clear(&in);
	if (!have_user || rc != MAMORI_OK) {
		atomic_fetch_add(&a->logins_failed, 1);
		log_warn(a->log, "api: login for '%s' (tenant %s) from %s failed", in.username,
		    in.tenant, c->req->ip);
		http_error(r, 401, "invalid_credentials", "wrong user name or password");
		return;
	}

	char token[AUTH_TOKEN_CHARS + 1], csrf[AUTH_TOKEN_CHARS + 1];
	uint8_t sid[STORE_AUTH_SID_HASH], old[STORE_AUTH_SID_HASH];
	char oldtok[AUTH_TOKEN_CHARS + 1];
	const char *cookie = http_header(c->req, "Cookie");
	auth_token_new(token);
	auth_token_new(csrf);
	auth_token_hash(token, sid);

	pthread_mutex_lock(&a->lock);
	rc = store_auth_attempt_ok(a->db, attempt, tenant_id, u.name);
	/* Rotation: a session the browser still carries ends here. */
	if (rc == MAMORI_OK && cookie &&
	    auth_cookie_find(cookie, strlen(cookie), oldtok) == MAMORI_OK &&
	    auth_token_hash(oldtok, old) == MAMORI_OK)
		rc = store_auth_session_delete(a->db, old);
	if (rc == MAMORI_OK)
		rc = store_auth_session_add(a->db, sid, u.id, csrf, c->now, c->req->ip);
	if (rc == MAMORI_OK) {
		(void)store_auth_session_prune(a->db, c->now - a->lim.idle_s,
		    c->now - a->lim.absolute_s);
		(void)store_auth_attempt_prune(a->db, c->now - a->lim.login_window_s);
	}
	pthread_mutex_unlock(&a->lock);
	if (rc != MAMORI_OK ||
	    auth_cookie_format(r->set_cookie, sizeof(r->set_cookie), token, a->lim.absolute_s)) {
		log_error(a->log, "api: login: cannot start a session: %s", db_errmsg(a->db));
		r->set_cookie[0] = '\0';
		http_error(r, 500, "internal", "could not start a session");
		return;
	}
	atomic_fetch_add(&a->logins_ok, 1);
	log_info(a->log, "api: '%s' logged in from %s", u.name, c->req->ip);
	struct store_session s = { .tenant_id = tenant_id };
	memcpy(s.user, u.name, sizeof(s.user));
	memcpy(s.role, u.role, sizeof(s.role));
	memcpy(s.csrf, csrf, sizeof(csrf));
	api_reply(r, 200, session_json(&s, in.tenant, c->now + a->lim.absolute_s));
}

void
api_logout(struct api *a, struct api_call *c, struct http_response *r)
{
	if (store_auth_session_delete(c->db, c->sid_hash) != MAMORI_OK) {
		http_error(r, 500, "internal", "database error");
		return;
	}
	auth_cookie_format(r->set_cookie, sizeof(r->set_cookie), NULL, 0);
	log_info(a->log, "api: '%s' logged out", c->sess.user);
	api_reply(r, 200, json_pack("{s:s}", "status", "logged_out"));
}

void
api_me(struct api *a, struct api_call *c, struct http_response *r)
{
	(void)a;
	int64_t exp = c->sess.created_at + a->lim.absolute_s;
	api_reply(r, 200, session_json(&c->sess, NULL, exp));
}
