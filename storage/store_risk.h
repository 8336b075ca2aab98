/*
 * store_risk.h - the information asset ledger of the risk analysis sheet.
 *
 * An update names only the fields it changes (NULL / -1 leave a field as
 * it is) and runs as one statement, so two people editing different fields
 * of one asset both keep their change. Scoped by tenant: another tenant's
 * id is MAMORI_E_NOTFOUND.
 */
#ifndef MAMORI_STORAGE_STORE_RISK_H
#define MAMORI_STORAGE_STORE_RISK_H

#include <stdbool.h>
#include <stdint.h>

struct db;

#define STORE_RISK_TEXT_MAX 2000

struct store_risk_asset {
	int64_t id;
	const char *category, *name, *note, *users, *owner, *location;
	const char *treatment, *plan, *source;
	int c, i, a, threat, weakness;	/* 1..3; -1 in an update: unchanged */
	int personal;			/* 0/1; -1 in an update: unchanged */
	int64_t created_at, updated_at;
};

/* Text fields NULL are "" on add; c/i/a/threat/weakness must be 1..3. */
int store_risk_add(struct db *db, int64_t tenant_id, const struct store_risk_asset *in,
    int64_t now, int64_t *id);
int store_risk_update(struct db *db, int64_t tenant_id, int64_t id,
    const struct store_risk_asset *changes, int64_t now);
int store_risk_delete(struct db *db, int64_t tenant_id, int64_t id);

typedef int (*store_risk_fn)(void *ctx, const struct store_risk_asset *r);
/* In ledger order (id). */
int store_risk_list(struct db *db, int64_t tenant_id, store_risk_fn fn, void *ctx);

/*
 * One ledger row per computer whose latest scan is stored: name = host
 * name, note = operating system, packages and score; the weakness rating
 * follows the score (80+ -> 1, 50+ -> 2, else 3). A second import
 * refreshes those fields and keeps what the owner rated (C/I/A, threat,
 * treatment, owner, location).
 */
int store_risk_import_hosts(struct db *db, int64_t tenant_id, int64_t now, int *added,
    int *refreshed);

#endif
