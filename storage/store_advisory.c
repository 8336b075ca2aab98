#include "storage/store_advisory.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "storage/db_internal.h"

static const char sql_find[] = "SELECT id FROM advisories WHERE tenant_id = ?1 AND adv_id = ?2";
static const char sql_insert[] =
    "INSERT INTO advisories (tenant_id, adv_id, source, title, summary, link, severity, cvss, "
    "cves, published_at, imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
static const char sql_update[] =
    "UPDATE advisories SET source = ?3, title = ?4, summary = ?5, link = ?6, severity = ?7, "
    "cvss = ?8, cves = ?9, published_at = ?10, imported_at = ?11 WHERE tenant_id = ?1 AND id = ?2";
static const char sql_del_products[] = "DELETE FROM advisory_products WHERE advisory_id = ?1";
static const char sql_product[] =
    "INSERT INTO advisory_products (advisory_id, vendor, product, cpe, name) "
    "VALUES (?1, ?2, ?3, ?4, replace(lower(?5), '_', '-'))";
/* Package names of each host's latest scan that recorded packages. */
#define INSTALLED \
    "installed AS (SELECT DISTINCT replace(lower(p.name), '_', '-') AS name, h.hostname AS host " \
    "FROM hosts h JOIN scan_packages p ON p.scan_id = (SELECT t.id FROM scans t " \
    "WHERE t.host_id = h.id AND EXISTS (SELECT 1 FROM scan_packages q WHERE q.scan_id = t.id) " \
    "ORDER BY t.started_at DESC, t.id DESC LIMIT 1) WHERE h.tenant_id = ?1), " \
    "hits AS (SELECT ap.advisory_id AS aid, i.name AS pkg, i.host AS host " \
    "FROM advisory_products ap JOIN advisories a2 ON a2.id = ap.advisory_id AND a2.tenant_id = ?1 " \
    "JOIN installed i ON ap.name <> '' AND (i.name = ap.name OR (length(ap.name) >= 4 " \
    "AND substr(i.name, 1, length(ap.name) + 1) = ap.name || '-')))"
static const char sql_list[] =
    "WITH " INSTALLED " SELECT a.id, a.adv_id, a.source, a.title, a.summary, a.link, a.severity, "
    "coalesce(a.cvss, -1), a.cves, a.published_at, a.imported_at, "
    "coalesce((SELECT group_concat(DISTINCT pkg) FROM hits WHERE aid = a.id), ''), "
    "coalesce((SELECT group_concat(DISTINCT host) FROM hits WHERE aid = a.id), '') "
    "FROM advisories a WHERE a.tenant_id = ?1 "
    "AND (?2 = 0 OR EXISTS (SELECT 1 FROM hits WHERE aid = a.id)) "
    "ORDER BY a.published_at DESC, a.id DESC LIMIT ?3";
static const char sql_products_of[] =
    "SELECT vendor, product, cpe, name FROM advisory_products WHERE advisory_id = ?1 ORDER BY rowid";
static const char sql_counts[] =
    "WITH " INSTALLED " SELECT (SELECT count(*) FROM advisories WHERE tenant_id = ?1), "
    "(SELECT count(DISTINCT aid) FROM hits)";

static void
bind_row(sqlite3_stmt *st, int64_t tenant_id, const struct store_advisory *a, int64_t now)
{
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 3, a->source);
	db_bind_text(st, 4, a->title);
	db_bind_text(st, 5, a->summary);
	db_bind_text(st, 6, a->link);
	db_bind_text(st, 7, a->severity);
	if (a->cvss >= 0)
		sqlite3_bind_double(st, 8, a->cvss);
	else
		sqlite3_bind_null(st, 8);
	db_bind_text(st, 9, a->cves);
	sqlite3_bind_int64(st, 10, a->published_at);
	sqlite3_bind_int64(st, 11, now);
}

int
store_advisory_put(struct db *db, int64_t tenant_id, const struct store_advisory *a,
    int64_t now, bool *is_new)
{
	sqlite3_stmt *st = db_cached(db, sql_find);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, a->adv_id);
	int rc = sqlite3_step(st);
	int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return MAMORI_E_DB;
	*is_new = id == 0;
	if (!(st = db_cached(db, id ? sql_update : sql_insert)))
		return MAMORI_E_DB;
	bind_row(st, tenant_id, a, now);
	if (id)
		sqlite3_bind_int64(st, 2, id);
	else
		db_bind_text(st, 2, a->adv_id);
	if ((rc = db_step_done(st)) != MAMORI_OK)
		return rc;
	if (!id)
		id = sqlite3_last_insert_rowid(db->h);
	if (!(st = db_cached(db, sql_del_products)))
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = db_step_done(st)) != MAMORI_OK)
		return rc;
	for (int i = 0; i < a->nproducts; i++) {
		if (!(st = db_cached(db, sql_product)))
			return MAMORI_E_DB;
		sqlite3_bind_int64(st, 1, id);
		db_bind_text(st, 2, a->products[i].vendor);
		db_bind_text(st, 3, a->products[i].product);
		db_bind_text(st, 4, a->products[i].cpe);
		db_bind_text(st, 5, a->products[i].name);
		if ((rc = db_step_done(st)) != MAMORI_OK)
			return rc;
	}
	return MAMORI_OK;
}

#define LIST_PRODUCTS_MAX 16	/* the importer keeps at most 16 per advisory */

struct list_arg {
	struct db *db;
	store_advisory_fn fn;
	void *ctx;
	/* Copies: the product statement is reset before fn runs. */
	char text[LIST_PRODUCTS_MAX][4][256];
	struct store_advisory_product p[LIST_PRODUCTS_MAX];
};

static int
each_advisory(sqlite3_stmt *st, void *arg)
{
	struct list_arg *l = arg;
	struct store_advisory a = {
		.id = sqlite3_column_int64(st, 0), .adv_id = db_col_text(st, 1),
		.source = db_col_text(st, 2), .title = db_col_text(st, 3),
		.summary = db_col_text(st, 4), .link = db_col_text(st, 5),
		.severity = db_col_text(st, 6), .cvss = sqlite3_column_double(st, 7),
		.cves = db_col_text(st, 8), .published_at = sqlite3_column_int64(st, 9),
		.imported_at = sqlite3_column_int64(st, 10), .matched = db_col_text(st, 11),
		.hosts = db_col_text(st, 12),
	};
	sqlite3_stmt *ps = db_cached(l->db, sql_products_of);
	if (!ps)
		return MAMORI_E_DB;
	sqlite3_bind_int64(ps, 1, a.id);
	int rc, n = 0;
	while (n < LIST_PRODUCTS_MAX && (rc = sqlite3_step(ps)) == SQLITE_ROW) {
		for (int k = 0; k < 4; k++)
			snprintf(l->text[n][k], sizeof(l->text[n][k]), "%s", db_col_text(ps, k));
		l->p[n] = (struct store_advisory_product){ l->text[n][0], l->text[n][1],
			l->text[n][2], l->text[n][3] };
		n++;
	}
	sqlite3_reset(ps);
	a.products = l->p;
	a.nproducts = n;
	return l->fn(l->ctx, &a);
}

int
store_advisory_list(struct db *db, int64_t tenant_id, bool mine_only, int limit,
    store_advisory_fn fn, void *ctx)
{
	sqlite3_stmt *st = db_cached(db, sql_list);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_int(st, 2, mine_only);
	sqlite3_bind_int(st, 3, limit <= 0 ? 100 : limit > 2000 ? 2000 : limit);
	struct list_arg *l = calloc(1, sizeof(*l));
	if (!l) {
		sqlite3_reset(st);
		return MAMORI_E_NOMEM;
	}
	l->db = db;
	l->fn = fn;
	l->ctx = ctx;
	int rc = db_step_rows(st, each_advisory, l);
	free(l);
	return rc;
}

int
store_advisory_counts(struct db *db, int64_t tenant_id, int64_t *total, int64_t *mine)
{
	sqlite3_stmt *st = db_cached(db, sql_counts);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	int rc = sqlite3_step(st);
	*total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	*mine = rc == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? MAMORI_OK : MAMORI_E_DB;
}
