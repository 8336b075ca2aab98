/*
 * notify.h - the dispatcher: for every channel, turns newly eligible alerts
 * into deliveries, applies routing (severity, quiet hours, digest), sends
 * and records each delivery and a "notified" step on the alert's timeline.
 *
 * Delivery is at least once: a delivery is marked sent right after the
 * receiver accepted it, and never sent again after that; a failure is
 * retried with backoff (notify_route_backoff_ms) and given up, reported,
 * after NOTIFY_ROUTE_MAX_ATTEMPTS tries. After one failure the channel's
 * other deliveries wait for the next pass, so a dead receiver costs one
 * timeout per pass. Each delivery is claimed before it is sent, so two
 * dispatchers never send it both. A crash between the receiver's answer
 * and the commit can repeat one message (LINE drops it by its retry key);
 * nothing is lost.
 */
#ifndef MAMORI_MANAGER_NOTIFY_H
#define MAMORI_MANAGER_NOTIFY_H

#include <stdint.h>

#include "common/log.h"
#include "manager/notify_send.h"
#include "storage/store_notify.h"

struct db;

struct notify_config {
	const char *public_url;		/* links point to PUBLIC_URL/#/alerts/ID */
	struct notify_send_opts send;
	const struct log *log;
};

struct notify_stats {
	int queued;	/* deliveries made this run */
	int sent;	/* messages that went out (a digest is one) */
	int alerts;	/* alerts in them */
	int held;	/* waiting for the end of quiet hours or the digest */
	int retry;	/* failed, to be tried again */
	int gave_up;	/* failed for the last time */
	int skipped;	/* resolved before they went out */
};

/* One pass over every channel of every tenant at now_ms. */
int notify_run_once(struct db *db, const struct notify_config *cfg, int64_t now_ms,
    struct notify_stats *st);

/* Sends a test message on one channel now; err says why it failed. */
int notify_test(const struct notify_config *cfg, const struct store_notify_channel *ch,
    int64_t now_ms, char *err, size_t errsz);

/* The dispatcher as a thread of the manager (its own database handle). */
struct notify_thread;
int notify_thread_start(const char *db_path, const struct notify_config *cfg, int interval_s,
    struct notify_thread **out, char *err, size_t errsz);
void notify_thread_stop(struct notify_thread *t);

#endif
