/*
 * rpmdb.c - the one query mamori runs against rpm's own database.
 *
 * Opened read-only the ordinary way, so committed transactions still in
 * rpmdb.sqlite-wal are seen, unless the caller knows the file is at rest
 * (immutable). When the ordinary open fails (a read-only mount with no
 * -shm file) it is reopened as immutable, which reads only the main file.
 */
#include "storage/rpmdb.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "common/err.h"

static int
open_ro(const char *path, bool immutable, sqlite3 **h)
{
	/* Paths may hold '?', '#' or '%': escape them for the URI. */
	char *esc = sqlite3_malloc64(strlen(path) * 3 + 1);
	if (!esc)
		return SQLITE_NOMEM;
	size_t j = 0;
	for (const char *p = path; *p; p++) {
		if (*p == '?' || *p == '#' || *p == '%') {
			snprintf(esc + j, 4, "%%%02X", (unsigned char)*p);
			j += 3;
		} else {
			esc[j++] = *p;
		}
	}
	esc[j] = '\0';
	char *uri = sqlite3_mprintf("file:%s?mode=ro%s", esc,
	    immutable ? "&immutable=1" : "");
	sqlite3_free(esc);
	if (!uri)
		return SQLITE_NOMEM;
	int rc = sqlite3_open_v2(uri, h, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
	    NULL);
	sqlite3_free(uri);
	if (rc == SQLITE_OK)
		sqlite3_busy_timeout(*h, 2000);
	return rc;
}

static int
prepare(const char *path, bool immutable, sqlite3 **h, sqlite3_stmt **st)
{
	*h = NULL;
	*st = NULL;
	int rc = open_ro(path, immutable, h);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(*h, "SELECT blob FROM Packages ORDER BY hnum",
		    -1, st, NULL);
	return rc;
}

int
rpmdb_each_blob(const char *path, bool immutable, size_t max_rows,
    rpmdb_blob_fn fn, void *arg, char *err, size_t errsz)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	size_t rows = 0;
	int ret = MAMORI_OK, rc;

	if ((rc = prepare(path, immutable, &h, &st)) != SQLITE_OK && !immutable) {
		sqlite3_close(h);
		rc = prepare(path, true, &h, &st);
	}
	if (rc != SQLITE_OK) {
		snprintf(err, errsz, "%s", h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
		ret = MAMORI_E_DB;
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (rows++ >= max_rows) {
			snprintf(err, errsz, "more than %zu packages", max_rows);
			ret = MAMORI_E_LIMIT;
			goto out;
		}
		const void *b = sqlite3_column_blob(st, 0);
		int n = sqlite3_column_bytes(st, 0);
		if ((ret = fn(arg, b ? b : "", b && n > 0 ? (size_t)n : 0)) != 0)
			goto out;
	}
	if (rc != SQLITE_DONE) {
		snprintf(err, errsz, "%s", sqlite3_errmsg(h));
		ret = MAMORI_E_DB;
	}
out:
	sqlite3_finalize(st);
	sqlite3_close(h);
	return ret;
}
