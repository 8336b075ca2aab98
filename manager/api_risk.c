/* api_risk.c - the asset ledger of the risk analysis: list with computed
 * risk values, add / change / delete an asset, pull computers in from the
 * inventory, and the CSV export for Excel. Scoped by tenant; changes need
 * the operator role and the CSRF token (api.c). */
#include "manager/api.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "manager/risk_json.h"
#include "storage/db.h"
#include "storage/store_risk.h"

static void
risk_failed(struct api *a, const struct api_call *c, struct http_response *r, int rc)
{
	log_error(a->log, "api: risk: %s (%s)", err_str(rc), db_errmsg(c->db));
	api_error(r, 500, "internal", "database error");
}

void
api_risk(struct api *a, struct api_call *c, struct http_response *r)
{
	json_t *v = NULL;
	int rc = risk_json_list(c->db, c->sess.tenant_id, &v);
	if (rc != MAMORI_OK) {
		risk_failed(a, c, r, rc);
		return;
	}
	api_reply(r, 200, v);
}

static void
change(struct api *a, struct api_call *c, struct http_response *r, int64_t id)
{
	char err[256] = "";
	int64_t got = 0;
	json_t *in = json_loadb(c->req->body, c->req->body_len, JSON_REJECT_DUPLICATES, NULL);
	int rc = in ? risk_json_apply(c->db, c->sess.tenant_id, id, in, c->now, &got, err, sizeof(err)) :
	    MAMORI_E_INVAL;
	json_decref(in);
	if (rc == MAMORI_E_INVAL) {
		api_error(r, 400, "bad_request", err[0] ? err : "the body is not JSON");
		return;
	}
	if (rc == MAMORI_E_NOTFOUND) {
		api_error(r, 404, "not_found", "no such asset");
		return;
	}
	if (rc != MAMORI_OK) {
		risk_failed(a, c, r, rc);
		return;
	}
	json_t *v = NULL;
	if ((rc = risk_json_list(c->db, c->sess.tenant_id, &v)) != MAMORI_OK) {
		risk_failed(a, c, r, rc);
		return;
	}
	json_object_set_new(v, "id", json_integer(got));
	api_reply(r, id == 0 ? 201 : 200, v);
}

void
api_risk_add(struct api *a, struct api_call *c, struct http_response *r)
{
	change(a, c, r, 0);
}

void
api_risk_update(struct api *a, struct api_call *c, struct http_response *r)
{
	change(a, c, r, c->id);
}

void
api_risk_import(struct api *a, struct api_call *c, struct http_response *r)
{
	int added = 0, refreshed = 0;
	int rc = store_risk_import_hosts(c->db, c->sess.tenant_id, c->now, &added, &refreshed);
	json_t *v = NULL;
	if (rc == MAMORI_OK)
		rc = risk_json_list(c->db, c->sess.tenant_id, &v);
	if (rc != MAMORI_OK) {
		risk_failed(a, c, r, rc);
		return;
	}
	json_object_set_new(v, "added", json_integer(added));
	json_object_set_new(v, "refreshed", json_integer(refreshed));
	api_reply(r, 200, v);
}

void
api_risk_csv(struct api *a, struct api_call *c, struct http_response *r)
{
	const char *lang = http_query(c->req, "lang");
	enum lang l = LANG_JA;
	if (lang && i18n_parse_lang(lang, &l) != MAMORI_OK) {
		api_error(r, 400, "bad_request", "lang is ja or en");
		return;
	}
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc = f ? risk_json_csv(c->db, c->sess.tenant_id, l, f) : MAMORI_E_NOMEM;
	if (f && fclose(f) != 0 && rc == MAMORI_OK)
		rc = MAMORI_E_NOMEM;
	if (rc != MAMORI_OK) {
		free(buf);
		risk_failed(a, c, r, rc);
		return;
	}
	http_set_body(r, 200, buf);
	r->len = len;
	r->content_type = "text/csv; charset=utf-8";
}
