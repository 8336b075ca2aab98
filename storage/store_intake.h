/*
 * store_intake.h - storing an agent's batch of events, exactly once.
 *
 * The batch is written in one IMMEDIATE transaction on a handle set to
 * synchronous=FULL (store_intake_durable), so once store_intake_batch
 * returns the events survive a power loss and the manager may acknowledge
 * them. UNIQUE (agent_id, seq) makes a retried batch a no-op.
 */
#ifndef MAMORI_STORAGE_STORE_INTAKE_H
#define MAMORI_STORAGE_STORE_INTAKE_H

#include <stddef.h>
#include <stdint.h>

#include "storage/store_agent.h"

struct db;

/* A finding of a scan an agent sent; strings live as long as the call. */
struct store_intake_finding {
	const char *check_id, *severity, *title, *detail, *action, *evidence_json;
	int kajo;
};

/* A `mamori scan --json` document, kept as a scan of the agent's host. */
struct store_intake_scan {
	const char *host_key, *hostname, *root, *report_json;
	int64_t started_at, duration_ms;
	int score;
	const struct store_intake_finding *findings;
	size_t nfindings;
};

struct store_intake_event {
	int64_t seq, ts;
	const char *kind;
	const char *body;	/* the event line as sent */
	size_t body_len;
	int64_t dropped;	/* kind "gap": events the agent had to drop */
	const struct store_intake_scan *scan;	/* kind "scan", when decodable */
	const char *alert_json;	/* kind "alert": the alert line (data), or NULL */
	size_t alert_len;
	/* What the caller makes of the event beyond keeping it (kind "eve": a
	 * network sensor's line into alerts and devices). Called once, when the
	 * event is first stored, inside the batch's savepoint, so a retried
	 * batch never applies it twice. MAMORI_E_PARSE keeps it as an event
	 * only (one odd line must not block the agent's queue); another error
	 * fails the batch. data is the event's data object as text. */
	int (*apply)(void *arg, struct db *db, const struct store_intake_event *e);
	void *apply_arg;
	const char *data;
	size_t data_len;
};

struct store_intake_result {
	int64_t acked;		/* every seq up to here is stored */
	unsigned stored, duplicates, scans;
	unsigned alerts;	/* alert events recorded in the alerts table */
	unsigned not_alerts;	/* alert events that were not alert lines (kept as events) */
	unsigned applied;	/* events the caller's apply took */
	unsigned not_applied;	/* events apply refused as malformed (kept as events) */
};

/* Makes COMMIT wait for the disk (PRAGMA synchronous = FULL). */
int store_intake_durable(struct db *db);

/*
 * Stores events (seq ascending) of agent a. floor is the lowest seq the
 * agent still holds: seqs below it were delivered or dropped by the agent
 * (a "gap" event counts the latter), so acknowledgement moves past them.
 * Fails with MAMORI_E_PERM when the agent was revoked meanwhile and
 * MAMORI_E_LIMIT when the disk is full; nothing is written then.
 */
int store_intake_batch(struct db *db, const struct store_agent *a, int64_t floor,
    int64_t spool_records, int64_t spool_bytes, const struct store_intake_event *ev,
    size_t n, int64_t now, int history_keep, struct store_intake_result *out);

/*
 * Group commit: several agents' batches in one transaction, so one fsync
 * covers them all. store_intake_apply() stores one batch inside the group
 * (its own savepoint: a refused batch leaves the others); nothing is
 * durable, and nothing may be acknowledged, before store_intake_group_commit()
 * returns MAMORI_OK (MAMORI_E_LIMIT: disk full; the group is rolled back).
 */
int store_intake_group_begin(struct db *db);
int store_intake_apply(struct db *db, const struct store_agent *a, int64_t floor,
    int64_t spool_records, int64_t spool_bytes, const struct store_intake_event *ev,
    size_t n, int64_t now, int history_keep, struct store_intake_result *out);
int store_intake_group_commit(struct db *db);
void store_intake_group_abort(struct db *db);

/* For tests and tools: the number of events of an agent and the highest seq. */
int store_intake_count(struct db *db, int64_t agent_id, int64_t *n, int64_t *max_seq);

#endif
