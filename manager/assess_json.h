/*
 * assess_json.h - a tenant's self-assessment and SECURITY ACTION readiness
 * as `mamori assess --json` and /api/assess show them: the pure logic of
 * guide/ fed from storage (the latest scans' evidence, the contacts kept
 * for incidents for item 24, the owner's answers, the policy state).
 */
#ifndef MAMORI_MANAGER_ASSESS_JSON_H
#define MAMORI_MANAGER_ASSESS_JSON_H

#include <jansson.h>
#include <stdint.h>

#include "common/i18n.h"
#include "guide/assess.h"
#include "guide/policy_draft.h"
#include "storage/store_assess.h"

struct db;

#define ASSESS_JSON_MAX_CHANGES 64

/* Reads the evidence and the answers into a (assess_init'ed, not yet
 * finished). *bad counts stored scans whose report could not be read
 * (their evidence is left out). */
int assess_json_load(struct db *db, int64_t tenant_id, enum lang lang, struct assess *a,
    int *bad);
/* Applies changes in memory (cleared = back to the evidence). */
void assess_json_apply(struct assess *a, const struct store_assess_change *ch, int n,
    int64_t now);
/*
 * The document of a (finished): items, total, band; saved (the snapshot's
 * id when save, else null) and security_action. Saving stores the changes
 * and the snapshot in one transaction; by names who answered.
 */
int assess_json_doc(struct db *db, int64_t tenant_id, const struct assess *a, enum lang lang,
    int64_t now, bool save, const char *by, const struct store_assess_change *ch, int n,
    json_t **out);
/* {"answers": {"N": 4|2|0|-1|null, ...}} (null = back to the evidence).
 * MAMORI_E_INVAL with a message in err; nothing is applied then. */
int assess_json_parse_answers(const json_t *body, struct store_assess_change *ch, int *n,
    char *err, size_t errsz);
/* [{id, date, created_at, total, answered, band, scan_id}], oldest first. */
int assess_json_history(struct db *db, int64_t tenant_id, json_t **out);
/* {"company", "representative", "title", "date": "YYYY-MM-DD"} into info
 * (strings borrowed from body; missing = blank, date missing = now).
 * MAMORI_E_INVAL with a message in err. */
int assess_json_policy_info(const json_t *body, int64_t now, struct policy_info *info,
    char *err, size_t errsz);

#endif
