/*
 * detect_country.h - an account logged in from a country it never logged
 * in from before (in this run).
 *
 * The country comes from a lookup function (cmd/ wires common/geoip.c),
 * so this module does no I/O. The first country seen for an account is
 * its baseline; a successful login from another one raises an alert once
 * per (account, country). Seen pairs live in a fixed table; when it is
 * full the oldest slot of a probe run is overwritten and counted.
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

/* max_pairs: (account, country) pairs kept (0 = 65536). */
int detect_country_new(struct detect_country **out, size_t max_pairs,
    detect_country_lookup_fn lookup, void *lookup_arg);
void detect_country_free(struct detect_country *d);
size_t detect_country_event(struct detect_country *d, const struct event *ev,
    detect_alert_fn fn, void *arg);
uint64_t detect_country_evictions(const struct detect_country *d);
const struct alert_rule *detect_country_rule(void);

#endif
