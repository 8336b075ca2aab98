#include "storage/db_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/err.h"

/* From the build: storage/migrations/NNNN_*.sql in order, NULL-terminated. */
extern const char *const db_migrations[];

static const char *const stmt_sql[STMT_COUNT] = {
	[STMT_HOST_UPSERT] =
	    "INSERT INTO hosts (tenant_id, host_key, hostname, first_seen, last_seen) "
	    "VALUES (?4, ?1, ?2, ?3, ?3) "
	    "ON CONFLICT (tenant_id, host_key) DO UPDATE SET hostname = ?2, last_seen = ?3",
	[STMT_HOST_ID] =
	    "SELECT id FROM hosts WHERE tenant_id = ?2 AND host_key = ?1",
	[STMT_SCAN_INSERT] =
	    "INSERT INTO scans (host_id, started_at, duration_ms, root) VALUES (?1, ?2, ?3, ?4)",
	[STMT_SCAN_PREV] =
	    "SELECT id FROM scans WHERE host_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT 1",
	[STMT_SCAN_PACKAGE] =
	    "INSERT INTO scan_packages (scan_id, format, name, arch, version) VALUES (?1, ?2, ?3, ?4, ?5)",
	[STMT_SCAN_LISTENING] =
	    "INSERT INTO scan_listening (scan_id, proto, address, port, process) VALUES (?1, ?2, ?3, ?4, ?5)",
	[STMT_SCAN_ADMIN] =
	    "INSERT INTO scan_admins (scan_id, user_name, via) VALUES (?1, ?2, ?3)",
	[STMT_SCAN_FINDING] =
	    "INSERT INTO findings (scan_id, check_id, kajo, severity, title, detail, action, evidence_json, "
	    "text_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[STMT_SCAN_REPORT] =
	    "UPDATE scans SET report_json = ?2, score = ?3, duration_ms = ?4 WHERE id = ?1",
	[STMT_DIFF_PKG_ADDED] =
	    "SELECT format, name, arch, version FROM scan_packages n WHERE scan_id = ?1 AND NOT EXISTS "
	    "(SELECT 1 FROM scan_packages o WHERE o.scan_id = ?2 AND o.format = n.format AND o.name = n.name AND o.arch = n.arch) "
	    "ORDER BY name, arch",
	[STMT_DIFF_PKG_REMOVED] =
	    "SELECT format, name, arch, version FROM scan_packages o WHERE scan_id = ?2 AND NOT EXISTS "
	    "(SELECT 1 FROM scan_packages n WHERE n.scan_id = ?1 AND o.format = n.format AND o.name = n.name AND o.arch = n.arch) "
	    "ORDER BY name, arch",
	[STMT_DIFF_PKG_CHANGED] =
	    "SELECT n.format, n.name, n.arch, n.version, o.version FROM scan_packages n JOIN scan_packages o "
	    "ON o.scan_id = ?2 AND o.format = n.format AND o.name = n.name AND o.arch = n.arch "
	    "WHERE n.scan_id = ?1 AND o.version <> n.version ORDER BY n.name, n.arch",
	[STMT_DIFF_LISTEN_ADDED] =
	    "SELECT DISTINCT proto, address, port, process FROM scan_listening n WHERE scan_id = ?1 AND NOT EXISTS "
	    "(SELECT 1 FROM scan_listening o WHERE o.scan_id = ?2 AND o.proto = n.proto AND o.address = n.address AND o.port = n.port) "
	    "ORDER BY proto, port, address",
	[STMT_DIFF_LISTEN_REMOVED] =
	    "SELECT DISTINCT proto, address, port, process FROM scan_listening o WHERE scan_id = ?2 AND NOT EXISTS "
	    "(SELECT 1 FROM scan_listening n WHERE n.scan_id = ?1 AND o.proto = n.proto AND o.address = n.address AND o.port = n.port) "
	    "ORDER BY proto, port, address",
	[STMT_DIFF_ADMIN_ADDED] =
	    "SELECT user_name, group_concat(via, ',') FROM scan_admins n WHERE scan_id = ?1 AND NOT EXISTS "
	    "(SELECT 1 FROM scan_admins o WHERE o.scan_id = ?2 AND o.user_name = n.user_name) "
	    "GROUP BY user_name ORDER BY user_name",
	[STMT_DIFF_ADMIN_REMOVED] =
	    "SELECT user_name, group_concat(via, ',') FROM scan_admins o WHERE scan_id = ?2 AND NOT EXISTS "
	    "(SELECT 1 FROM scan_admins n WHERE n.scan_id = ?1 AND o.user_name = n.user_name) "
	    "GROUP BY user_name ORDER BY user_name",
	[STMT_SCAN_PRUNE] =
	    "DELETE FROM scans WHERE host_id = ?1 AND id NOT IN "
	    "(SELECT id FROM scans WHERE host_id = ?1 ORDER BY id DESC LIMIT ?2)",
	[STMT_SCAN_LAST_REPORT] =
	    "SELECT s.id, s.report_json FROM scans s JOIN hosts h ON h.id = s.host_id "
	    "WHERE h.tenant_id = 1 AND s.report_json IS NOT NULL ORDER BY s.id DESC LIMIT 1",
};

int
db_migration_count(void)
{
	int n = 0;
	while (db_migrations[n])
		n++;
	return n;
}

const char *
db_default_path(void)
{
	return geteuid() == 0 ? "/var/lib/mamori/mamori.db" : "mamori.db";
}

const char *
db_errmsg(struct db *db)
{
	return db && db->h ? sqlite3_errmsg(db->h) : "no database";
}

static int
exec(struct db *db, const char *sql)
{
	return sqlite3_exec(db->h, sql, NULL, NULL, NULL) == SQLITE_OK ? MAMORI_OK : MAMORI_E_DB;
}

int
db_begin(struct db *db)
{
	return exec(db, "BEGIN IMMEDIATE");
}

bool
db_in_transaction(struct db *db)
{
	return !sqlite3_get_autocommit(db->h);
}

int
db_commit(struct db *db)
{
	return exec(db, "COMMIT");
}

void
db_rollback(struct db *db)
{
	if (!sqlite3_get_autocommit(db->h))
		(void)exec(db, "ROLLBACK");
}

bool
db_in_tx(struct db *db)
{
	return !sqlite3_get_autocommit(db->h);
}

int
db_schema_version(struct db *db)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/*
 * Each migration runs in its own BEGIN IMMEDIATE transaction, and the
 * version is read inside it: processes opening a new database together
 * (the agent and the manager, `mamori up` and its children) take turns,
 * and each applies only what the ones before it have not. An up-to-date
 * database (the version only grows) is seen without the write lock, so
 * opening it does not wait for another process's long transaction.
 */
static int
migrate(struct db *db, char *err, size_t errsz)
{
	int want = db_migration_count();
	if (db_schema_version(db) == want)
		return MAMORI_OK;
	for (;;) {
		char pragma[64];
		if (db_begin(db) != MAMORI_OK) {
			snprintf(err, errsz, "cannot lock the database to migrate it: %s", db_errmsg(db));
			return MAMORI_E_DB;
		}
		int have = db_schema_version(db);
		if (have < 0 || have > want) {
			if (have < 0)
				snprintf(err, errsz, "cannot read schema version: %s", db_errmsg(db));
			else
				snprintf(err, errsz, "database schema %d is newer than this mamori (%d); "
				    "upgrade mamori", have, want);
			db_rollback(db);
			return MAMORI_E_DB;
		}
		if (have == want)
			break;
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", have + 1);
		if (exec(db, db_migrations[have]) != MAMORI_OK || exec(db, pragma) != MAMORI_OK ||
		    db_commit(db) != MAMORI_OK) {
			snprintf(err, errsz, "migration %04d failed: %s", have + 1, db_errmsg(db));
			db_rollback(db);
			return MAMORI_E_DB;
		}
	}
	/* Up to date: this transaction wrote nothing. */
	if (db_commit(db) != MAMORI_OK) {
		snprintf(err, errsz, "cannot end the migration check: %s", db_errmsg(db));
		db_rollback(db);
		return MAMORI_E_DB;
	}
	return MAMORI_OK;
}

static int
make_parent(const char *path)
{
	char dir[4096];
	int n = snprintf(dir, sizeof(dir), "%s", path);
	if (n < 0 || (size_t)n >= sizeof(dir))
		return MAMORI_E_INVAL;
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return MAMORI_OK;
	*slash = '\0';
	if (mkdir(dir, 0750) != 0 && errno != EEXIST)
		return MAMORI_E_IO;
	return MAMORI_OK;
}

int
db_open(const char *path, bool create_dirs, struct db **out, char *err,
    size_t errsz)
{
	*out = NULL;
	struct db *db = calloc(1, sizeof(*db));
	if (!db) {
		snprintf(err, errsz, "out of memory");
		return MAMORI_E_NOMEM;
	}
	if (create_dirs && make_parent(path) != MAMORI_OK) {
		snprintf(err, errsz, "cannot create the directory for %s: %s", path, strerror(errno));
		free(db);
		return MAMORI_E_IO;
	}
	int rc = sqlite3_open_v2(path, &db->h,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW |
	    SQLITE_OPEN_NOMUTEX, NULL);	/* one handle per thread: no mutexes */
	if (rc != SQLITE_OK) {
		snprintf(err, errsz, "cannot open database %s: %s", path,
		    db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
		db_close(db);
		return MAMORI_E_DB;
	}
	sqlite3_busy_timeout(db->h, 5000);
	sqlite3_extended_result_codes(db->h, 1);
	/* journal_mode returns a row; exec() ignores it. A file that is not a
	 * database fails here with "file is not a database". The page size
	 * only takes on a new file: 16 KiB pages halve the reads of a
	 * vulnerability scan (thousands of scattered lookups, one pread each). */
	if (exec(db, "PRAGMA page_size = 16384") != MAMORI_OK ||
	    exec(db, "PRAGMA journal_mode = WAL") != MAMORI_OK ||
	    exec(db, "PRAGMA foreign_keys = ON") != MAMORI_OK ||
	    exec(db, "PRAGMA synchronous = NORMAL") != MAMORI_OK) {
		snprintf(err, errsz, "cannot use database %s: %s", path, db_errmsg(db));
		db_close(db);
		return MAMORI_E_DB;
	}
	rc = migrate(db, err, errsz);
	if (rc != MAMORI_OK) {
		db_close(db);
		return rc;
	}
	*out = db;
	return MAMORI_OK;
}

int
db_open_reader(const char *path, struct db **out, char *err, size_t errsz)
{
	int rc = MAMORI_E_DB, have;
	struct db *db = calloc(1, sizeof(*db));

	*out = NULL;
	if (!db) {
		snprintf(err, errsz, "out of memory");
		return MAMORI_E_NOMEM;
	}
	if (sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "cannot open database %s to read: %s", path, db_errmsg(db));
		goto out;
	}
	sqlite3_busy_timeout(db->h, 5000);
	sqlite3_extended_result_codes(db->h, 1);
	/* The writer migrated it; a reader of another schema would misread. */
	if ((have = db_schema_version(db)) != db_migration_count()) {
		snprintf(err, errsz, "database %s has schema %d, not %d, for reading (%s)", path, have,
		    db_migration_count(), db_errmsg(db));
		goto out;
	}
	*out = db;
	db = NULL;
	rc = MAMORI_OK;
out:
	db_close(db);
	return rc;
}

void
db_close(struct db *db)
{
	if (!db)
		return;
	for (int i = 0; i < db->ncache; i++)
		sqlite3_finalize(db->cache[i].st);
	sqlite3_close(db->h);
	free(db);
}

sqlite3_stmt *
db_cached(struct db *db, const char *sql)
{
	for (int i = 0; i < db->ncache; i++) {
		if (db->cache[i].sql == sql) {
			sqlite3_reset(db->cache[i].st);
			sqlite3_clear_bindings(db->cache[i].st);
			return db->cache[i].st;
		}
	}
	sqlite3_stmt *st;
	if (db->ncache == DB_CACHE_MAX)
		return NULL;
	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
		return NULL;
	db->cache[db->ncache].sql = sql;
	db->cache[db->ncache].st = st;
	db->ncache++;
	return st;
}

sqlite3_stmt *
db_stmt(struct db *db, enum db_stmt id)
{
	return db_cached(db, stmt_sql[id]);
}

int
db_step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? MAMORI_OK : MAMORI_E_DB;
}

void
db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_STATIC);
}

void
db_bind_period(sqlite3_stmt *st, int64_t tenant_id, int64_t from, int64_t to, int limit)
{
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	sqlite3_bind_int(st, 4, limit);
}

int
db_timeline_add(struct db *db, const char *sql, int64_t id, int64_t at, const char *kind,
    const char *actor, const char *note)
{
	sqlite3_stmt *st = db_cached(db, sql);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, at);
	db_bind_text(st, 3, kind);
	db_bind_text(st, 4, actor);
	db_bind_text(st, 5, note);
	return db_step_done(st);
}

int
db_text_of(struct db *db, const char *sql, int64_t tenant_id, int64_t id, char *out, size_t outsz)
{
	sqlite3_stmt *st = db_cached(db, sql);
	if (!st)
		return MAMORI_E_DB;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_int64(st, 2, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(out, outsz, "%s", db_col_text(st, 0));
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? MAMORI_OK : rc == SQLITE_DONE ? MAMORI_E_NOTFOUND : MAMORI_E_DB;
}

const char *
db_col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : "";
}

int
db_step_one(sqlite3_stmt *st)
{
	sqlite3 *h = sqlite3_db_handle(st);
	int rc = db_step_done(st);
	return rc == MAMORI_OK && sqlite3_changes(h) == 0 ? MAMORI_E_NOTFOUND : rc;
}

int
db_step_int64(sqlite3_stmt *st, int64_t *out)
{
	int rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? MAMORI_OK : MAMORI_E_DB;
}

int
db_step_first(sqlite3_stmt *st, int (*each)(sqlite3_stmt *st, void *arg), void *arg)
{
	int rc = sqlite3_step(st);
	int ret = rc == SQLITE_ROW ? each(st, arg) :
	    rc == SQLITE_DONE ? MAMORI_E_NOTFOUND : MAMORI_E_DB;
	sqlite3_reset(st);
	return ret;
}

int
db_step_rows(sqlite3_stmt *st, int (*each)(sqlite3_stmt *st, void *arg), void *arg)
{
	int rc, ret = MAMORI_OK;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((ret = each(st, arg)) != 0)
			break;
	if (ret == MAMORI_OK && rc != SQLITE_DONE)
		ret = MAMORI_E_DB;
	sqlite3_reset(st);
	return ret;
}
