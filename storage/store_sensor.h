/*
 * store_sensor.h - the newest statistics of each network sensor (its EVE
 * "stats" events), one row per tenant and sensor host, for the
 * dashboard's sensor status.
 */
#ifndef MAMORI_STORAGE_STORE_SENSOR_H
#define MAMORI_STORAGE_STORE_SENSOR_H

#include <stddef.h>
#include <stdint.h>

struct db;

/* Longest "stats" object kept (a sensor's is about 1 KiB). */
#define STORE_SENSOR_STATS_MAX 16384

struct store_sensor_stats {
	const char *sensor;		/* host name */
	int64_t updated_at;		/* unix ms */
	const char *stats_json;		/* the "stats" object */
};

/* Keeps json (len bytes) as the sensor's statistics at now_ms, unless a
 * newer one is stored (a spooled event replayed late). 0, MAMORI_E_LIMIT
 * (longer than STORE_SENSOR_STATS_MAX) or MAMORI_E_DB. */
int store_sensor_stats_put(struct db *db, int64_t tenant_id, const char *sensor, int64_t now_ms,
    const char *json, size_t len);
/* The tenant's sensors by name, to fn (non-zero stops and is returned). */
int store_sensor_stats_list(struct db *db, int64_t tenant_id,
    int (*fn)(void *arg, const struct store_sensor_stats *s), void *arg);

#endif
