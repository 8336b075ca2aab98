/*
 * detect_country.h - an account logged in from a country it never logged
 * in from before.
 *
 * The country comes from a lookup function (cmd/ wires common/geoip.c),
 * so this module does no I/O. The first country seen for an account is
 * its baseline; a successful login from another one raises an alert once
 * per (account, country). Seen pairs live in a fixed table; when it is
 * full the oldest slot of a probe run is overwritten and counted.
 *
 * What was seen before a restart comes back through detect_country_load
 * (the caller keeps pairs where it likes: the log watch uses the
 * database), and every pair seen for the first time is handed to the
 * on_seen function so that it can be kept.
 */
#ifndef MAMORI_DETECTION_DETECT_COUNTRY_H
#define MAMORI_DETECTION_DETECT_COUNTRY_H

#include <stddef.h>
#include <stdint.h>

#include "detection/detect_builtin.h"
#include "detection/event.h"

/* Writes the ISO code of ip (NUL-terminated) into cc; 0 or negative when unknown. */
typedef int (*detect_country_lookup_fn)(void *arg, const char *ip, char cc[3]);

struct detect_country;

/* A pair seen for the first time (for an account's first login: its baseline). */
typedef void (*detect_country_seen_fn)(void *arg, const char *user, const char *cc, int64_t ts_ms);

#define DETECT_COUNTRY_USER_MAX 255	/* longer account names are not handed to on_seen */

/* max_pairs: (account, country) pairs kept (0 = 65536). */
int detect_country_new(struct detect_country **out, size_t max_pairs,
    detect_country_lookup_fn lookup, void *lookup_arg);
void detect_country_free(struct detect_country *d);
size_t detect_country_event(struct detect_country *d, const struct event *ev,
    detect_alert_fn fn, void *arg);
uint64_t detect_country_evictions(const struct detect_country *d);
void detect_country_on_seen(struct detect_country *d, detect_country_seen_fn fn, void *arg);
/* A pair kept from before: the account has a baseline and cc is not new for it. */
void detect_country_load(struct detect_country *d, const char *user, const char *cc);
const struct alert_rule *detect_country_rule(void);

#endif
