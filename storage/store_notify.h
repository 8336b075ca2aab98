/*
 * store_notify.h - notification channels and the deliveries made on them.
 *
 * A channel belongs to a tenant. A delivery row per (channel, alert) is
 * made when an alert becomes eligible for the channel (open, at or above
 * its minimum severity, raised after the channel was added) and then moves
 * pending -> sent (once, never again), or skipped (the alert was resolved
 * before it went out), or failed (given up after the last retry). All
 * channel reads and changes are scoped by tenant; another tenant's id is
 * MAMORI_E_NOTFOUND.
 */
#ifndef MAMORI_STORAGE_STORE_NOTIFY_H
#define MAMORI_STORAGE_STORE_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

#define STORE_NOTIFY_NAME_MAX 64
#define STORE_NOTIFY_FIELD_MAX 1024	/* target, server, sender, username, secret */

struct store_notify_channel {
	int64_t id, tenant_id;
	char name[STORE_NOTIFY_NAME_MAX + 1];
	char kind[16];		/* smtp slack teams line chatwork webhook */
	char target[STORE_NOTIFY_FIELD_MAX + 1];
	char server[STORE_NOTIFY_FIELD_MAX + 1];
	char sender[STORE_NOTIFY_FIELD_MAX + 1];
	char username[STORE_NOTIFY_FIELD_MAX + 1];
	char secret[STORE_NOTIFY_FIELD_MAX + 1];
	char lang[4];		/* ja, en */
	int min_severity;	/* 0 info .. 4 critical */
	int quiet_start, quiet_end;	/* minutes of the local day; -1: none */
	bool quiet_critical;	/* hold critical alerts in quiet hours too */
	int utc_offset_min;	/* the recipient's local time */
	int digest_at;		/* minute of the local day; -1: send at once */
	int64_t after_alert_id;	/* set at creation: older alerts are not sent */
	int64_t last_digest;	/* unix ms of the last digest sent */
	int64_t created_at;	/* unix ms */
};

/* Adds a channel; fills id, after_alert_id and created_at (= now_ms).
 * MAMORI_E_INVAL when the tenant has a channel of that name already or a
 * field is out of range. */
int store_notify_channel_add(struct db *db, struct store_notify_channel *ch, int64_t now_ms);

typedef int (*store_notify_channel_fn)(void *ctx, const struct store_notify_channel *ch);
/* Every channel of a tenant (tenant_id 0: of every tenant), by id. */
int store_notify_channel_list(struct db *db, int64_t tenant_id, store_notify_channel_fn fn,
    void *ctx);
/* By id, or by name when name is not NULL. */
int store_notify_channel_get(struct db *db, int64_t tenant_id, int64_t id, const char *name,
    struct store_notify_channel *out);
int store_notify_channel_remove(struct db *db, int64_t tenant_id, int64_t id);
int store_notify_channel_digest_done(struct db *db, int64_t channel_id, int64_t at_ms);

/* Makes pending deliveries for the alerts newly eligible for ch; *added
 * gets how many. */
int store_notify_enqueue(struct db *db, const struct store_notify_channel *ch, int *added);

struct store_notify_due {
	int64_t delivery_id, alert_id;
	int attempts;
	int severity;
};
/* Up to max pending deliveries of a channel with next_at <= now_ms,
 * oldest alert first; *n gets how many. */
int store_notify_due_list(struct db *db, int64_t channel_id, int64_t now_ms,
    struct store_notify_due *out, int max, int *n);

/* Takes a due delivery for one try: its next_at moves to until_ms, so a
 * second dispatcher on the same database (or this one after a crash, once
 * until_ms passed) does not send it at the same time. MAMORI_E_NOTFOUND
 * when it is no longer pending and due (another dispatcher took it). */
int store_notify_claim(struct db *db, int64_t delivery_id, int64_t now_ms, int64_t until_ms);

/* A delivery's new state: "sent", "skipped", "failed", or "pending" again
 * (a failed try: attempts and next_at say when to try again). */
int store_notify_delivery_set(struct db *db, int64_t delivery_id, const char *state,
    int attempts, int64_t next_at, int64_t now_ms, const char *error);

struct store_notify_counts {
	int64_t pending, sent, skipped, failed;
};
/* Deliveries per state of one channel (channel_id 0: every channel). */
int store_notify_counts(struct db *db, int64_t channel_id, struct store_notify_counts *out);

#endif
