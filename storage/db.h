/*
 * db.h - the database handle. storage/ is the only code that speaks SQL.
 *
 * SQLite in WAL mode with foreign keys on; the schema is a list of numbered
 * migrations (storage/migrations/NNNN_*.sql, embedded at build time), each
 * applied in its own BEGIN IMMEDIATE transaction that also reads PRAGMA
 * user_version (so processes opening a new file together apply each one
 * once) and records the new version there. A
 * database newer than this binary is refused rather than misread.
 */
#ifndef MAMORI_STORAGE_DB_H
#define MAMORI_STORAGE_DB_H

#include <stdbool.h>
#include <stddef.h>

struct db;

/*
 * Opens (creating if needed) and migrates. On failure *out is NULL and err
 * has a one-line message. create_dirs makes a missing parent directory
 * (for /var/lib/mamori).
 */
int db_open(const char *path, bool create_dirs, struct db **out, char *err,
    size_t errsz);
void db_close(struct db *db);
/* A read-only handle on a database the writer has opened and migrated (in
 * WAL mode it reads beside the writer); refused when the schema differs. */
int db_open_reader(const char *path, struct db **out, char *err, size_t errsz);

/* Schema version after migration. */
int db_schema_version(struct db *db);
/* Number of migrations this binary knows. */
int db_migration_count(void);

/* The default path: /var/lib/mamori/mamori.db as root, else ./mamori.db. */
const char *db_default_path(void);

/* The last SQLite error text, for messages. */
const char *db_errmsg(struct db *db);

int db_begin(struct db *db);
/* True inside BEGIN ... COMMIT (or a savepoint): a caller's transaction
 * already makes the work atomic. */
bool db_in_transaction(struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db);
/* True inside a transaction this handle began. */
bool db_in_tx(struct db *db);

#endif
