/*
 * store_country.h - the countries each account logged in from
 * (detection/detect_country.h), kept across restarts of the log watch.
 *
 * Rows are added inside the caller's transaction; the first country of an
 * account is its baseline.
 */
#ifndef MAMORI_STORAGE_STORE_COUNTRY_H
#define MAMORI_STORAGE_STORE_COUNTRY_H

#include <stdint.h>

struct db;

/* Records (user, country) once; a pair already there is left as it is. 0 or MAMORI_E_DB. */
int store_country_add(struct db *db, int64_t tenant_id, const char *user, const char *country, int64_t ts_ms);
/* Every pair of the tenant, oldest first, to fn (non-zero stops and is returned). 0 or MAMORI_E_DB. */
int store_country_each(struct db *db, int64_t tenant_id, int (*fn)(void *arg, const char *user, const char *country),
    void *arg);

#endif
