/*
 * eve_intake.h - the network sensor's EVE lines into the database, for
 * whoever reads a sensor's output (mamori up's child, a remote sensor's
 * events through the manager's intake):
 * - "alert" events become stored alerts (store_alert_record_json, as the
 *   ECS-style line the other engines print);
 * - "asset" events are stored as network devices (store_asset), and a
 *   device that is new to the tenant after its learning period is an
 *   alert "a new device joined the office network" (low).
 * - "stats" events are kept as the sensor's newest statistics (capture
 *   drops, anomalies, flows; store_sensor), shown as its status.
 * Other event types are skipped.
 */
#ifndef MAMORI_MANAGER_EVE_INTAKE_H
#define MAMORI_MANAGER_EVE_INTAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

struct eve_intake {
	int64_t tenant_id;
	const char *source;	/* alert source: "sensor" */
	const char *sensor_host;	/* host name of the sensor */
	int64_t learn_ms;	/* devices within this time of the tenant's first
				 * stored device are its baseline, not alerts */
};

enum eve_intake_kind { EVE_INTAKE_SKIPPED, EVE_INTAKE_ALERT, EVE_INTAKE_ASSET,
	EVE_INTAKE_NEW_DEVICE, EVE_INTAKE_STATS };

/* One EVE line at now_ms; *kind says what it became. 0, MAMORI_E_PARSE
 * (not a JSON object) or a storage error. Outside a transaction it opens
 * its own; inside one (the intake's batch) a storage error leaves the
 * rollback to the caller. */
int eve_intake_line(struct db *db, const struct eve_intake *in, const char *line, size_t len,
    int64_t now_ms, enum eve_intake_kind *kind);

#endif
