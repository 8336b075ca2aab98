/* db_internal.h - shared by the storage/ modules only. */
#ifndef MAMORI_STORAGE_DB_INTERNAL_H
#define MAMORI_STORAGE_DB_INTERNAL_H

#include <sqlite3.h>
#include <stdint.h>

#include "storage/db.h"

/* Every prepared statement of storage/, compiled once on first use. */
enum db_stmt {
	STMT_HOST_UPSERT,
	STMT_HOST_ID,
	STMT_SCAN_INSERT,
	STMT_SCAN_PREV,
	STMT_SCAN_PACKAGE,
	STMT_SCAN_LISTENING,
	STMT_SCAN_ADMIN,
	STMT_SCAN_FINDING,
	STMT_SCAN_REPORT,
	STMT_DIFF_PKG_ADDED,
	STMT_DIFF_PKG_REMOVED,
	STMT_DIFF_PKG_CHANGED,
	STMT_DIFF_LISTEN_ADDED,
	STMT_DIFF_LISTEN_REMOVED,
	STMT_DIFF_ADMIN_ADDED,
	STMT_DIFF_ADMIN_REMOVED,
	STMT_SCAN_PRUNE,
	STMT_SCAN_LAST_REPORT,
	STMT_COUNT
};

#define DB_CACHE_MAX 128

struct db_cached_stmt {
	const char *sql;	/* static string: the cache key is its address */
	sqlite3_stmt *st;
};

struct db {
	sqlite3 *h;
	struct db_cached_stmt cache[DB_CACHE_MAX];
	int ncache;
};

/* Returns the statement reset and with bindings cleared, or NULL. */
sqlite3_stmt *db_stmt(struct db *db, enum db_stmt id);
/*
 * The same for any storage/ module: sql must be a string with static
 * storage (a literal or a static const array), compiled once per handle.
 */
sqlite3_stmt *db_cached(struct db *db, const char *sql);

/* Steps a statement that returns no rows and resets it: 0 or MAMORI_E_DB. */
int db_step_done(sqlite3_stmt *st);
/* The same for an UPDATE or DELETE of one row: MAMORI_E_NOTFOUND when it
 * changed none (a missing id, or another tenant's). */
int db_step_one(sqlite3_stmt *st);
/* Binds text; NULL binds "" (columns are NOT NULL). Not copied: s must
 * outlive the step. */
void db_bind_text(sqlite3_stmt *st, int i, const char *s);
/* Binds ?1 tenant, ?2 from, ?3 to (a period's queries) and ?4 limit. */
void db_bind_period(sqlite3_stmt *st, int64_t tenant_id, int64_t from, int64_t to, int limit);
/* Inserts a timeline row with sql (static, as for db_cached): ?1 the id of
 * what it belongs to (an alert, an incident), ?2 at, ?3 kind, ?4 actor,
 * ?5 note. 0 or MAMORI_E_DB. */
int db_timeline_add(struct db *db, const char *sql, int64_t id, int64_t at, const char *kind,
    const char *actor, const char *note);
/* The first column of the first row of sql (static, ?1 tenant, ?2 id) as
 * text into out: 0, MAMORI_E_NOTFOUND without a row, or MAMORI_E_DB. */
int db_text_of(struct db *db, const char *sql, int64_t tenant_id, int64_t id, char *out, size_t outsz);
/* A text column, "" for NULL; valid until the next step or reset. */
const char *db_col_text(sqlite3_stmt *st, int i);
/* Steps st to the end, handing each row to each() (non-zero stops and is
 * returned); MAMORI_E_DB when stepping fails. Resets st. */
int db_step_rows(sqlite3_stmt *st, int (*each)(sqlite3_stmt *st, void *arg), void *arg);
/* The first column of a query's one row (a count): MAMORI_E_DB, *out 0,
 * when there is no row or stepping fails. Resets st. */
int db_step_int64(sqlite3_stmt *st, int64_t *out);
/* Steps st once: each()'s result for a row, MAMORI_E_NOTFOUND for none,
 * MAMORI_E_DB when stepping fails. Resets st. */
int db_step_first(sqlite3_stmt *st, int (*each)(sqlite3_stmt *st, void *arg), void *arg);

/* The tenant of this machine's own scans (mamori scan, vuln scan, up). */
#define STORE_LOCAL_TENANT 1

/*
 * Records a host (upsert by tenant and key) and a new scan row for it,
 * inside the caller's transaction. Shared by the scan and vulnerability-scan
 * stores (store_scan.c) and agent intake (the agent's tenant).
 */
int store_scan_insert(struct db *db, int64_t tenant_id, const char *host_key,
    const char *hostname, int64_t started_at, const char *root, int64_t *host_id,
    int64_t *scan_id);

/* Attaches the report and prunes to keep scans, inside the caller's
 * transaction (store_scan_finish commits; agent intake batches do not). */
struct store_scan;
int store_scan_attach(struct store_scan *s, const char *report_json, int score,
    int64_t duration_ms, int keep);

#endif
