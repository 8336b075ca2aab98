#include "storage/store_vuln_import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "storage/db_internal.h"

#define MAX_KINDS 64

struct kind {
	char name[80];
	bool pending;		/* written since the last _source() */
	char *origins, *shas;	/* malloc'd, '\n' and ' ' separated */
	int64_t feed_date;
};

struct store_vuln_import {
	struct db *db;
	int64_t now;
	struct kind kinds[MAX_KINDS];
	int nkinds, last;
	uint64_t rows;
	char err[256];
};

static const char sql_source_claim[] =
    "INSERT INTO vuln_sources (kind, origin, sha256, feed_date, imported_at, records) "
    "VALUES (?1, '', '', NULL, ?2, 0) ON CONFLICT (kind) DO UPDATE SET records = 0";
static const char sql_clear_pkg[] = "DELETE FROM vuln_pkg WHERE kind = ?1";
static const char sql_clear_kev[] = "DELETE FROM vuln_kev";
static const char sql_clear_epss[] = "DELETE FROM vuln_epss";
static const char sql_clear_jvn[] = "DELETE FROM vuln_jvn";
static const char sql_count_pkg[] = "SELECT count(*) FROM vuln_pkg WHERE kind = ?1";
static const char sql_count_kev[] = "SELECT count(*) FROM vuln_kev";
static const char sql_count_epss[] = "SELECT count(*) FROM vuln_epss";
static const char sql_count_jvn[] = "SELECT count(*) FROM vuln_jvn";
/* ?10: this kind outranks whatever kind holds the row now. */
static const char sql_pkg[] =
    "INSERT INTO vuln_pkg (kind, distro, release, package, cve, status, fixed_version, urgency, "
    "minor, ranges) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?11) "
    "ON CONFLICT (distro, release, package, cve) DO UPDATE SET kind = excluded.kind, "
    "status = excluded.status, fixed_version = excluded.fixed_version, "
    "urgency = excluded.urgency, minor = excluded.minor, ranges = excluded.ranges "
    "WHERE vuln_pkg.kind = excluded.kind OR ?10";
static const char sql_cve[] =
    "INSERT INTO vuln_cve_text (cve, description) VALUES (?1, ?2) "
    "ON CONFLICT (cve) DO UPDATE SET description = excluded.description "
    "WHERE vuln_cve_text.description IS NOT excluded.description";
static const char sql_kev[] =
    "INSERT OR REPLACE INTO vuln_kev (cve, vendor, product, name, date_added, due_date, "
    "ransomware, required_action) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char sql_epss[] =
    "INSERT OR REPLACE INTO vuln_epss (cve, epss, percentile) VALUES (?1, ?2, ?3)";
static const char sql_jvn[] =
    "INSERT OR REPLACE INTO vuln_jvn (jvn_id, cve, title_ja, link, published) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
/* vuln_pkg_pack (migration 0022) follows vuln_pkg: rebuilt whole, in
 * the import's transaction (~1 s of CPU for the five releases of the
 * full tracker). */
static const char sql_pack_clear[] = "DELETE FROM vuln_pkg_pack";
static const char sql_pack_fill[] =
    "INSERT INTO vuln_pkg_pack (distro, release, package, rows) SELECT * FROM vuln_pkg_packed";
static const char sql_source_done[] =
    "UPDATE vuln_sources SET origin = ?2, sha256 = ?3, feed_date = ?4, imported_at = ?5, "
    "records = ?6 WHERE kind = ?1";

static int
fail(struct store_vuln_import *imp)
{
	if (!imp->err[0])
		snprintf(imp->err, sizeof(imp->err), "%s", db_errmsg(imp->db));
	return MAMORI_E_DB;
}

static int
step_done(struct store_vuln_import *imp, sqlite3_stmt *st)
{
	if (!st)
		return fail(imp);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		fail(imp);
		sqlite3_reset(st);
		return MAMORI_E_DB;
	}
	sqlite3_reset(st);
	return MAMORI_OK;
}

static void
text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

int
store_vuln_import_begin(struct db *db, int64_t now, struct store_vuln_import **out)
{
	*out = NULL;
	struct store_vuln_import *imp = calloc(1, sizeof(*imp));
	if (!imp)
		return MAMORI_E_NOMEM;
	imp->db = db;
	imp->now = now;
	imp->last = -1;
	/* A full tracker import touches ~100 MB of pages: a bigger page cache
	 * (bounded: 32 MiB) keeps the B-tree inserts in memory. Foreign keys are
	 * off for the import's transaction (free_imp() turns them on again):
	 * checking vuln_pkg.kind made SQLite keep a statement journal, one 16 KiB
	 * page written to a temporary file per row (1.7 M writes, 3.5 s of
	 * system time for the full tracker), and claim() writes each kind's
	 * vuln_sources row before its rows, while the import deletes none. */
	if (sqlite3_exec(db->h, "PRAGMA cache_size = -32768", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db->h, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL) != SQLITE_OK ||
	    db_begin(db) != MAMORI_OK) {
		(void)sqlite3_exec(db->h, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
		free(imp);
		return MAMORI_E_DB;
	}
	*out = imp;
	return MAMORI_OK;
}

const char *
store_vuln_import_errmsg(const struct store_vuln_import *imp)
{
	return imp && imp->err[0] ? imp->err : "database error";
}

uint64_t
store_vuln_import_rows(const struct store_vuln_import *imp)
{
	return imp->rows;
}

static const char *
clear_sql(const char *kind)
{
	if (strcmp(kind, "kev") == 0)
		return sql_clear_kev;
	if (strcmp(kind, "epss") == 0)
		return sql_clear_epss;
	if (strcmp(kind, "jvn") == 0)
		return sql_clear_jvn;
	return sql_clear_pkg;
}

static const char *
count_sql(const char *kind)
{
	if (strcmp(kind, "kev") == 0)
		return sql_count_kev;
	if (strcmp(kind, "epss") == 0)
		return sql_count_epss;
	if (strcmp(kind, "jvn") == 0)
		return sql_count_jvn;
	return sql_count_pkg;
}

static int
claim(struct store_vuln_import *imp, const char *kind, struct kind **out)
{
	if (imp->last >= 0 && strcmp(imp->kinds[imp->last].name, kind) == 0) {
		*out = &imp->kinds[imp->last];
		return MAMORI_OK;
	}
	for (int i = 0; i < imp->nkinds; i++) {
		if (strcmp(imp->kinds[i].name, kind) == 0) {
			imp->last = i;
			*out = &imp->kinds[i];
			return MAMORI_OK;
		}
	}
	if (imp->nkinds == MAX_KINDS || strlen(kind) >= sizeof(imp->kinds[0].name)) {
		snprintf(imp->err, sizeof(imp->err), "too many source kinds in one import");
		return MAMORI_E_LIMIT;
	}
	sqlite3_stmt *st = db_cached(imp->db, sql_source_claim);
	if (!st)
		return fail(imp);
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, imp->now);
	if (step_done(imp, st))
		return MAMORI_E_DB;
	st = db_cached(imp->db, clear_sql(kind));
	if (st && clear_sql(kind) == sql_clear_pkg)
		sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	if (step_done(imp, st))
		return MAMORI_E_DB;
	struct kind *k = &imp->kinds[imp->nkinds];
	snprintf(k->name, sizeof(k->name), "%s", kind);
	imp->last = imp->nkinds++;
	*out = k;
	return MAMORI_OK;
}

int
store_vuln_import_claim(struct store_vuln_import *imp, const char *kind)
{
	struct kind *k;
	int rc = claim(imp, kind, &k);
	if (rc == MAMORI_OK)
		k->pending = true;
	return rc;
}

static int
row(struct store_vuln_import *imp, const char *kind, const char *sql, sqlite3_stmt **st)
{
	struct kind *k;
	int rc = claim(imp, kind, &k);
	if (rc)
		return rc;
	k->pending = true;
	if (!(*st = db_cached(imp->db, sql)))
		return fail(imp);
	imp->rows++;
	return MAMORI_OK;
}

int
store_vuln_import_pkg(void *ctx, const struct feed_pkg *r)
{
	struct store_vuln_import *imp = ctx;
	sqlite3_stmt *st;
	int rc = row(imp, r->kind, sql_pkg, &st);
	if (rc)
		return rc;
	text(st, 1, r->kind);
	text(st, 2, r->distro);
	text(st, 3, r->release);
	text(st, 4, r->package);
	text(st, 5, r->cve);
	text(st, 6, r->status);
	text(st, 7, r->fixed_version);
	text(st, 8, r->urgency);
	sqlite3_bind_int(st, 9, r->minor != 0);
	sqlite3_bind_int(st, 10, strcmp(r->kind, "debian-tracker") == 0);
	text(st, 11, r->ranges);
	return step_done(imp, st);
}

int
store_vuln_import_cve(void *ctx, const struct feed_cve *r)
{
	struct store_vuln_import *imp = ctx;
	sqlite3_stmt *st = db_cached(imp->db, sql_cve);
	if (!st)
		return fail(imp);
	text(st, 1, r->cve);
	text(st, 2, r->description);
	return step_done(imp, st);
}

int
store_vuln_import_kev(void *ctx, const struct feed_kev *r)
{
	struct store_vuln_import *imp = ctx;
	sqlite3_stmt *st;
	int rc = row(imp, "kev", sql_kev, &st);
	if (rc)
		return rc;
	text(st, 1, r->cve);
	text(st, 2, r->vendor);
	text(st, 3, r->product);
	text(st, 4, r->name);
	text(st, 5, r->date_added);
	text(st, 6, r->due_date);
	sqlite3_bind_int(st, 7, r->ransomware != 0);
	text(st, 8, r->required_action);
	return step_done(imp, st);
}

int
store_vuln_import_epss(void *ctx, const struct feed_epss *r)
{
	struct store_vuln_import *imp = ctx;
	sqlite3_stmt *st;
	int rc = row(imp, "epss", sql_epss, &st);
	if (rc)
		return rc;
	text(st, 1, r->cve);
	sqlite3_bind_double(st, 2, r->epss);
	if (r->percentile >= 0)
		sqlite3_bind_double(st, 3, r->percentile);
	else
		sqlite3_bind_null(st, 3);
	return step_done(imp, st);
}

int
store_vuln_import_jvn(void *ctx, const struct feed_jvn *r)
{
	struct store_vuln_import *imp = ctx;
	sqlite3_stmt *st;
	int rc = row(imp, "jvn", sql_jvn, &st);
	if (rc)
		return rc;
	text(st, 1, r->jvn_id);
	text(st, 2, r->cve);
	text(st, 3, r->title_ja);
	text(st, 4, r->link);
	text(st, 5, r->published);
	return step_done(imp, st);
}

/* Appends s to *list with sep; false when out of memory. */
static bool
append(char **list, const char *sep, const char *s)
{
	size_t old = *list ? strlen(*list) : 0, add = strlen(sep) + strlen(s) + 1;
	char *n = realloc(*list, old + add);
	if (!n)
		return false;
	snprintf(n + old, add, "%s%s", old ? sep : "", s);
	*list = n;
	return true;
}

int
store_vuln_import_source(struct store_vuln_import *imp, const char *origin,
    const char *sha256_hex, int64_t feed_date)
{
	for (int i = 0; i < imp->nkinds; i++) {
		struct kind *k = &imp->kinds[i];
		if (!k->pending)
			continue;
		k->pending = false;
		if (!append(&k->origins, "\n", origin) || !append(&k->shas, " ", sha256_hex))
			return MAMORI_E_NOMEM;
		if (feed_date > k->feed_date)
			k->feed_date = feed_date;
	}
	return MAMORI_OK;
}

static void
free_imp(struct store_vuln_import *imp)
{
	/* After the commit or rollback: the pragma is ignored inside one. */
	(void)sqlite3_exec(imp->db->h, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	for (int i = 0; i < imp->nkinds; i++) {
		free(imp->kinds[i].origins);
		free(imp->kinds[i].shas);
	}
	free(imp);
}

static int
finish_kind(struct store_vuln_import *imp, struct kind *k)
{
	sqlite3_stmt *st = db_cached(imp->db, count_sql(k->name));
	if (!st)
		return fail(imp);
	if (count_sql(k->name) == sql_count_pkg)
		sqlite3_bind_text(st, 1, k->name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return fail(imp);
	}
	int64_t n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);

	if (!(st = db_cached(imp->db, sql_source_done)))
		return fail(imp);
	text(st, 1, k->name);
	text(st, 2, k->origins ? k->origins : "");
	text(st, 3, k->shas ? k->shas : "");
	if (k->feed_date > 0)
		sqlite3_bind_int64(st, 4, k->feed_date);
	else
		sqlite3_bind_null(st, 4);
	sqlite3_bind_int64(st, 5, imp->now);
	sqlite3_bind_int64(st, 6, n);
	return step_done(imp, st);
}

static int
repack(struct store_vuln_import *imp)
{
	bool pkg = false;
	for (int i = 0; i < imp->nkinds; i++)
		pkg |= clear_sql(imp->kinds[i].name) == sql_clear_pkg;
	if (!pkg)
		return MAMORI_OK;
	int rc = step_done(imp, db_cached(imp->db, sql_pack_clear));
	return rc ? rc : step_done(imp, db_cached(imp->db, sql_pack_fill));
}

int
store_vuln_import_commit(struct store_vuln_import *imp, char *err, size_t errsz)
{
	int rc = repack(imp);
	for (int i = 0; i < imp->nkinds && rc == MAMORI_OK; i++)
		rc = finish_kind(imp, &imp->kinds[i]);
	if (rc == MAMORI_OK && db_commit(imp->db) != MAMORI_OK)
		rc = fail(imp);
	if (rc != MAMORI_OK) {
		snprintf(err, errsz, "%s", store_vuln_import_errmsg(imp));
		db_rollback(imp->db);
		free_imp(imp);
		return rc;
	}
	/* Fold the large WAL back so the next reader does not replay it. */
	(void)sqlite3_exec(imp->db->h, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	free_imp(imp);
	return MAMORI_OK;
}

void
store_vuln_import_abort(struct store_vuln_import *imp)
{
	if (!imp)
		return;
	db_rollback(imp->db);
	free_imp(imp);
}
