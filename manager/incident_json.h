/*
 * incident_json.h - an incident as the dashboard and `mamori incident
 * show --json` see it: the stored record joined with its playbook
 * (detection/incident.h), the reporting helper, the PPC countdowns and the
 * company's contacts; and changes to it, given as one JSON object, checked
 * whole before any is applied.
 */
#ifndef MAMORI_MANAGER_INCIDENT_JSON_H
#define MAMORI_MANAGER_INCIDENT_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

/* {"en": ..., "ja": ...} */
json_t *incident_json_text(const char *en, const char *ja);

/* The incident with everything needed to work on it; now drives the countdowns. */
int incident_json_get(struct db *db, int64_t tenant_id, int64_t id, int64_t now, json_t **out);
/* Summaries, newest first, each with its progress and countdowns. */
int incident_json_list(struct db *db, int64_t tenant_id, bool open_only, int64_t now,
    json_t **out);
/* The kinds with their first step, and the four PPC cases (for the "open" form). */
json_t *incident_json_kinds(void);
/* [{role, name, phone, email, note, updated_at}] */
int incident_json_contacts(struct db *db, int64_t tenant_id, json_t **out);

/*
 * {"kind", "title", "alert_id", "discovered_at"} opens an incident.
 * MAMORI_E_INVAL (message in err) for a bad body, MAMORI_E_NOTFOUND when
 * the alert is not this tenant's.
 */
int incident_json_open(struct db *db, int64_t tenant_id, const json_t *body,
    const char *actor, int64_t now, int64_t *id, char *err, size_t errsz);
/*
 * Applies any of: "check"/"uncheck": item id or list; "step":
 * detect|report|recover; "fields": {title, when, where, who, what, why,
 * how}; "discovered_at": unix seconds; "ppc": {"cases": [...],
 * "encrypted": bool}; "reported": {"authority", "at", "note"};
 * "evidence": {"what", "location", "sha256"}; "note": text; "state":
 * open|closed. Everything is checked first; MAMORI_E_INVAL with err when
 * something is wrong (nothing applied), MAMORI_E_NOTFOUND for another
 * tenant's incident, MAMORI_E_LIMIT when the state forbids it (closing a
 * closed incident, moving the step of a closed one).
 */
int incident_json_apply(struct db *db, int64_t tenant_id, int64_t id, json_t *change,
    const char *actor, int64_t now, char *err, size_t errsz);
/* {"role", "name", "phone", "email", "note"}; with "delete": true removes the role. */
int incident_json_contact_set(struct db *db, int64_t tenant_id, const json_t *body,
    int64_t now, char *err, size_t errsz);

#endif
