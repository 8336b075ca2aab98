#include "manager/advisory_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "storage/db.h"
#include "storage/store_advisory.h"
#include "vuln/advisory.h"
#include "vuln/top10.h"

struct import_ctx {
	struct db *db;
	int64_t tenant_id, now;
	struct advisory_import_result *res;
};

static int
put_item(void *ctx, const struct advisory *a)
{
	struct import_ctx *x = ctx;
	struct store_advisory_product p[ADVISORY_PRODUCTS_MAX];
	char cves[ADVISORY_CVES_MAX * 25] = "";
	size_t off = 0;
	for (int i = 0; i < a->ncves; i++)
		off += (size_t)snprintf(cves + off, sizeof(cves) - off, "%s%s", i ? "," : "", a->cves[i]);
	for (int i = 0; i < a->nproducts; i++)
		p[i] = (struct store_advisory_product){ a->products[i].vendor, a->products[i].product,
			a->products[i].cpe, a->products[i].name };
	struct store_advisory s = {
		.adv_id = a->id, .source = a->source, .title = a->title, .summary = a->summary,
		.link = a->link, .severity = a->severity, .cves = cves, .cvss = a->cvss,
		.published_at = a->published, .products = p, .nproducts = a->nproducts,
	};
	bool is_new = false;
	int rc = store_advisory_put(x->db, x->tenant_id, &s, x->now, &is_new);
	if (rc == MAMORI_OK)
		is_new ? x->res->added++ : x->res->updated++;
	return rc;
}

int
advisory_json_import(struct db *db, int64_t tenant_id, struct span feed, int64_t now,
    struct advisory_import_result *res, char *err, size_t errsz)
{
	struct import_ctx x = { db, tenant_id, now, res };
	struct advisory_sink sink = { .ctx = &x, .item = put_item };
	memset(res, 0, sizeof(*res));
	int rc = db_begin(db);
	if (rc != MAMORI_OK) {
		snprintf(err, errsz, "database: %s", db_errmsg(db));
		return rc;
	}
	rc = advisory_parse(feed, &sink);
	res->format = sink.format;
	res->items = sink.items;
	res->skipped = sink.skipped;
	if (rc == MAMORI_OK)
		rc = db_commit(db);
	if (rc != MAMORI_OK) {
		db_rollback(db);
		res->added = res->updated = 0;
		snprintf(err, errsz, "%s", sink.err[0] ? sink.err : db_errmsg(db));
	}
	return rc;
}

static json_t *
text(struct i18n_text t)
{
	return json_pack("{s:s, s:s}", "en", t.en, "ja", t.ja);
}

/* "a,b,c" -> ["a", "b", "c"] */
static json_t *
split(const char *s)
{
	json_t *arr = json_array();
	while (arr && s && *s) {
		size_t n = strcspn(s, ",");
		json_array_append_new(arr, json_stringn(s, n));
		s += n + (s[n] == ',');
	}
	return arr;
}

static int
add_advisory(void *ctx, const struct store_advisory *a)
{
	json_t *products = json_array();
	for (int i = 0; products && i < a->nproducts; i++)
		json_array_append_new(products, json_pack("{s:s, s:s, s:s}", "vendor", a->products[i].vendor,
		    "product", a->products[i].product, "cpe", a->products[i].cpe));
	json_t *v = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:I, s:I, s:b, s:o, s:o, s:o}",
	    "id", (json_int_t)a->id, "adv_id", a->adv_id, "source", a->source, "title", a->title,
	    "summary", a->summary, "link", a->link, "severity", a->severity,
	    "cvss", a->cvss >= 0 ? json_real(a->cvss) : json_null(), "cves", split(a->cves),
	    "published_at", (json_int_t)a->published_at, "imported_at", (json_int_t)a->imported_at,
	    "concerns_us", *a->matched != '\0', "matched", split(a->matched), "hosts", split(a->hosts),
	    "products", products);
	return v && json_array_append_new(ctx, v) == 0 ? 0 : MAMORI_E_NOMEM;
}

int
advisory_json_list(struct db *db, int64_t tenant_id, bool mine_only, int limit, json_t **out)
{
	int64_t total = 0, mine = 0;
	json_t *arr = json_array();
	int rc = arr ? store_advisory_list(db, tenant_id, mine_only, limit, add_advisory, arr) :
	    MAMORI_E_NOMEM;
	if (rc == MAMORI_OK)
		rc = store_advisory_counts(db, tenant_id, &total, &mine);
	if (rc != MAMORI_OK) {
		json_decref(arr);
		return rc;
	}
	*out = json_pack("{s:o, s:I, s:I, s:o}", "advisories", arr, "total", (json_int_t)total,
	    "mine", (json_int_t)mine, "credit", text((struct i18n_text){
	    "Source: JVN iPedia / MyJVN (IPA)", "出典: JVN iPedia / MyJVN (IPA)" }));
	return *out ? MAMORI_OK : MAMORI_E_NOMEM;
}

json_t *
advisory_json_threats(void)
{
	size_t n;
	const struct top10_threat *t = top10_threats(&n);
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++)
		json_array_append_new(arr, json_pack("{s:i, s:o, s:o, s:o}", "rank", t[i].rank,
		    "title", text(t[i].title), "what", text(t[i].what), "todo", text(t[i].todo)));
	return json_pack("{s:i, s:o*, s:o}", "year", TOP10_YEAR, "threats", arr, "source",
	    text((struct i18n_text){ "IPA, 情報セキュリティ10大脅威 2025 (organisations)",
	    "IPA「情報セキュリティ10大脅威 2025」組織編" }));
}
