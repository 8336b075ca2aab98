/* api_incidents.c - incidents and the contacts kept for them: list, open
 * (from an alert or by hand), one incident with its playbook, reporting
 * helper and countdowns, and changes to it. Scoped by tenant; changes need
 * the operator role and the CSRF token (api.c). */
#include "manager/api.h"

#include <jansson.h>
#include <string.h>

#include "common/err.h"
#include "manager/incident_json.h"
#include "storage/db.h"

static void
db_failed(struct api *a, const struct api_call *c, struct http_response *r, const char *what,
    int rc)
{
	log_error(a->log, "api: %s: %s (%s)", what, err_str(rc), db_errmsg(c->db));
	api_error(r, 500, "internal", "database error");
}

static json_t *
body_of(const struct api_call *c)
{
	return json_loadb(c->req->body, c->req->body_len, JSON_REJECT_DUPLICATES, NULL);
}

void
api_incidents(struct api *a, struct api_call *c, struct http_response *r)
{
	const char *state = http_query(c->req, "state");
	if (state && strcmp(state, "open") != 0 && strcmp(state, "all") != 0) {
		api_error(r, 400, "bad_request", "state is open or all");
		return;
	}
	json_t *arr = NULL;
	int rc = incident_json_list(c->db, c->sess.tenant_id, !state || strcmp(state, "open") == 0,
	    c->now, &arr);
	if (rc != MAMORI_OK) {
		db_failed(a, c, r, "incidents", rc);
		return;
	}
	api_reply(r, 200, arr);
}

static void
reply_incident(struct api *a, struct api_call *c, struct http_response *r, int64_t id, int status)
{
	json_t *v = NULL;
	int rc = incident_json_get(c->db, c->sess.tenant_id, id, c->now, &v);
	if (rc == MAMORI_E_NOTFOUND) {
		api_error(r, 404, "not_found", "no such incident");
		return;
	}
	if (rc != MAMORI_OK) {
		db_failed(a, c, r, "incident", rc);
		return;
	}
	api_reply(r, status, v);
}

void
api_incident_open(struct api *a, struct api_call *c, struct http_response *r)
{
	char err[256] = "";
	int64_t id = 0;
	json_t *in = body_of(c);
	int rc = in ? incident_json_open(c->db, c->sess.tenant_id, in, c->sess.user, c->now, &id,
	    err, sizeof(err)) : MAMORI_E_INVAL;
	json_decref(in);
	if (rc == MAMORI_E_INVAL) {
		api_error(r, 400, "bad_request", err[0] ? err : "the body is not JSON");
		return;
	}
	if (rc == MAMORI_E_NOTFOUND) {
		api_error(r, 404, "not_found", "no such alert");
		return;
	}
	if (rc != MAMORI_OK) {
		db_failed(a, c, r, "incident open", rc);
		return;
	}
	log_info(a->log, "api: incident %lld opened by %s", (long long)id, c->sess.user);
	reply_incident(a, c, r, id, 201);
}

void
api_incident(struct api *a, struct api_call *c, struct http_response *r)
{
	reply_incident(a, c, r, c->id, 200);
}

void
api_incident_update(struct api *a, struct api_call *c, struct http_response *r)
{
	char err[256] = "";
	json_t *in = body_of(c);
	int rc = in ? incident_json_apply(c->db, c->sess.tenant_id, c->id, in, c->sess.user, c->now,
	    err, sizeof(err)) : MAMORI_E_PARSE;
	json_decref(in);
	switch (rc) {
	case MAMORI_OK:
		reply_incident(a, c, r, c->id, 200);
		return;
	case MAMORI_E_PARSE:
		api_error(r, 400, "bad_request", "the body is not JSON");
		return;
	case MAMORI_E_NOTFOUND:
		api_error(r, 404, "not_found", "no such incident");
		return;
	case MAMORI_E_INVAL:
		api_error(r, 400, "bad_request", err);
		return;
	case MAMORI_E_LIMIT:
		api_error(r, 409, "conflict", err);
		return;
	default:
		db_failed(a, c, r, "incident update", rc);
	}
}

void
api_incident_kinds(struct api *a, struct api_call *c, struct http_response *r)
{
	(void)a;
	(void)c;
	api_reply(r, 200, incident_json_kinds());
}

void
api_contacts(struct api *a, struct api_call *c, struct http_response *r)
{
	json_t *arr = NULL;
	int rc = incident_json_contacts(c->db, c->sess.tenant_id, &arr);
	if (rc != MAMORI_OK) {
		db_failed(a, c, r, "contacts", rc);
		return;
	}
	api_reply(r, 200, arr);
}

void
api_contact_set(struct api *a, struct api_call *c, struct http_response *r)
{
	char err[256] = "";
	json_t *in = body_of(c);
	int rc = in ? incident_json_contact_set(c->db, c->sess.tenant_id, in, c->now, err,
	    sizeof(err)) : MAMORI_E_INVAL;
	json_decref(in);
	if (rc == MAMORI_E_INVAL || rc == MAMORI_E_NOTFOUND) {
		api_error(r, rc == MAMORI_E_NOTFOUND ? 404 : 400,
		    rc == MAMORI_E_NOTFOUND ? "not_found" : "bad_request", err[0] ? err : "the body is not JSON");
		return;
	}
	if (rc != MAMORI_OK) {
		db_failed(a, c, r, "contact", rc);
		return;
	}
	api_contacts(a, c, r);
}
