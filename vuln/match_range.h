/*
 * match_range.h - OSV affected ranges with more than one fixed version.
 *
 * feed_osv.c encodes an affected package's events as tokens separated by
 * one space: "i<version>" introduced, "f<version>" fixed, "l<version>"
 * last_affected, "|" between ranges, and "v<version>" for the explicit
 * versions[] list, e.g. "i0 f1.2.3-1 | i2.0-1 f2.0.5-1 | v1.9-1".
 */
#ifndef MAMORI_VULN_MATCH_RANGE_H
#define MAMORI_VULN_MATCH_RANGE_H

#include <stdbool.h>
#include <stddef.h>

#include "vuln/version.h"

/* Longest encoding kept (feed_osv.c drops the versions[] list first). */
#define MATCH_RANGE_MAX 4096
/* Longest single version in an encoding. */
#define MATCH_RANGE_VERSION_MAX 256

/*
 * Is installed affected by the encoded ranges (OSV's rule: the last event
 * at or below the version decides; last_affected covers its own version)?
 * When it is, fixed receives the lowest fixed version above installed in
 * every range that affects it (the highest of those), or "" when one of
 * them has no fix. MAMORI_E_PARSE on a malformed encoding.
 */
int match_range_eval(enum version_format f, const char *installed,
    const char *ranges, bool *affected, char *fixed, size_t fixedsz);

#endif
