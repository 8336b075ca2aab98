/*
 * store_asset.h - devices the network sensor saw on the LAN (its EVE
 * "asset" events), one row per tenant and MAC address.
 *
 * A device is new the first time its MAC is stored for the tenant; later
 * events fill in what was learnt since (a name, an IPv6 address) and move
 * last_seen. Empty fields of an event never erase what is known.
 */
#ifndef MAMORI_STORAGE_STORE_ASSET_H
#define MAMORI_STORAGE_STORE_ASSET_H

#include <stdbool.h>
#include <stdint.h>

struct db;

struct store_asset {
	int64_t id;
	const char *mac, *vendor, *ip, *ipv6, *hostname, *hostname_source, *dhcp_vendor_class;
	const char *sensor;		/* host name of the sensor that saw it */
	int64_t first_seen, last_seen;	/* unix ms */
};

/* Stores what an event says about a device at now_ms. *is_new: its MAC
 * was not known for the tenant; *since_ms: when the tenant's first device
 * was stored (the start of its inventory). 0 or MAMORI_E_DB. */
int store_asset_upsert(struct db *db, int64_t tenant_id, const struct store_asset *a,
    int64_t now_ms, bool *is_new, int64_t *since_ms);
/* The tenant's devices, last seen first, at most limit, to fn (non-zero
 * stops and is returned). 0 or MAMORI_E_DB. */
int store_asset_list(struct db *db, int64_t tenant_id, int limit,
    int (*fn)(void *arg, const struct store_asset *a), void *arg);
/* Devices first seen in [from_ms, to_ms): *total of them, the first limit
 * (oldest first) to fn. 0 or MAMORI_E_DB. */
int store_asset_new_between(struct db *db, int64_t tenant_id, int64_t from_ms, int64_t to_ms,
    int limit, int64_t *total, int (*fn)(void *arg, const struct store_asset *a), void *arg);

#endif
