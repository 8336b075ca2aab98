/*
 * span.h - a view into bytes that someone else owns, and a bounded cursor
 * over them. All parsing of untrusted text and binary data in mamori goes
 * through these: reads past the end fail closed instead of over-reading.
 */
#ifndef MAMORI_COMMON_SPAN_H
#define MAMORI_COMMON_SPAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/err.h"

/* A pointer and a length; not NUL-terminated. */
struct span {
	const char *p;
	size_t len;
};

#define SPAN_LIT(s) ((struct span){ (s), sizeof(s) - 1 })

struct span span_from_cstr(const char *s);
/* Inline: with a literal the length is a constant and memcmp a compare or
 * two, and decoders call these a dozen times per line. */
static inline bool
span_eq(struct span s, const char *lit)
{
	size_t n = __builtin_strlen(lit);
	return s.len == n && (n == 0 || memcmp(s.p, lit, n) == 0);
}
bool span_eq_nocase(struct span s, const char *lit);
static inline bool
span_starts_with(struct span s, const char *prefix)
{
	size_t n = __builtin_strlen(prefix);
	return s.len >= n && (n == 0 || memcmp(s.p, prefix, n) == 0);
}

static inline bool
span_ends_with(struct span s, const char *suffix)
{
	size_t n = __builtin_strlen(suffix);
	return s.len >= n && (n == 0 || memcmp(s.p + s.len - n, suffix, n) == 0);
}
/* Strips ASCII spaces, tabs, CR and LF at both ends. */
struct span span_trim(struct span s);
/*
 * Splits at the first byte c: *head gets what is before it, the return is
 * true and *tail what is after it. Without c, *head is s, *tail empty and
 * the return false.
 */
bool span_split(struct span s, char c, struct span *head, struct span *tail);
/* Next whitespace-separated token; advances *s past it. False at end. */
bool span_next_word(struct span *s, struct span *word);
/* Decimal unsigned integer, all of s, no sign, at most max. */
int span_to_u64(struct span s, uint64_t max, uint64_t *out);
/* Searches for a byte; returns its offset or s.len. */
size_t span_find(struct span s, char c);
bool span_contains(struct span s, const char *needle);
/* True when every byte is printable text (UTF-8 allowed, no NUL/controls
 * except tab). Used to refuse binary files given as configuration. */
bool span_is_text(struct span s);

/* A bounded read position over bytes. */
struct cursor {
	const unsigned char *p;
	size_t len;
	size_t off;
};

void cursor_init(struct cursor *c, const void *data, size_t len);
static inline size_t cursor_left(const struct cursor *c) { return c->len - c->off; }
static inline bool cursor_eof(const struct cursor *c) { return c->off >= c->len; }
/*
 * Next line, without its "\n" (and a "\r" before it). Returns false at the
 * end of input. A last line without a newline is still returned.
 */
bool cursor_line(struct cursor *c, struct span *line);
/* The fixed-size reads below are inline: the packet decoders call them
 * several times per header, and a call each was a visible share of the
 * sensor's time. Each returns MAMORI_OK, or MAMORI_E_PARSE without
 * moving when fewer bytes are left. cursor_bytes takes n bytes as
 * a span. */
static inline int
cursor_bytes(struct cursor *c, size_t n, struct span *out)
{
	if (cursor_left(c) < n)
		return MAMORI_E_PARSE;
	out->p = (const char *)c->p + c->off;
	out->len = n;
	c->off += n;
	return MAMORI_OK;
}

static inline int
cursor_skip(struct cursor *c, size_t n)
{
	if (cursor_left(c) < n)
		return MAMORI_E_PARSE;
	c->off += n;
	return MAMORI_OK;
}

static inline int
cursor_u8(struct cursor *c, uint8_t *v)
{
	if (cursor_left(c) < 1)
		return MAMORI_E_PARSE;
	*v = c->p[c->off++];
	return MAMORI_OK;
}

static inline int
cursor_u16be(struct cursor *c, uint16_t *v)
{
	if (cursor_left(c) < 2)
		return MAMORI_E_PARSE;
	const unsigned char *b = c->p + c->off;
	*v = (uint16_t)(b[0] << 8 | b[1]);
	c->off += 2;
	return MAMORI_OK;
}

static inline int
cursor_u32be(struct cursor *c, uint32_t *v)
{
	if (cursor_left(c) < 4)
		return MAMORI_E_PARSE;
	const unsigned char *b = c->p + c->off;
	*v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	c->off += 4;
	return MAMORI_OK;
}

static inline int
cursor_u16le(struct cursor *c, uint16_t *v)
{
	if (cursor_left(c) < 2)
		return MAMORI_E_PARSE;
	const unsigned char *b = c->p + c->off;
	*v = (uint16_t)(b[1] << 8 | b[0]);
	c->off += 2;
	return MAMORI_OK;
}

static inline int
cursor_u32le(struct cursor *c, uint32_t *v)
{
	if (cursor_left(c) < 4)
		return MAMORI_E_PARSE;
	const unsigned char *b = c->p + c->off;
	*v = (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];
	c->off += 4;
	return MAMORI_OK;
}

static inline int
cursor_u64le(struct cursor *c, uint64_t *v)
{
	if (cursor_left(c) < 8)
		return MAMORI_E_PARSE;
	const unsigned char *b = c->p + c->off;
	uint64_t r = 0;
	for (int i = 7; i >= 0; i--)
		r = r << 8 | b[i];
	*v = r;
	c->off += 8;
	return MAMORI_OK;
}

#endif
