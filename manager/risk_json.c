#include "manager/risk_json.h"

#include <stdio.h>
#include <string.h>

#include "common/csv.h"
#include "common/err.h"
#include "common/risk.h"
#include "storage/store_risk.h"

struct computed {
	int importance, likelihood, value;
};

static struct computed
compute(const struct store_risk_asset *r)
{
	struct computed c;
	c.importance = risk_importance(r->c, r->i, r->a, r->personal == 1);
	c.likelihood = risk_likelihood(r->threat, r->weakness);
	c.value = risk_value(c.importance, c.likelihood);
	return c;
}

static json_t *
text(struct i18n_text t)
{
	return json_pack("{s:s, s:s}", "en", t.en, "ja", t.ja);
}

struct list_ctx {
	json_t *assets;
	int high, medium, low, high_untreated;
};

static int
add_asset(void *ctx, const struct store_risk_asset *r)
{
	struct list_ctx *l = ctx;
	struct computed c = compute(r);
	json_t *v = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:b, s:i, s:i, "
	    "s:s, s:s, s:s, s:I, s:I, s:i, s:i, s:i, s:s, s:o, s:o}",
	    "id", (json_int_t)r->id, "category", r->category, "name", r->name, "note", r->note,
	    "users", r->users, "owner", r->owner, "location", r->location, "c", r->c, "i", r->i,
	    "a", r->a, "personal", r->personal == 1, "threat", r->threat, "weakness", r->weakness,
	    "treatment", r->treatment, "plan", r->plan, "source", r->source,
	    "created_at", (json_int_t)r->created_at, "updated_at", (json_int_t)r->updated_at,
	    "importance", c.importance, "likelihood", c.likelihood, "risk", c.value,
	    "level", risk_level(c.value), "level_text", text(risk_level_text(c.value)),
	    "treatment_text", text(risk_treatment_text(r->treatment)));
	if (!v || json_array_append_new(l->assets, v))
		return MAMORI_E_NOMEM;
	const char *lv = risk_level(c.value);
	l->high += strcmp(lv, "high") == 0;
	l->medium += strcmp(lv, "medium") == 0;
	l->low += strcmp(lv, "low") == 0;
	l->high_untreated += strcmp(lv, "high") == 0 && !*r->treatment;
	return 0;
}

int
risk_json_list(struct db *db, int64_t tenant_id, json_t **out)
{
	struct list_ctx l = { .assets = json_array() };
	int rc = l.assets ? store_risk_list(db, tenant_id, add_asset, &l) : MAMORI_E_NOMEM;
	if (rc != MAMORI_OK) {
		json_decref(l.assets);
		return rc;
	}
	*out = json_pack("{s:o, s:{s:I, s:i, s:i, s:i, s:i}}", "assets", l.assets, "summary",
	    "count", (json_int_t)json_array_size(l.assets), "high", l.high, "medium", l.medium,
	    "low", l.low, "high_untreated", l.high_untreated);
	return *out ? MAMORI_OK : MAMORI_E_NOMEM;
}

static int
bad(char *err, size_t errsz, const char *msg)
{
	snprintf(err, errsz, "%s", msg);
	return MAMORI_E_INVAL;
}

static int
parse_body(json_t *body, bool adding, struct store_risk_asset *r, char *err, size_t errsz)
{
	static const char *const texts[] = { "category", "name", "note", "users", "owner",
		"location", "plan", "treatment" };
	const char **dst[] = { &r->category, &r->name, &r->note, &r->users, &r->owner,
		&r->location, &r->plan, &r->treatment };
	static const char *const ints[] = { "c", "i", "a", "threat", "weakness" };
	int *idst[] = { &r->c, &r->i, &r->a, &r->threat, &r->weakness };
	const char *key;
	json_t *v;

	if (!json_is_object(body))
		return bad(err, errsz, "expected a JSON object");
	json_object_foreach(body, key, v) {
		bool known = strcmp(key, "personal") == 0 || strcmp(key, "delete") == 0;
		for (size_t k = 0; k < 8; k++)
			known |= strcmp(key, texts[k]) == 0;
		for (size_t k = 0; k < 5; k++)
			known |= strcmp(key, ints[k]) == 0;
		if (!known)
			return bad(err, errsz, "unknown field (category, name, note, users, owner, location, c, i, a, personal, threat, weakness, treatment, plan, delete)");
	}
	for (size_t k = 0; k < 8; k++) {
		v = json_object_get(body, texts[k]);
		if (!v)
			continue;
		if (!json_is_string(v) || json_string_length(v) > STORE_RISK_TEXT_MAX ||
		    strlen(json_string_value(v)) != json_string_length(v))
			return bad(err, errsz, "text fields are strings of at most 2000 bytes");
		*dst[k] = json_string_value(v);
	}
	for (size_t k = 0; k < 5; k++) {
		v = json_object_get(body, ints[k]);
		if (!v)
			continue;
		if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 3)
			return bad(err, errsz, "c, i, a, threat and weakness are 1, 2 or 3");
		*idst[k] = (int)json_integer_value(v);
	}
	v = json_object_get(body, "personal");
	if (v && !json_is_boolean(v))
		return bad(err, errsz, "personal is true or false");
	if (v)
		r->personal = json_is_true(v);
	if (r->treatment && risk_treatment_parse(r->treatment, &r->treatment) != MAMORI_OK)
		return bad(err, errsz, "treatment is reduce, transfer, avoid, accept or \"\"");
	if (adding && (!r->name || !*r->name))
		return bad(err, errsz, "an asset needs a name");
	if (r->name && !*r->name)
		return bad(err, errsz, "the name cannot be empty");
	return MAMORI_OK;
}

int
risk_json_apply(struct db *db, int64_t tenant_id, int64_t id, json_t *body, int64_t now,
    int64_t *id_out, char *err, size_t errsz)
{
	json_t *del = json_object_get(body, "delete");
	int rc;
	*id_out = id;
	if (del && (!json_is_boolean(del) || id == 0 || json_object_size(body) != 1))
		return bad(err, errsz, "delete is {\"delete\": true} on an existing asset, alone");
	if (json_is_true(del)) {
		rc = store_risk_delete(db, tenant_id, id);
		if (rc == MAMORI_E_NOTFOUND)
			snprintf(err, errsz, "no such asset");
		return rc;
	}
	if (id == 0) {
		/* Defaults of a new row: middle ratings, weakness "no measures" until rated. */
		struct store_risk_asset r = { .c = 2, .i = 2, .a = 2, .threat = 2, .weakness = 3 };
		if ((rc = parse_body(body, true, &r, err, errsz)) != MAMORI_OK)
			return rc;
		return store_risk_add(db, tenant_id, &r, now, id_out);
	}
	struct store_risk_asset ch = { .c = -1, .i = -1, .a = -1, .threat = -1, .weakness = -1,
		.personal = -1 };
	if ((rc = parse_body(body, false, &ch, err, errsz)) != MAMORI_OK)
		return rc;
	if (json_object_size(body) == 0)
		return bad(err, errsz, "nothing to change");
	rc = store_risk_update(db, tenant_id, id, &ch, now);
	if (rc == MAMORI_E_NOTFOUND)
		snprintf(err, errsz, "no such asset");
	return rc;
}

struct csv_ctx {
	struct csv csv;
	enum lang lang;
};

static int
csv_row(void *ctx, const struct store_risk_asset *r)
{
	struct csv_ctx *x = ctx;
	struct computed c = compute(r);
	csv_int(&x->csv, r->id);
	const char *t[] = { r->category, r->name, r->note, r->users, r->owner, r->location };
	for (size_t k = 0; k < 6; k++)
		csv_text(&x->csv, t[k]);
	csv_text(&x->csv, r->personal == 1 ? i18n_pick(x->lang, (struct i18n_text){ "yes", "有" }) :
	    i18n_pick(x->lang, (struct i18n_text){ "no", "無" }));
	const int n[] = { r->c, r->i, r->a, c.importance, r->threat, r->weakness, c.likelihood, c.value };
	for (size_t k = 0; k < 8; k++)
		csv_int(&x->csv, n[k]);
	csv_text(&x->csv, i18n_pick(x->lang, risk_level_text(c.value)));
	csv_text(&x->csv, *r->treatment ? i18n_pick(x->lang, risk_treatment_text(r->treatment)) : "");
	csv_text(&x->csv, r->plan);
	csv_text(&x->csv, r->source);
	csv_end_row(&x->csv);
	return ferror(x->csv.out) ? MAMORI_E_IO : 0;
}

int
risk_json_csv(struct db *db, int64_t tenant_id, enum lang lang, FILE *out)
{
	static const struct i18n_text head[] = {
		{ "No", "No" }, { "Business area", "業務分類" }, { "Information asset", "情報資産名称" },
		{ "Notes", "備考" }, { "Users", "利用者範囲" }, { "Owner (department)", "管理部署" },
		{ "Medium / location", "媒体・保存先" }, { "Personal data", "個人情報" },
		{ "Confidentiality", "機密性" }, { "Integrity", "完全性" }, { "Availability", "可用性" },
		{ "Importance", "重要度" }, { "Threat", "脅威の起こりやすさ" },
		{ "Weakness", "脆弱性のつけ込みやすさ" }, { "Likelihood", "被害発生可能性" },
		{ "Risk value", "リスク値" }, { "Level", "評価" }, { "Treatment", "対応" },
		{ "Measure", "対策の内容" }, { "Source", "出所" },
	};
	struct csv_ctx x = { .lang = lang };
	csv_begin(&x.csv, out);
	for (size_t k = 0; k < sizeof(head) / sizeof(head[0]); k++)
		csv_text(&x.csv, i18n_pick(lang, head[k]));
	csv_end_row(&x.csv);
	int rc = store_risk_list(db, tenant_id, csv_row, &x);
	int rc2 = csv_finish(&x.csv);
	return rc != MAMORI_OK ? rc : rc2;
}
