/*
 * detect_builtin.h - mamori's own detections over decoded events: brute
 * force per door (SSH, VPN, RDP, SMB, mail, web, Windows), password
 * spraying, success after many failures (a break-in), new accounts and
 * admin-group changes, cleared audit logs, installed services, web attacks
 * (SQL injection probing, Log4Shell, path traversal, VPN appliance exploit
 * URLs) and threats the firewall itself reported.
 *
 * Correlation state lives in bounded window tables (window.h) allocated at
 * detect_builtin_new(); memory does not grow with the input.
 */
#ifndef MAMORI_DETECTION_DETECT_BUILTIN_H
#define MAMORI_DETECTION_DETECT_BUILTIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "detection/alert.h"
#include "detection/event.h"
#include "detection/window.h"

struct detect_builtin;

/* Called for each alert; the alert and its strings live only during the call. */
typedef void (*detect_alert_fn)(void *arg, const struct alert *a);

struct detect_stats {
	uint64_t events;	/* events looked at */
	uint64_t alerts;	/* alerts raised */
	uint64_t evictions;	/* correlation entries dropped at the cap */
	size_t table_bytes;	/* memory of the correlation tables */
};

/* max_keys: entries per correlation table (0 = 32768). */
int detect_builtin_new(struct detect_builtin **out, size_t max_keys);
void detect_builtin_free(struct detect_builtin *d);
/* Looks at one event; returns the number of alerts raised. */
size_t detect_builtin_event(struct detect_builtin *d, const struct event *ev,
    detect_alert_fn fn, void *arg);
void detect_builtin_stats(const struct detect_builtin *d, struct detect_stats *st);
/* True when the last event matched a rule whose id starts with prefix,
 * whether it raised an alert or was held back as a repeat. */
bool detect_builtin_matched(const struct detect_builtin *d, const char *prefix);
/*
 * Correlation state across restarts of a live watch. An open window is
 * one with a hit or an alert within the longest span (an hour) before the
 * detection clock (the newest event time seen). state_each hands out at
 * most max of them, newest first; state_load puts one back, skipping it
 * when it is malformed or closed at clock_ms (the clock it was saved at).
 */
#define DETECT_STATE_SPAN_MS (60 * 60 * 1000LL)	/* the longest span a table counts over */

struct detect_state {
	unsigned table;			/* which correlation table */
	uint64_t key;
	int64_t active_ms;		/* newest hit or alert */
	size_t len;
	unsigned char data[WINDOW_ENCODED_MAX];
};
int64_t detect_builtin_clock(const struct detect_builtin *d);
/* Returns MAMORI_OK, MAMORI_E_NOMEM or the first error of fn. */
int detect_builtin_state_each(const struct detect_builtin *d, size_t max,
    int (*fn)(void *arg, const struct detect_state *s), void *arg);
bool detect_builtin_state_load(struct detect_builtin *d, int64_t clock_ms, const struct detect_state *s);

/* The rule table (for docs and tests). */
const struct alert_rule *detect_builtin_rules(size_t *n);
const struct alert_rule *detect_builtin_rule(const char *id);

#endif
