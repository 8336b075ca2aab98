/* api_advisories.c - know the threats: the tenant's imported advisories
 * (those naming its own software marked), importing a feed (the request
 * body: RSS, Atom or MyJVN JSON; operator role and CSRF), and IPA's top-10
 * threats explained. */
#include "manager/api.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "manager/advisory_json.h"
#include "storage/db.h"

void
api_advisories(struct api *a, struct api_call *c, struct http_response *r)
{
	const char *mine = http_query(c->req, "mine");
	const char *limit = http_query(c->req, "limit");
	size_t n = limit ? strspn(limit, "0123456789") : 0;
	if ((mine && strcmp(mine, "0") != 0 && strcmp(mine, "1") != 0) ||
	    (limit && (n == 0 || n > 4 || limit[n] != '\0'))) {
		api_error(r, 400, "bad_request", "mine is 0 or 1; limit is a number up to 2000");
		return;
	}
	json_t *v = NULL;
	int rc = advisory_json_list(c->db, c->sess.tenant_id, mine && *mine == '1',
	    limit ? (int)strtol(limit, NULL, 10) : 100, &v);
	if (rc != MAMORI_OK) {
		log_error(a->log, "api: advisories: %s (%s)", err_str(rc), db_errmsg(c->db));
		api_error(r, 500, "internal", "database error");
		return;
	}
	api_reply(r, 200, v);
}

void
api_advisories_import(struct api *a, struct api_call *c, struct http_response *r)
{
	struct advisory_import_result res;
	char err[300] = "";
	int rc = advisory_json_import(c->db, c->sess.tenant_id,
	    (struct span){ c->req->body, c->req->body_len }, c->now, &res, err, sizeof(err));
	if (rc == MAMORI_E_PARSE || rc == MAMORI_E_LIMIT) {
		api_error(r, 400, "bad_feed", err);
		return;
	}
	if (rc != MAMORI_OK) {
		log_error(a->log, "api: advisories import: %s", err);
		api_error(r, 500, "internal", "database error");
		return;
	}
	log_info(a->log, "api: %llu advisories imported by %s", (unsigned long long)res.items, c->sess.user);
	api_reply(r, 200, json_pack("{s:s, s:I, s:I, s:I, s:I}", "format", res.format,
	    "items", (json_int_t)res.items, "added", (json_int_t)res.added,
	    "updated", (json_int_t)res.updated, "skipped", (json_int_t)res.skipped));
}

void
api_threats(struct api *a, struct api_call *c, struct http_response *r)
{
	(void)a;
	(void)c;
	api_reply(r, 200, advisory_json_threats());
}
