/* api_report.c - GET /api/report: the tenant's monthly report (the same
 * document as `mamori report`) as an HTML download. Titles come from the
 * stored findings, as the manager has no check table. */
#include "manager/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "manager/report_month.h"
#include "storage/db.h"
#include "storage/store_auth.h"

struct tenant_name {
	int64_t id;
	char name[128];
};

static int
find_tenant(void *ctx, int64_t id, const char *name)
{
	struct tenant_name *t = ctx;
	if (id != t->id)
		return 0;
	snprintf(t->name, sizeof(t->name), "%s", name);
	return 1;
}

void
api_report(struct api *a, struct api_call *c, struct http_response *r)
{
	const char *month = http_query(c->req, "month");
	const char *format = http_query(c->req, "format");
	const char *lang = http_query(c->req, "lang");
	struct report_month_opts o = { .lang = LANG_JA, .generated_at = c->now,
		.tenant_id = c->sess.tenant_id };
	struct tenant_name t = { .id = c->sess.tenant_id };
	struct report_doc doc;
	char err[256] = "";

	if (!month || report_month_parse(month, &o.year, &o.month) != MAMORI_OK) {
		api_error(r, 400, "bad_request", "month is YYYY-MM");
		return;
	}
	if (format && strcmp(format, "html") != 0) {
		api_error(r, 400, "bad_request", "format is html");
		return;
	}
	if (lang && i18n_parse_lang(lang, &o.lang) != MAMORI_OK) {
		api_error(r, 400, "bad_request", "lang is ja or en");
		return;
	}
	/* The default tenant is the configured company; others carry their name,
	 * as in the reports `mamori up` writes. */
	int rc = store_auth_tenant_list(c->db, find_tenant, &t);
	if (rc < 0) {
		log_error(a->log, "api: report: %s (%s)", err_str(rc), db_errmsg(c->db));
		api_error(r, 500, "internal", "database error");
		return;
	}
	o.company = t.id != 1 ? t.name : a->company ? a->company : "";
	rc = report_month_build(c->db, &o, &doc, err, sizeof(err));
	if (rc != MAMORI_OK) {
		log_error(a->log, "api: report: %s", err);
		api_error(r, 500, "internal", "cannot build the report");
		return;
	}
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	rc = f ? report_month_html(&doc, f) : MAMORI_E_NOMEM;
	if (f && fclose(f) != 0 && rc == MAMORI_OK)
		rc = MAMORI_E_NOMEM;
	report_month_release(&doc);
	if (rc != MAMORI_OK) {
		free(buf);
		api_error(r, 500, "internal", "cannot write the report");
		return;
	}
	http_set_body(r, 200, buf);
	r->len = len;
	r->content_type = "text/html; charset=utf-8";
	snprintf(r->disposition, sizeof(r->disposition),
	    "attachment; filename=\"mamori-report-%04d-%02d.html\"", o.year, o.month);
}
