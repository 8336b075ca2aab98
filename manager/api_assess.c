/* api_assess.c - the self-assessment (read, answer), SECURITY ACTION
 * readiness, the policy draft as a download and its publication. Scoped by
 * tenant; changes need the operator role and the CSRF token (api.c). */
#include "manager/api.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "guide/security_action.h"
#include "manager/assess_json.h"
#include "storage/db.h"
#include "storage/store_assess.h"

static void
assess_failed(struct api *a, const struct api_call *c, struct http_response *r, int rc)
{
	log_error(a->log, "api: assess: %s (%s)", err_str(rc), db_errmsg(c->db));
	api_error(r, 500, "internal", "database error");
}

static bool
lang_of(const struct api_call *c, struct http_response *r, enum lang *l)
{
	const char *s = http_query(c->req, "lang");
	*l = LANG_JA;
	if (s && i18n_parse_lang(s, l) != MAMORI_OK) {
		api_error(r, 400, "bad_request", "lang is ja or en");
		return false;
	}
	return true;
}

/* The tenant's assessment with changes applied (saved when n > 0) and its
 * history, as the page shows it. */
static void
reply_doc(struct api *a, struct api_call *c, struct http_response *r, enum lang l,
    const struct store_assess_change *ch, int n, int status)
{
	struct assess as;
	json_t *doc = NULL, *hist = NULL;
	int bad = 0;
	assess_init(&as);
	int rc = assess_json_load(c->db, c->sess.tenant_id, l, &as, &bad);
	if (rc == MAMORI_OK) {
		assess_json_apply(&as, ch, n, c->now);
		assess_finish(&as);
		rc = assess_json_doc(c->db, c->sess.tenant_id, &as, l, c->now, n > 0, c->sess.user,
		    ch, n, &doc);
	}
	if (rc == MAMORI_OK)
		rc = assess_json_history(c->db, c->sess.tenant_id, &hist);
	assess_release(&as);
	if (rc != MAMORI_OK) {
		json_decref(doc);
		assess_failed(a, c, r, rc);
		return;
	}
	if (bad)
		log_warn(a->log, "api: assess: %d stored scan(s) unreadable, evidence left out", bad);
	json_object_set_new(doc, "history", hist);
	json_object_set_new(doc, "unreadable_scans", json_integer(bad));
	api_reply(r, status, doc);
}

void
api_assess(struct api *a, struct api_call *c, struct http_response *r)
{
	enum lang l;
	if (lang_of(c, r, &l))
		reply_doc(a, c, r, l, NULL, 0, 200);
}

/* The language and the JSON object body of a change; NULL when answered. */
static json_t *
body_object(const struct api_call *c, struct http_response *r, enum lang *l)
{
	if (!lang_of(c, r, l))
		return NULL;
	json_t *in = json_loadb(c->req->body, c->req->body_len, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(in)) {
		json_decref(in);
		api_error(r, 400, "bad_request", "the body must be a JSON object");
		return NULL;
	}
	return in;
}

void
api_assess_answer(struct api *a, struct api_call *c, struct http_response *r)
{
	struct store_assess_change ch[ASSESS_JSON_MAX_CHANGES];
	int n = 0;
	char err[160] = "";
	enum lang l;
	json_t *in = body_object(c, r, &l);
	if (!in)
		return;
	int rc = assess_json_parse_answers(in, ch, &n, err, sizeof(err));
	json_decref(in);
	if (rc != MAMORI_OK) {
		api_error(r, 400, "bad_request", err);
		return;
	}
	log_info(a->log, "api: assessment answered by %s (%d item(s))", c->sess.user, n);
	reply_doc(a, c, r, l, ch, n, 200);
}

void
api_policy_draft(struct api *a, struct api_call *c, struct http_response *r)
{
	struct policy_info info;
	char err[160] = "";
	enum lang l;
	json_t *in = body_object(c, r, &l);
	if (!in)
		return;
	const char *fmt = json_string_value(json_object_get(in, "format"));
	enum policy_format pf = POLICY_HTML;
	if (fmt && strcmp(fmt, "markdown") == 0)
		pf = POLICY_MARKDOWN;
	else if (fmt && strcmp(fmt, "html") != 0) {
		json_decref(in);
		api_error(r, 400, "bad_request", "format is html or markdown");
		return;
	}
	if (assess_json_policy_info(in, c->now, &info, err, sizeof(err)) != MAMORI_OK) {
		json_decref(in);
		api_error(r, 400, "bad_request", err);
		return;
	}
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc = f ? policy_draft_write(f, &info, l, pf) : MAMORI_E_NOMEM;
	if (f && fclose(f) != 0 && rc == MAMORI_OK)
		rc = MAMORI_E_NOMEM;
	json_decref(in);	/* info borrowed its strings */
	if (rc == MAMORI_OK)
		rc = store_assess_policy_drafted(c->db, c->sess.tenant_id, c->now, "dashboard");
	if (rc != MAMORI_OK) {
		free(buf);
		assess_failed(a, c, r, rc);
		return;
	}
	http_set_body(r, 200, buf);
	r->len = len;
	r->content_type = pf == POLICY_HTML ? "text/html; charset=utf-8" :
	    "text/markdown; charset=utf-8";
}

void
api_policy_published(struct api *a, struct api_call *c, struct http_response *r)
{
	enum lang l;
	json_t *in = body_object(c, r, &l);
	if (!in)
		return;
	const json_t *w = json_object_get(in, "where");
	if (!json_is_string(w) || json_string_length(w) == 0 || json_string_length(w) > 500 ||
	    strlen(json_string_value(w)) != json_string_length(w)) {
		json_decref(in);
		api_error(r, 400, "bad_request",
		    "where: the URL or place where staff can read the policy (1-500 bytes)");
		return;
	}
	int rc = store_assess_policy_published(c->db, c->sess.tenant_id, c->now,
	    json_string_value(w));
	json_decref(in);
	if (rc != MAMORI_OK) {
		assess_failed(a, c, r, rc);
		return;
	}
	reply_doc(a, c, r, l, NULL, 0, 200);
}
