/*
 * risk_json.h - the asset ledger as the dashboard, `mamori risk` and the
 * CSV export see it: each stored asset with its importance, likelihood,
 * risk value and level computed (common/risk.h), and changes given as one
 * JSON object, checked whole before anything is written.
 */
#ifndef MAMORI_MANAGER_RISK_JSON_H
#define MAMORI_MANAGER_RISK_JSON_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/i18n.h"

struct db;

/* {"assets": [...], "summary": {count, high, medium, low, high_untreated}} */
int risk_json_list(struct db *db, int64_t tenant_id, json_t **out);
/*
 * id 0 adds an asset (name required), else changes the named fields of
 * asset id; {"delete": true} removes it. Fields: category, name, note,
 * users, owner, location, plan (text), c, i, a, threat, weakness (1-3),
 * personal (bool), treatment (reduce, transfer, avoid, accept or "").
 * MAMORI_E_INVAL with err for a bad body, MAMORI_E_NOTFOUND for another
 * tenant's asset. *id_out gets the asset's id.
 */
int risk_json_apply(struct db *db, int64_t tenant_id, int64_t id, json_t *body, int64_t now,
    int64_t *id_out, char *err, size_t errsz);
/* The ledger as CSV in IPA's column order (headers in lang), for Excel. */
int risk_json_csv(struct db *db, int64_t tenant_id, enum lang lang, FILE *out);

#endif
