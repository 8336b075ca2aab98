#include "manager/assess_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/err.h"
#include "guide/security_action.h"
#include "storage/db.h"
#include "storage/store_incident.h"
#include "storage/store_manager.h"

struct load_ctx {
	struct assess *a;
	enum lang lang;
	int bad;
};

static int
load_scan(void *vctx, const struct store_assess_scan *s)
{
	struct load_ctx *ctx = vctx;
	json_error_t jerr;
	json_t *doc = json_loads(s->report_json, 0, &jerr);
	/* One unreadable stored report costs its evidence, not the run. */
	if (!doc || assess_add_scan(ctx->a, doc, s->scan_id, s->hostname, s->started_at,
	    ctx->lang) != MAMORI_OK)
		ctx->bad++;
	json_decref(doc);
	return 0;
}

/* check id -> {title, detail, action} in one language, from the findings table */
struct text_ctx {
	json_t *map;
	const char *lang;
};

static int
finding_text(void *vctx, const struct store_mgr_finding *f)
{
	struct text_ctx *t = vctx;
	json_t *doc = json_loads(f->text_json, 0, NULL);
	json_t *l = json_object_get(doc, t->lang);
	if (json_is_object(l) && !json_object_get(t->map, f->check_id))
		json_object_set(t->map, f->check_id, l);
	json_decref(doc);
	return 0;
}

/* The scan documents carry one language (the scan's); the findings table
 * keeps both, so the evidence is shown in the reader's. */
static int
localise(struct db *db, int64_t tenant_id, enum lang lang, struct assess *a)
{
	struct text_ctx t = { json_object(), lang == LANG_JA ? "ja" : "en" };
	if (!t.map)
		return MAMORI_E_NOMEM;
	/* All of them: LIMIT -1 is no limit in SQLite. */
	const struct store_mgr_findings_query q = { .host_id = 0, .limit = -1 };
	int rc = store_manager_findings(db, tenant_id, &q, finding_text, &t);
	for (int k = 0; rc == MAMORI_OK && k < ASSESS_NITEMS; k++) {
		json_t *list = json_object_get(a->item[k].evidence, "findings");
		size_t i;
		json_t *f;
		json_array_foreach(list, i, f) {
			json_t *l = json_object_get(t.map, json_string_value(json_object_get(f, "id")));
			if (json_is_string(json_object_get(l, "title")))
				json_object_set(f, "title", json_object_get(l, "title"));
			if (json_is_string(json_object_get(l, "action")))
				json_object_set(f, "action", json_object_get(l, "action"));
		}
	}
	json_decref(t.map);
	return rc;
}

#define MAX_CONTACTS 32

struct roles {
	char *role[MAX_CONTACTS];
	size_t n;
};

static int
add_role(void *ctx, const struct store_contact *c)
{
	struct roles *r = ctx;
	bool reachable = (c->phone && *c->phone) || (c->email && *c->email);
	/* A name without a phone number or address is not a contact yet. */
	if (r->n < MAX_CONTACTS && reachable && !(r->role[r->n++] = strdup(c->role)))
		return MAMORI_E_NOMEM;
	return 0;
}

int
assess_json_load(struct db *db, int64_t tenant_id, enum lang lang, struct assess *a, int *bad)
{
	struct load_ctx lctx = { a, lang, 0 };
	struct store_assess_manual man;
	struct roles roles = { .n = 0 };
	int rc = store_assess_latest_scans(db, tenant_id, 0, load_scan, &lctx);
	if (rc == MAMORI_OK)
		rc = localise(db, tenant_id, lang, a);
	if (rc == MAMORI_OK)
		rc = store_contact_list(db, tenant_id, add_role, &roles);
	if (rc == MAMORI_OK)
		rc = assess_add_contacts(a, (const char *const *)roles.role, roles.n);
	if (rc == MAMORI_OK)
		rc = store_assess_manual_load(db, tenant_id, &man);
	if (rc == MAMORI_OK)
		for (int i = 0; i < ASSESS_NITEMS; i++)
			if (man.have[i])
				assess_set_manual(a, i + 1, man.answer[i], man.at[i]);
	for (size_t i = 0; i < roles.n; i++)
		free(roles.role[i]);
	*bad = lctx.bad;
	return rc;
}

void
assess_json_apply(struct assess *a, const struct store_assess_change *ch, int n, int64_t now)
{
	for (int i = 0; i < n; i++) {
		struct assess_item *it = &a->item[ch[i].item_no - 1];
		if (ch[i].cleared) {
			it->source = ASSESS_SRC_NONE;
			it->answered_at = 0;
		} else {
			assess_set_manual(a, ch[i].item_no, ch[i].answer, now);
		}
	}
}

int
assess_json_doc(struct db *db, int64_t tenant_id, const struct assess *a, enum lang lang,
    int64_t now, bool save, const char *by, const struct store_assess_change *ch, int n,
    json_t **out)
{
	struct store_assess_policy pol;
	struct security_action sa;
	char *text = NULL;
	int rc = MAMORI_OK;
	memset(&pol, 0, sizeof(pol));
	memset(&sa, 0, sizeof(sa));
	json_t *doc = assess_to_json(a, lang, now);
	if (!doc)
		return MAMORI_E_NOMEM;
	json_t *saved = json_null();
	if (save) {
		struct store_assess_snapshot snap = {
			.created_at = now, .scan_id = a->scan_id, .total = a->total,
			.answered = a->answered, .band = assess_band_of(a->total)->id,
		};
		/* The snapshot is the document before "saved" and readiness. */
		if (!(snap.doc_json = text = json_dumps(doc, JSON_COMPACT)))
			rc = MAMORI_E_NOMEM;
		else if ((rc = store_assess_save(db, tenant_id, by, ch, n, &snap)) == MAMORI_OK)
			saved = json_integer(snap.id);
		if (rc != MAMORI_OK)
			goto out;
	}
	json_object_set_new(doc, "saved", saved);
	saved = NULL;
	if ((rc = store_assess_policy_get(db, tenant_id, &pol)) != MAMORI_OK)
		goto out;
	security_action_eval(&sa, a, pol.drafted_at, pol.published_at, pol.published_where);
	json_t *sj = security_action_json(&sa, lang);
	if (!sj) {
		rc = MAMORI_E_NOMEM;
		goto out;
	}
	json_object_set_new(doc, "security_action", sj);
	*out = doc;
	doc = NULL;
out:
	json_decref(saved);
	json_decref(doc);
	free(text);
	security_action_release(&sa);
	store_assess_policy_release(&pol);
	return rc;
}

int
assess_json_parse_answers(const json_t *body, struct store_assess_change *ch, int *n,
    char *err, size_t errsz)
{
	json_t *answers = json_object_get(body, "answers");
	const char *key;
	const json_t *v;
	*n = 0;
	if (!json_is_object(answers) || json_object_size(answers) == 0) {
		snprintf(err, errsz, "answers must be an object of item numbers to 4, 2, 0, -1 or null");
		return MAMORI_E_INVAL;
	}
	json_object_foreach(answers, key, v) {
		char *end = NULL;
		long no = strtol(key, &end, 10);
		if (!*key || *end || no < 1 || no > ASSESS_NITEMS) {
			snprintf(err, errsz, "item \"%.16s\": items are 1 to 25", key);
			return MAMORI_E_INVAL;
		}
		struct store_assess_change c = { .item_no = (int)no };
		if (json_is_null(v)) {
			c.cleared = true;
		} else {
			json_int_t x = json_is_integer(v) ? json_integer_value(v) : 99;
			if (x != ASSESS_DONE && x != ASSESS_PARTLY && x != ASSESS_NOT_DONE &&
			    x != ASSESS_UNKNOWN) {
				snprintf(err, errsz, "item %ld: the answer is 4, 2, 0, -1 or null", no);
				return MAMORI_E_INVAL;
			}
			c.answer = (int)x;
		}
		/* Keys are unique in a JSON object, and at most 25 fit. */
		ch[(*n)++] = c;
	}
	return MAMORI_OK;
}

static int
history_row(void *ctx, const struct store_assess_snapshot *s)
{
	char date[16];
	assess_date(s->created_at, date, sizeof(date));
	json_t *row = json_pack("{s:I, s:s, s:I, s:i, s:i, s:s, s:o}", "id", (json_int_t)s->id,
	    "date", date, "created_at", (json_int_t)s->created_at, "total", s->total,
	    "answered", s->answered, "band", s->band,
	    "scan_id", s->scan_id ? json_integer(s->scan_id) : json_null());
	return row && json_array_append_new(ctx, row) == 0 ? 0 : MAMORI_E_NOMEM;
}

int
assess_json_history(struct db *db, int64_t tenant_id, json_t **out)
{
	json_t *arr = json_array();
	int rc = arr ? store_assess_history(db, tenant_id, history_row, arr) : MAMORI_E_NOMEM;
	if (rc != MAMORI_OK) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return MAMORI_OK;
}

static int
opt_str(const json_t *body, const char *key, size_t max, const char **out, char *err,
    size_t errsz)
{
	const json_t *v = json_object_get(body, key);
	*out = "";
	if (!v || json_is_null(v))
		return MAMORI_OK;
	if (!json_is_string(v) || json_string_length(v) > max ||
	    strlen(json_string_value(v)) != json_string_length(v)) {
		snprintf(err, errsz, "%s must be text of at most %zu bytes", key, max);
		return MAMORI_E_INVAL;
	}
	*out = json_string_value(v);
	return MAMORI_OK;
}

int
assess_json_policy_info(const json_t *body, int64_t now, struct policy_info *info,
    char *err, size_t errsz)
{
	const char *date = "";
	memset(info, 0, sizeof(*info));
	info->date = now;
	if (!json_is_object(body)) {
		snprintf(err, errsz, "the body must be a JSON object");
		return MAMORI_E_INVAL;
	}
	if (opt_str(body, "company", 200, &info->company, err, errsz) ||
	    opt_str(body, "representative", 100, &info->representative, err, errsz) ||
	    opt_str(body, "title", 100, &info->title, err, errsz) ||
	    opt_str(body, "date", 10, &date, err, errsz))
		return MAMORI_E_INVAL;
	if (*date) {
		struct tm tm = { 0 }, back;
		char *end = NULL;
		/* Noon UTC: the same calendar day in Japan and in UTC. */
		end = strptime(date, "%Y-%m-%d", &tm);
		tm.tm_hour = 12;
		int mday = tm.tm_mday;	/* timegm normalises tm: Feb 30 becomes Mar 2 */
		time_t t = end && !*end ? timegm(&tm) : (time_t)-1;
		if (t == (time_t)-1 || !gmtime_r(&t, &back) || back.tm_mday != mday ||
		    back.tm_year < 100 || back.tm_year > 1100) {
			snprintf(err, errsz, "date must be a real day as YYYY-MM-DD");
			return MAMORI_E_INVAL;
		}
		info->date = t;
	}
	return MAMORI_OK;
}
