/* db_internal.h - shared by the storage/ modules only. */
#ifndef MAMORI_STORAGE_DB_INTERNAL_H
#define MAMORI_STORAGE_DB_INTERNAL_H

#include <sqlite3.h>

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

struct db {
	sqlite3 *h;
	sqlite3_stmt *stmt[STMT_COUNT];
};

/* Returns the statement reset and with bindings cleared, or NULL. */
sqlite3_stmt *db_stmt(struct db *db, enum db_stmt id);

#endif
