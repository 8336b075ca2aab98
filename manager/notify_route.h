/*
 * notify_route.h - when an alert goes out on a channel: its minimum
 * severity, quiet hours in the recipient's local time (critical alerts pass
 * unless the channel holds them too), and the daily digest. Pure functions
 * of the channel, the alert's severity and the time, so they are unit
 * tested without a clock.
 */
#ifndef MAMORI_MANAGER_NOTIFY_ROUTE_H
#define MAMORI_MANAGER_NOTIFY_ROUTE_H

#include <stdbool.h>
#include <stdint.h>

#include "storage/store_notify.h"

enum notify_route_action {
	NOTIFY_ROUTE_SEND,	/* now, on its own */
	NOTIFY_ROUTE_HOLD,	/* quiet hours: later */
	NOTIFY_ROUTE_DIGEST,	/* in the next daily digest */
	NOTIFY_ROUTE_DROP,	/* below the channel's minimum severity */
};

#define NOTIFY_ROUTE_MAX_ATTEMPTS 24	/* then the delivery is given up and reported */

/* Minute of the recipient's day (0..1439). */
int notify_route_local_minute(int64_t now_ms, int utc_offset_min);
bool notify_route_quiet(const struct store_notify_channel *ch, int64_t now_ms);
enum notify_route_action notify_route_alert(const struct store_notify_channel *ch, int severity,
    int64_t now_ms);
/* The latest digest time at or before now_ms (unix ms); -1 without a digest. */
int64_t notify_route_digest_slot(const struct store_notify_channel *ch, int64_t now_ms);
/* A digest is due when its latest slot came after the last digest (or,
 * before the first one, after the channel was added). */
bool notify_route_digest_due(const struct store_notify_channel *ch, int64_t now_ms);
/* Wait before try attempts+1: one minute, doubling, at most an hour. */
int64_t notify_route_backoff_ms(int attempts);

#endif
