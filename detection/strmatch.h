/*
 * strmatch.h - ASCII case-insensitive string matching for the rule engine.
 *
 * strmatch_ac is an Aho-Corasick automaton over many literal needles (a
 * full DFA over byte classes: bytes that occur in no needle share one
 * class, upper and lower case share one). One pass over a field value
 * reports every occurrence of every needle, so a value is scanned once per
 * event however many rules look at it. We chose Aho-Corasick over a
 * first-byte/length bucket scheme because Sigma rules are dominated by
 * "contains" needles (97% of SigmaHQ rules), which a bucket scheme must try
 * at every offset of the value; the DFA costs one table load per byte no
 * matter how many needles there are.
 *
 * The glob and search helpers evaluate what the automaton cannot decide
 * alone (wildcards in the middle of a value, case-sensitive values).
 */
#ifndef MAMORI_DETECTION_STRMATCH_H
#define MAMORI_DETECTION_STRMATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/span.h"

/* Upper bound of one automaton's transition table, in bytes. */
#define STRMATCH_MAX_TABLE	(64u * 1024 * 1024)

struct strmatch_ac;

/*
 * Called for each occurrence: needle index (order of the needles given to
 * strmatch_ac_build) and the offset just past its last byte.
 */
typedef void (*strmatch_fn)(void *ctx, uint32_t needle, size_t end);

/*
 * Builds an automaton over n needles (none empty). MAMORI_E_LIMIT when the
 * table would exceed STRMATCH_MAX_TABLE, MAMORI_E_NOMEM, MAMORI_E_INVAL.
 */
int strmatch_ac_build(struct strmatch_ac **out, const struct span *needles,
    size_t n);
void strmatch_ac_scan(const struct strmatch_ac *ac, struct span text,
    strmatch_fn fn, void *ctx);
size_t strmatch_ac_states(const struct strmatch_ac *ac);
void strmatch_ac_free(struct strmatch_ac *ac);

static inline unsigned char
strmatch_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* Offset of needle in hay (ASCII case folded unless cased), or SIZE_MAX. */
size_t strmatch_find(struct span hay, struct span needle, bool cased);
bool strmatch_eq(struct span a, struct span b, bool cased);
/*
 * Glob match of all of text: '*' any run, '?' one byte, '\' makes the next
 * byte literal. Iterative with one backtrack point: O(len(text) *
 * len(pattern)) at worst, no recursion.
 */
bool strmatch_glob(struct span pattern, struct span text, bool cased);

#endif
