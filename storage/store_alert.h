/*
 * store_alert.h - alerts from every engine, their state and timeline.
 *
 * Engines print alerts as NDJSON lines (detection/alert.h); whoever holds a
 * database hands the same line to store_alert_record_json(). An alert whose
 * rule, host, source address and user match an alert that is still open
 * (new or acknowledged) and was last seen within the de-duplication window
 * is counted on that row instead of making a new one. All reads and state
 * changes are scoped by tenant: another tenant's id is MAMORI_E_NOTFOUND.
 */
#ifndef MAMORI_STORAGE_STORE_ALERT_H
#define MAMORI_STORAGE_STORE_ALERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct db;

#define STORE_ALERT_BODY_MAX (64 * 1024)	/* a larger alert line is refused */
#define STORE_ALERT_DEDUP_MS (24LL * 3600 * 1000)

struct store_alert_in {
	int64_t tenant_id;
	const char *source;	/* "logs", "fim", "sensor", "scan", "agent" */
	const char *host_name;	/* used when the alert has no host.name; may be NULL */
	int64_t now_ms;		/* used when the alert has no valid @timestamp */
	int64_t dedup_ms;	/* 0: STORE_ALERT_DEDUP_MS */
};

/*
 * Records one alert line (JSON object with "event.kind": "alert" and a
 * "rule.id"). *id gets the alert's row, *is_new whether it opened a new
 * alert (false: counted on an open one). MAMORI_E_PARSE for a line that is
 * not such an alert, MAMORI_E_LIMIT beyond STORE_ALERT_BODY_MAX. Runs in
 * the caller's transaction if one is open, else in its own.
 */
int store_alert_record_json(struct db *db, const struct store_alert_in *in,
    const char *line, size_t len, int64_t *id, bool *is_new);
/* The same for an alert whose line the caller has as a JSON object too
 * (its own alert_to_json): the line is stored as its body, the fields are
 * read from obj instead of parsing the line again. */
int store_alert_record_obj(struct db *db, const struct store_alert_in *in, const json_t *obj,
    const char *line, size_t len, int64_t *id, bool *is_new);

struct store_alert_row {
	int64_t id;
	const char *host_name, *source, *rule_id;
	int severity;		/* 0 info .. 4 critical */
	int64_t first_ts, last_ts, count;	/* milliseconds */
	const char *source_ip, *user_name, *message;
	const char *state;	/* new, acknowledged, resolved */
	const char *body;	/* the first occurrence's JSON */
};

struct store_alert_filter {
	bool open_only;		/* new and acknowledged */
	int min_severity;	/* 0: all */
	int64_t before_id;	/* paging: ids below this; 0: from the newest */
	int limit;		/* 1..500; 0: 100 */
};

struct store_alert_step {
	int64_t at;
	const char *kind, *actor, *note;
};

typedef int (*store_alert_fn)(void *ctx, const struct store_alert_row *r);
typedef int (*store_alert_step_fn)(void *ctx, const struct store_alert_step *s);

/* Newest first by id. */
int store_alert_list(struct db *db, int64_t tenant_id, const struct store_alert_filter *f,
    store_alert_fn fn, void *ctx);
/* One alert and its timeline (oldest step first). */
int store_alert_get(struct db *db, int64_t tenant_id, int64_t id, store_alert_fn fn,
    store_alert_step_fn step, void *ctx);
/*
 * Moves an alert to "acknowledged", "resolved" or back to "new" (reopen),
 * with a timeline step naming the actor. MAMORI_E_INVAL for an unknown
 * state or a move that makes no sense (acknowledging a resolved alert).
 */
int store_alert_set_state(struct db *db, int64_t tenant_id, int64_t id, const char *state,
    const char *actor, const char *note, int64_t now_ms);
/* Adds a timeline step such as "notified" (by a notifier) or "note". */
int store_alert_add_step(struct db *db, int64_t tenant_id, int64_t id, const char *kind,
    const char *actor, const char *note, int64_t now_ms);
/* Open alerts per severity 0..4, for the overview and /metrics. */
int store_alert_open_counts(struct db *db, int64_t tenant_id, int64_t counts[5]);

/* The alerts first seen in [from_ms, to_ms) (a month's report): counts per
 * severity, then the worst limit of them (severity, then oldest first). */
struct store_alert_month_counts {
	int64_t by_severity[5], total, resolved;
};
int store_alert_month(struct db *db, int64_t tenant_id, int64_t from_ms, int64_t to_ms,
    struct store_alert_month_counts *counts, int limit, store_alert_fn fn, void *ctx);

#endif
