/*
 * store_advisory.h - imported advisories per tenant, and which of them
 * name software installed on the tenant's computers (the package names of
 * each host's latest scan with packages, matched to the product part of
 * the advisory's CPEs: equal, or the package name starting with the
 * product and a dash, for products of four characters or more).
 */
#ifndef MAMORI_STORAGE_STORE_ADVISORY_H
#define MAMORI_STORAGE_STORE_ADVISORY_H

#include <stdbool.h>
#include <stdint.h>

struct db;

struct store_advisory_product {
	const char *vendor, *product, *cpe, *name;
};

struct store_advisory {
	const char *adv_id, *source, *title, *summary, *link, *severity, *cves;
	double cvss;		/* < 0: none */
	int64_t published_at;
	const struct store_advisory_product *products;
	int nproducts;
	/* list only */
	int64_t id, imported_at;
	const char *matched;	/* installed packages it names, comma separated; "" none */
	const char *hosts;	/* computers with them, comma separated */
};

/* Upsert by (tenant, adv_id), replacing its products; in the caller's
 * transaction. *is_new: it was not stored before. */
int store_advisory_put(struct db *db, int64_t tenant_id, const struct store_advisory *a,
    int64_t now, bool *is_new);

typedef int (*store_advisory_fn)(void *ctx, const struct store_advisory *a);
/* Newest published first; mine_only: only those naming installed software. */
int store_advisory_list(struct db *db, int64_t tenant_id, bool mine_only, int limit,
    store_advisory_fn fn, void *ctx);
int store_advisory_counts(struct db *db, int64_t tenant_id, int64_t *total, int64_t *mine);

#endif
