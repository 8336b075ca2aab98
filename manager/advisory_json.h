/*
 * advisory_json.h - advisories for `mamori advisories` and /api/advisories:
 * importing a feed (vuln/advisory.h) into the tenant's store in one
 * transaction (a broken feed stores nothing), the list with the ones that
 * concern the company's own software marked, and IPA's top-10 threats.
 */
#ifndef MAMORI_MANAGER_ADVISORY_JSON_H
#define MAMORI_MANAGER_ADVISORY_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/span.h"

struct db;

struct advisory_import_result {
	const char *format;
	uint64_t items, added, updated, skipped;
};

/* MAMORI_E_PARSE / MAMORI_E_LIMIT with err for a bad feed; nothing stored then. */
int advisory_json_import(struct db *db, int64_t tenant_id, struct span feed, int64_t now,
    struct advisory_import_result *res, char *err, size_t errsz);
/* {"advisories": [...], "total": N, "mine": N, "credit": {en, ja}} */
int advisory_json_list(struct db *db, int64_t tenant_id, bool mine_only, int limit, json_t **out);
/* {"year": 2025, "threats": [{rank, title, what, todo}]} */
json_t *advisory_json_threats(void);

#endif
