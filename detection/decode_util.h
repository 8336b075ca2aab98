/*
 * decode_util.h - small bounded helpers the log decoders share: substring
 * search, tokens, key=value lookup, address syntax and calendar math.
 * Everything works on spans into the line; nothing allocates.
 */
#ifndef MAMORI_DETECTION_DECODE_UTIL_H
#define MAMORI_DETECTION_DECODE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/span.h"

/* Offset of needle (n bytes) in s, or s.len when absent. */
size_t decode_find_n(struct span s, const char *needle, size_t n);
/* Offset of needle in s, or s.len when absent (inline: a literal's length
 * is a constant). */
static inline size_t
decode_find(struct span s, const char *needle)
{
	return decode_find_n(s, needle, __builtin_strlen(needle));
}
/* Same, ASCII case-insensitive (needle must be lower case). */
size_t decode_find_nocase(struct span s, const char *needle);
static inline bool decode_has(struct span s, const char *needle)
{
	return decode_find(s, needle) < s.len;
}
/* The bytes after the first needle; false when absent. */
bool decode_after(struct span s, const char *needle, struct span *rest);
/* Bytes up to the first c (or all of s). */
struct span decode_until(struct span s, char c);
/* Skips a literal prefix; false when s does not start with it. */
bool decode_skip(struct span *s, const char *prefix);
/* The next space-separated word of s (without advancing). */
struct span decode_word(struct span s);
struct span decode_sub(struct span s, size_t off, size_t len);

/*
 * Value of key in "k=v k2="v 2" k3='x'" text. The key must start the text
 * or follow a space, comma or semicolon; quotes are removed.
 */
bool decode_kv(struct span s, const char *key, struct span *val);

/* Syntax checks: dotted IPv4, IPv6 (with an optional embedded IPv4). */
bool decode_is_ipv4(struct span s);
bool decode_is_ipv6(struct span s);
bool decode_is_ip(struct span s);
/* Strips "::ffff:" from a mapped IPv4 address and [] brackets. */
struct span decode_ip_clean(struct span s);
/* An address-ish token: an IP, or a host name (letters, digits, -._). */
bool decode_is_host(struct span s);

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t decode_days_from_civil(int64_t y, unsigned m, unsigned d);
/* The inverse: the Gregorian date of a day number (days since 1970-01-01). */
void decode_civil_from_days(int64_t days, int *y, int *m, int *d);
/* "Jan".."Dec" -> 1..12, 0 when not a month. */
int decode_month(struct span s);
/* n decimal digits at s.p[off]; -1 when not digits. */
int decode_digits(struct span s, size_t off, size_t n);
/*
 * An ISO 8601 / RFC 3339 timestamp at the start of s: "YYYY-MM-DD[T ]hh:mm:ss"
 * with optional fraction and zone (Z, +hh:mm, +hhmm). Without a zone the
 * time is taken as UTC. Returns the bytes consumed, 0 when not a timestamp.
 */
size_t decode_iso8601(struct span s, int64_t *ms);

#endif
