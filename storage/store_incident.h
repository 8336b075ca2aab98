/*
 * store_incident.h - incident records, their checklist, reports to
 * authorities, evidence and timeline, and the company's contacts.
 *
 * Every call is scoped by tenant (another tenant's id is
 * MAMORI_E_NOTFOUND) and changes one thing - a field, a checklist item, a
 * report - with a timeline step naming the actor, in one transaction. The
 * meaning of kinds, items and authorities is the caller's
 * (detection/incident.h); this module stores the words it is given.
 */
#ifndef MAMORI_STORAGE_STORE_INCIDENT_H
#define MAMORI_STORAGE_STORE_INCIDENT_H

#include <stdbool.h>
#include <stdint.h>

struct db;

#define STORE_INCIDENT_TEXT_MAX 4000	/* one field, note or title */

struct store_incident_new {
	int64_t tenant_id;
	const char *kind;
	const char *title;	/* "" with an alert: the alert's message */
	int64_t alert_id;	/* 0: opened by hand */
	int64_t discovered_at;	/* 0: the alert's first time, else now */
	const char *actor;
	int64_t now;
};

/* MAMORI_E_NOTFOUND when the alert is not this tenant's. */
int store_incident_open(struct db *db, const struct store_incident_new *in, int64_t *id);

enum store_incident_field {
	SI_TITLE, SI_WHEN, SI_WHERE, SI_WHO, SI_WHAT, SI_WHY, SI_HOW, SI_NFIELDS
};
/* Column-free names used by the CLI and API: title, when, where, who, what, why, how. */
const char *store_incident_field_name(enum store_incident_field f);

struct store_incident_row {
	int64_t id;
	const char *kind, *title, *state, *step, *opened_by;
	int64_t alert_id, discovered_at, opened_at, closed_at;
	const char *w[SI_NFIELDS];	/* SI_TITLE is title again */
	unsigned ppc_cases;
	bool ppc_encrypted;
	int checks_done;
};

struct store_incident_detail_fns {
	int (*row)(void *ctx, const struct store_incident_row *r);
	int (*check)(void *ctx, const char *item, int64_t done_at, const char *done_by);
	int (*report)(void *ctx, const char *authority, int64_t at, const char *by, const char *note);
	int (*evidence)(void *ctx, int64_t id, int64_t at, const char *by, const char *what,
	    const char *location, const char *sha256);
	int (*step)(void *ctx, int64_t at, const char *kind, const char *actor, const char *note);
};

typedef int (*store_incident_fn)(void *ctx, const struct store_incident_row *r);

/* Newest first; open_only leaves out closed incidents. */
int store_incident_list(struct db *db, int64_t tenant_id, bool open_only,
    store_incident_fn fn, void *ctx);
/* One incident; any callback may be NULL. */
/* Incidents opened or closed in [from, to) (unix seconds), oldest first,
 * at most limit. */
int store_incident_month(struct db *db, int64_t tenant_id, int64_t from, int64_t to, int limit,
    store_incident_fn fn, void *ctx);
int store_incident_get(struct db *db, int64_t tenant_id, int64_t id,
    const struct store_incident_detail_fns *fns, void *ctx);

struct store_incident_who {
	int64_t tenant_id, id;
	const char *actor;
	int64_t now;
};

int store_incident_set_field(struct db *db, const struct store_incident_who *w,
    enum store_incident_field f, const char *value);
int store_incident_set_step(struct db *db, const struct store_incident_who *w, const char *step);
int store_incident_set_discovered(struct db *db, const struct store_incident_who *w, int64_t t);
int store_incident_set_ppc(struct db *db, const struct store_incident_who *w, unsigned cases,
    bool encrypted);
/* done: tick (again: keeps the first tick), else untick. */
int store_incident_check(struct db *db, const struct store_incident_who *w, const char *item,
    bool done);
/* at 0: now. Reporting again updates the time and note. */
int store_incident_reported(struct db *db, const struct store_incident_who *w,
    const char *authority, int64_t at, const char *note);
int store_incident_add_evidence(struct db *db, const struct store_incident_who *w,
    const char *what, const char *location, const char *sha256);
int store_incident_note(struct db *db, const struct store_incident_who *w, const char *note);
/* MAMORI_E_INVAL when already in that state. */
int store_incident_close(struct db *db, const struct store_incident_who *w, bool close,
    const char *note);
/* Open incidents of the tenant. */
int store_incident_open_count(struct db *db, int64_t tenant_id, int64_t *n);

/* Contacts entered in advance: one per role. */
struct store_contact {
	const char *role, *name, *phone, *email, *note;
	int64_t updated_at;
};
int store_contact_set(struct db *db, int64_t tenant_id, const struct store_contact *c);
int store_contact_delete(struct db *db, int64_t tenant_id, const char *role);
int store_contact_list(struct db *db, int64_t tenant_id,
    int (*fn)(void *ctx, const struct store_contact *c), void *ctx);

#endif
