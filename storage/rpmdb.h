/*
 * rpmdb.h - read-only access to rpm's SQLite package database
 * (rpmdb.sqlite, rpm >= 4.16). It is a foreign file, not mamori's
 * database: opened read-only, never migrated or written, and only its
 * Packages table (one rpm header blob per installed package) is read.
 */
#ifndef MAMORI_STORAGE_RPMDB_H
#define MAMORI_STORAGE_RPMDB_H

#include <stdbool.h>
#include <stddef.h>

/* Called per header blob; the bytes are valid only during the call. A
 * non-zero return stops the walk and is returned. */
typedef int (*rpmdb_blob_fn)(void *arg, const void *blob, size_t len);

/*
 * Calls fn for every row of Packages, in hnum order, at most max_rows.
 * path is a real filesystem path (SQLite finds the -wal file next to it).
 * immutable: read the main file only, without locks or creating -shm;
 * right for an offline copy whose -wal is absent or empty (nothing is
 * written into the scanned tree). A failed ordinary open is retried so.
 * On failure returns MAMORI_E_DB (err says why) or MAMORI_E_LIMIT when
 * there were more rows.
 */
int rpmdb_each_blob(const char *path, bool immutable, size_t max_rows,
    rpmdb_blob_fn fn, void *arg, char *err, size_t errsz);

#endif
