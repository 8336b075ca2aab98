/*
 * binxml.c - Binary XML token walker and value renderer (see binxml.h).
 *
 * Layout notes ([MS-EVEN6], libevtx's documentation of the format):
 * element and attribute names are "name strings" at a chunk offset (next
 * offset u32, hash u16, length u16, UTF-16 characters, NUL); when that
 * offset is the current position the string is inline and skipped there.
 * A template instance names its definition by chunk offset (next offset
 * u32, GUID, body size u32, body); the definition is inline the first time
 * it is used in a chunk. Its substitution values follow it: a count, then
 * (size u16, type u8, 0) per value, then the values back to back.
 */
#include "detection/binxml.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/err.h"

/* Tokens, without the 0x40 "more / has attributes" flag. */
enum {
	TOK_EOF = 0x00,
	TOK_OPEN = 0x01,
	TOK_CLOSE_START = 0x02,
	TOK_CLOSE_EMPTY = 0x03,
	TOK_END = 0x04,
	TOK_VALUE = 0x05,
	TOK_ATTR = 0x06,
	TOK_CDATA = 0x07,
	TOK_CHARREF = 0x08,
	TOK_ENTITYREF = 0x09,
	TOK_PI_TARGET = 0x0a,
	TOK_PI_DATA = 0x0b,
	TOK_TEMPLATE = 0x0c,
	TOK_SUBST = 0x0d,
	TOK_SUBST_OPT = 0x0e,
	TOK_FRAGMENT = 0x0f,
};

struct sub {
	uint32_t off;		/* value bytes in the chunk */
	uint16_t size;
	uint8_t type;
};

struct subs {
	const struct sub *v;
	uint32_t n;
};

struct walk {
	struct binxml_chunk *ch;
	struct binxml_buf *out;
	const struct binxml_sink *sink;
	void *ctx;
	struct binxml_stats *st;
	size_t steps;
};

static int fragment(struct walk *, struct cursor *, size_t, const struct subs *, unsigned);

static uint16_t
le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t
le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* ---- output buffer ---- */

void *
binxml_buf_alloc(struct binxml_buf *out, size_t n)
{
	size_t at = (out->len + 7) & ~(size_t)7;
	if (at > out->cap || n > out->cap - at)
		return NULL;
	out->len = at + n;
	return out->p + at;
}

static int
put(struct binxml_buf *out, const void *s, size_t n)
{
	if (n > out->cap - out->len)
		return MAMORI_E_LIMIT;
	memcpy(out->p + out->len, s, n);
	out->len += n;
	return 0;
}

__attribute__((format(printf, 2, 3)))
static int
putf(struct binxml_buf *out, const char *fmt, ...)
{
	va_list ap;
	size_t room = out->cap - out->len;
	va_start(ap, fmt);
	int n = vsnprintf(out->p + out->len, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room)
		return MAMORI_E_LIMIT;
	out->len += (size_t)n;
	return 0;
}

/* Decimal, at least width digits (zero-padded): snprintf is the
 * bottleneck of rendering otherwise. */
static int
put_dec(struct binxml_buf *out, uint64_t v, int width)
{
	char t[24];
	int n = 0;
	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v || n < width);
	if ((size_t)n > out->cap - out->len)
		return MAMORI_E_LIMIT;
	while (n)
		out->p[out->len++] = t[--n];
	return 0;
}

static int
put_sdec(struct binxml_buf *out, int64_t v)
{
	int r;
	if (v >= 0)
		return put_dec(out, (uint64_t)v, 1);
	if ((r = put(out, "-", 1)) != 0)
		return r;
	return put_dec(out, (uint64_t)0 - (uint64_t)v, 1);
}

/* Hex digits, upper or lower case, at least width digits. */
static int
put_x(struct binxml_buf *out, uint64_t v, int width, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char t[16];
	int n = 0;
	do {
		t[n++] = digits[v & 15];
		v >>= 4;
	} while (v || n < width);
	if ((size_t)n > out->cap - out->len)
		return MAMORI_E_LIMIT;
	while (n)
		out->p[out->len++] = t[--n];
	return 0;
}

/* "0x" and lower-case hex without padding, as Windows shows hex values. */
static int
put_0x(struct binxml_buf *out, uint64_t v)
{
	int r = put(out, "0x", 2);
	return r ? r : put_x(out, v, 1, false);
}

static int
put_utf8(struct binxml_buf *out, uint32_t cp)
{
	unsigned char b[4];
	size_t n;
	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xc0 | cp >> 6);
		b[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xe0 | cp >> 12);
		b[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (unsigned char)(0xf0 | cp >> 18);
		b[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		b[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return put(out, b, n);
}

/* Appends UTF-16LE text without producing a span (for joins). */
static int
utf16_append(const unsigned char *p, size_t n, struct binxml_buf *out)
{
	int r;
	while (n && le16(p + 2 * (n - 1)) == 0)
		n--;	/* trailing NULs: string values usually carry one */
	for (size_t i = 0; i < n; i++) {
		uint32_t u = le16(p + 2 * i);
		if (u < 0x80) {
			/* fast path: ASCII */
			if (out->len == out->cap)
				return MAMORI_E_LIMIT;
			out->p[out->len++] = (char)u;
			continue;
		}
		if (u >= 0xd800 && u < 0xdc00 && i + 1 < n) {
			uint32_t lo = le16(p + 2 * (i + 1));
			if (lo >= 0xdc00 && lo < 0xe000) {
				u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
				i++;
			} else {
				u = 0xfffd;
			}
		} else if (u >= 0xd800 && u < 0xe000) {
			u = 0xfffd;
		}
		if ((r = put_utf8(out, u)) != 0)
			return r;
	}
	return 0;
}

int
binxml_utf16(const unsigned char *p, size_t n, struct binxml_buf *out, struct span *text)
{
	size_t start = out->len;
	int r = utf16_append(p, n, out);
	if (r != 0) {
		out->len = start;
		return r;
	}
	*text = (struct span){ out->p + start, out->len - start };
	return 0;
}

/* ---- value rendering ---- */

int64_t
binxml_filetime_ms(uint64_t ft)
{
	/* 11644473600 s between 1601-01-01 and 1970-01-01 */
	return (int64_t)(ft / 10000) - INT64_C(11644473600000);
}

/* Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant). */
static void
civil(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	uint64_t doe = (uint64_t)(z - era * 146097);
	uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	uint64_t mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int
put_filetime(struct binxml_buf *out, uint64_t ft)
{
	int64_t secs = (int64_t)(ft / 10000000) - INT64_C(11644473600);
	unsigned frac = (unsigned)(ft % 10000000);
	int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
	int64_t sod = secs - days * 86400, y;
	unsigned m, d;
	civil(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		return putf(out, "%04lld-%02u-%02uT%02u:%02u:%02u.%07uZ", (long long)y, m, d,
		    (unsigned)(sod / 3600), (unsigned)(sod / 60 % 60), (unsigned)(sod % 60), frac);
	/* The common case without snprintf: one per record. */
	int r;
	if ((r = put_dec(out, (uint64_t)y, 4)) || (r = put(out, "-", 1)) || (r = put_dec(out, m, 2)) ||
	    (r = put(out, "-", 1)) || (r = put_dec(out, d, 2)) || (r = put(out, "T", 1)) ||
	    (r = put_dec(out, (uint64_t)(sod / 3600), 2)) || (r = put(out, ":", 1)) ||
	    (r = put_dec(out, (uint64_t)(sod / 60 % 60), 2)) || (r = put(out, ":", 1)) ||
	    (r = put_dec(out, (uint64_t)(sod % 60), 2)) || (r = put(out, ".", 1)) ||
	    (r = put_dec(out, frac, 7)))
		return r;
	return put(out, "Z", 1);
}

/* Fixed size of a scalar type, 0 when variable. */
static size_t
type_size(uint8_t t, size_t have)
{
	switch (t) {
	case BINXML_T_INT8: case BINXML_T_UINT8:
		return 1;
	case BINXML_T_INT16: case BINXML_T_UINT16:
		return 2;
	case BINXML_T_INT32: case BINXML_T_UINT32: case BINXML_T_REAL32:
	case BINXML_T_BOOL: case BINXML_T_HEXINT32:
		return 4;
	case BINXML_T_INT64: case BINXML_T_UINT64: case BINXML_T_REAL64:
	case BINXML_T_FILETIME: case BINXML_T_HEXINT64:
		return 8;
	case BINXML_T_GUID: case BINXML_T_SYSTIME:
		return 16;
	case BINXML_T_SIZET:
		return have == 4 ? 4 : 8;
	}
	return 0;
}

static int
put_hex(struct binxml_buf *out, const unsigned char *p, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	if (2 * n > out->cap - out->len)
		return MAMORI_E_LIMIT;
	for (size_t i = 0; i < n; i++) {
		out->p[out->len++] = hex[p[i] >> 4];
		out->p[out->len++] = hex[p[i] & 15];
	}
	return 0;
}

/* A SID: revision, count, 48-bit big-endian authority, count x u32. */
static int
put_sid(struct binxml_buf *out, const unsigned char *p, size_t n, size_t *used)
{
	int r;
	if (n < 8 || n < 8 + 4 * (size_t)p[1])
		return MAMORI_E_PARSE;
	uint64_t auth = 0;
	for (int i = 2; i < 8; i++)
		auth = auth << 8 | p[i];
	if ((r = put(out, "S-", 2)) != 0 || (r = put_dec(out, p[0], 1)) != 0 ||
	    (r = put(out, "-", 1)) != 0 || (r = put_dec(out, auth, 1)) != 0)
		return r;
	for (size_t i = 0; i < p[1]; i++)
		if ((r = put(out, "-", 1)) != 0 || (r = put_dec(out, le32(p + 8 + 4 * i), 1)) != 0)
			return r;
	*used = 8 + 4 * (size_t)p[1];
	return 0;
}

/* One fixed-size scalar (n == type_size()). */
static int
put_scalar(struct binxml_buf *out, uint8_t t, const unsigned char *p, size_t n)
{
	switch (t) {
	case BINXML_T_INT8:
		return put_sdec(out, (int8_t)p[0]);
	case BINXML_T_UINT8:
		return put_dec(out, p[0], 1);
	case BINXML_T_INT16:
		return put_sdec(out, (int16_t)le16(p));
	case BINXML_T_UINT16:
		return put_dec(out, le16(p), 1);
	case BINXML_T_INT32:
		return put_sdec(out, (int32_t)le32(p));
	case BINXML_T_UINT32:
		return put_dec(out, le32(p), 1);
	case BINXML_T_INT64:
		return put_sdec(out, (int64_t)le64(p));
	case BINXML_T_UINT64:
		return put_dec(out, le64(p), 1);
	case BINXML_T_REAL32: {
		float f;
		uint32_t u = le32(p);
		memcpy(&f, &u, 4);
		return putf(out, "%.9g", (double)f);
	}
	case BINXML_T_REAL64: {
		double f;
		uint64_t u = le64(p);
		memcpy(&f, &u, 8);
		return putf(out, "%.17g", f);
	}
	case BINXML_T_BOOL:
		return le32(p) ? put(out, "true", 4) : put(out, "false", 5);
	case BINXML_T_HEXINT32:
		return put_0x(out, le32(p));
	case BINXML_T_HEXINT64:
		return put_0x(out, le64(p));
	case BINXML_T_SIZET:
		return put_0x(out, n == 4 ? le32(p) : le64(p));
	case BINXML_T_FILETIME:
		return put_filetime(out, le64(p));
	case BINXML_T_SYSTIME: {
		unsigned y = le16(p), mo = le16(p + 2), d = le16(p + 6);
		unsigned h = le16(p + 8), mi = le16(p + 10), s = le16(p + 12), ms = le16(p + 14);
		return putf(out, "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ", y, mo, d, h, mi, s, ms);
	}
	case BINXML_T_GUID:
		if (out->cap - out->len < 38)	/* then no step below can fail */
			return MAMORI_E_LIMIT;
		put(out, "{", 1);
		put_x(out, le32(p), 8, true);
		put(out, "-", 1);
		put_x(out, le16(p + 4), 4, true);
		put(out, "-", 1);
		put_x(out, le16(p + 6), 4, true);
		put(out, "-", 1);
		put_hex(out, p + 8, 2);
		put(out, "-", 1);
		put_hex(out, p + 10, 6);
		return put(out, "}", 1);
	}
	return MAMORI_E_PARSE;
}

/* ANSI text: bytes >= 0x80 taken as Latin-1 so the output is UTF-8. */
static int
put_ansi(struct binxml_buf *out, const unsigned char *p, size_t n)
{
	int r;
	while (n && p[n - 1] == 0)
		n--;
	for (size_t i = 0; i < n; i++)
		if ((r = put_utf8(out, p[i])) != 0)
			return r;
	return 0;
}

/* Array values: strings are NUL-separated, others back to back. */
static int
put_array(struct binxml_buf *out, uint8_t t, const unsigned char *p, size_t n)
{
	int r;
	bool first = true;
	if (t == BINXML_T_STRING || t == BINXML_T_ANSI) {
		size_t unit = t == BINXML_T_STRING ? 2 : 1;
		size_t i = 0;
		n -= n % unit;
		while (i < n) {
			size_t j = i;
			while (j < n && (unit == 2 ? le16(p + j) : p[j]))
				j += unit;
			if (j > i || j < n) {
				if (!first && (r = put(out, ", ", 2)) != 0)
					return r;
				first = false;
				r = unit == 2 ? utf16_append(p + i, (j - i) / 2, out) : put_ansi(out, p + i, j - i);
				if (r != 0)
					return r;
			}
			i = j + unit;
		}
		return 0;
	}
	if (t == BINXML_T_SID) {
		size_t used;
		for (size_t i = 0; i < n; i += used) {
			if (!first && (r = put(out, ", ", 2)) != 0)
				return r;
			first = false;
			if ((r = put_sid(out, p + i, n - i, &used)) != 0)
				return r;
		}
		return 0;
	}
	size_t es = type_size(t, 8);
	if (es == 0)
		return put_hex(out, p, n);
	if (n % es)
		return MAMORI_E_PARSE;
	for (size_t i = 0; i < n; i += es) {
		if (!first && (r = put(out, ", ", 2)) != 0)
			return r;
		first = false;
		if ((r = put_scalar(out, t, p + i, es)) != 0)
			return r;
	}
	return 0;
}

int
binxml_render(uint8_t type, struct span raw, struct binxml_buf *out, struct span *text)
{
	const unsigned char *p = (const unsigned char *)raw.p;
	size_t n = raw.len, start = out->len, used;
	int r;
	if (type & BINXML_T_ARRAY) {
		r = put_array(out, type & 0x7f, p, n);
	} else {
		switch (type) {
		case BINXML_T_NULL:
			r = 0;
			break;
		case BINXML_T_STRING:
			r = utf16_append(p, n / 2, out);
			break;
		case BINXML_T_ANSI:
			r = put_ansi(out, p, n);
			break;
		case BINXML_T_BINARY:
		case BINXML_T_EVTHANDLE:
		case BINXML_T_EVTXML:
		case BINXML_T_BINXML:
			r = put_hex(out, p, n);
			break;
		case BINXML_T_SID:
			r = put_sid(out, p, n, &used);
			break;
		default: {
			size_t want = type_size(type, n);
			if (want == 0 || n != want) {
				r = want == 0 ? put_hex(out, p, n) : MAMORI_E_PARSE;
				break;
			}
			r = put_scalar(out, type, p, n);
		}
		}
	}
	if (r != 0) {
		out->len = start;
		return r;
	}
	*text = (struct span){ out->p + start, out->len - start };
	return 0;
}

/* ---- chunk caches ---- */

void
binxml_chunk_init(struct binxml_chunk *ch, const void *chunk, size_t len)
{
	ch->p = chunk;
	ch->len = len < UINT32_MAX ? len : UINT32_MAX;	/* offsets are 32-bit */
	memset(ch->tmpl, 0, sizeof(ch->tmpl));
	memset(ch->names, 0, sizeof(ch->names));
	ch->ntmpl = 0;
	ch->name_used = 0;
}

static size_t
slot(uint32_t key, size_t n)
{
	return (size_t)((key * UINT32_C(2654435761)) >> 16) & (n - 1);
}

/*
 * The name string at chunk offset off, as UTF-8. When off is where the
 * cursor stands the string is inline: the cursor moves past it.
 */
static int
name_at(struct walk *w, struct cursor *c, size_t base, uint32_t off, struct span *out)
{
	struct binxml_chunk *ch = w->ch;
	if ((size_t)off + 8 > ch->len)
		return MAMORI_E_PARSE;
	size_t n = le16(ch->p + off + 6);
	size_t end = (size_t)off + 8 + 2 * n + 2;
	if (end > ch->len)
		return MAMORI_E_PARSE;
	if (off == base + c->off && cursor_skip(c, end - off) != 0)
		return MAMORI_E_PARSE;
	uint32_t key = off + 1;
	size_t s = slot(key, BINXML_NAMES);
	for (size_t i = 0; i < 8; i++, s = (s + 1) & (BINXML_NAMES - 1)) {
		struct binxml_name *e = &ch->names[s];
		if (e->off == key) {
			*out = (struct span){ ch->name_bytes + e->at, e->len };
			return 0;
		}
		if (e->off == 0) {
			struct binxml_buf nb = { ch->name_bytes, ch->name_used, sizeof(ch->name_bytes) };
			if (binxml_utf16(ch->p + off + 8, n, &nb, out) != 0)
				break;
			e->off = key;
			e->at = (uint32_t)ch->name_used;
			e->len = (uint32_t)out->len;
			ch->name_used = nb.len;
			return 0;
		}
	}
	w->st->cache_full++;
	return binxml_utf16(ch->p + off + 8, n, w->out, out);
}

/* The body of the template definition at chunk offset def. */
static int
template_at(struct walk *w, uint32_t def, uint32_t *body, uint32_t *blen)
{
	struct binxml_chunk *ch = w->ch;
	if ((size_t)def + 24 > ch->len)
		return MAMORI_E_PARSE;
	uint32_t key = def + 1;
	size_t s = slot(key, BINXML_TEMPLATES), i;
	for (i = 0; i < 8; i++, s = (s + 1) & (BINXML_TEMPLATES - 1)) {
		if (ch->tmpl[s].off == key) {
			*body = ch->tmpl[s].body;
			*blen = ch->tmpl[s].body_len;
			w->st->template_hits++;
			return 0;
		}
		if (ch->tmpl[s].off == 0)
			break;
	}
	uint32_t size = le32(ch->p + def + 20);
	if (size > ch->len - def - 24)
		return MAMORI_E_PARSE;
	*body = def + 24;
	*blen = size;
	w->st->templates++;
	if (i < 8 && ch->ntmpl < BINXML_TEMPLATES) {
		ch->tmpl[s] = (struct binxml_tmpl){ key, def + 24, size };
		ch->ntmpl++;
	} else {
		w->st->cache_full++;
	}
	return 0;
}

/* ---- the walker ---- */

static int
token(struct walk *w, struct cursor *c, uint8_t *t)
{
	if (cursor_eof(c))
		return MAMORI_E_PARSE;
	if (++w->steps > BINXML_MAX_STEPS)
		return MAMORI_E_LIMIT;
	*t = c->p[c->off];
	return 0;
}

static bool
is_piece(uint8_t t)
{
	switch (t & 0xbf) {
	case TOK_VALUE: case TOK_CDATA: case TOK_CHARREF: case TOK_ENTITYREF:
	case TOK_SUBST: case TOK_SUBST_OPT:
		return true;
	}
	return false;
}

/* A length-prefixed UTF-16 string at the cursor. */
static int
sized_utf16(struct walk *w, struct cursor *c, struct span *text)
{
	uint16_t n;
	struct span b;
	if (cursor_u16le(c, &n) != 0 || cursor_bytes(c, 2 * (size_t)n, &b) != 0)
		return MAMORI_E_PARSE;
	return binxml_utf16((const unsigned char *)b.p, n, w->out, text);
}

static int
entity(struct walk *w, struct span name, struct span *text)
{
	static const struct { const char *name, *c; } ents[] = {
		{ "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" }, { "apos", "'" },
	};
	size_t start = w->out->len;
	int r;
	for (size_t i = 0; i < sizeof(ents) / sizeof(ents[0]); i++)
		if (span_eq(name, ents[i].name)) {
			r = put(w->out, ents[i].c, 1);
			goto out;
		}
	if ((r = put(w->out, "&", 1)) == 0 && (r = put(w->out, name.p, name.len)) == 0)
		r = put(w->out, ";", 1);
out:
	if (r == 0)
		*text = (struct span){ w->out->p + start, w->out->len - start };
	return r;
}

/*
 * One piece of text at the cursor (value, CDATA, reference, substitution).
 * *have is false when nothing is to be reported: an optional substitution
 * without a value, or a BinXML value (walked here as a nested fragment,
 * unless in_attr).
 */
static int
piece(struct walk *w, struct cursor *c, size_t base, const struct subs *s, unsigned depth,
    bool in_attr, struct binxml_value *v, bool *have)
{
	uint8_t t, vt;
	uint16_t u16;
	uint32_t u32;
	struct span name;
	int r;
	if (cursor_u8(c, &t) != 0)
		return MAMORI_E_PARSE;
	*have = true;
	v->type = BINXML_T_STRING;
	v->raw = (struct span){ NULL, 0 };
	switch (t & 0xbf) {
	case TOK_VALUE:
		if (cursor_u8(c, &vt) != 0 || vt != BINXML_T_STRING)
			return MAMORI_E_PARSE;
		return sized_utf16(w, c, &v->text);
	case TOK_CDATA:
		return sized_utf16(w, c, &v->text);
	case TOK_CHARREF: {
		size_t start = w->out->len;
		if (cursor_u16le(c, &u16) != 0)
			return MAMORI_E_PARSE;
		if ((r = put_utf8(w->out, u16 >= 0xd800 && u16 < 0xe000 ? 0xfffd : u16)) != 0)
			return r;
		v->text = (struct span){ w->out->p + start, w->out->len - start };
		return 0;
	}
	case TOK_ENTITYREF:
		if (cursor_u32le(c, &u32) != 0)
			return MAMORI_E_PARSE;
		if ((r = name_at(w, c, base, u32, &name)) != 0)
			return r;
		return entity(w, name, &v->text);
	case TOK_SUBST:
	case TOK_SUBST_OPT:
		break;
	default:
		return MAMORI_E_PARSE;
	}
	if (cursor_u16le(c, &u16) != 0 || cursor_u8(c, &vt) != 0)
		return MAMORI_E_PARSE;
	if (!s || u16 >= s->n)
		return MAMORI_E_PARSE;
	const struct sub *sv = &s->v[u16];
	if ((t & 0xbf) == TOK_SUBST_OPT && (sv->type == BINXML_T_NULL || sv->size == 0)) {
		*have = false;
		return 0;
	}
	v->type = sv->type;
	v->raw = (struct span){ (const char *)w->ch->p + sv->off, sv->size };
	if (sv->type == BINXML_T_BINXML) {
		*have = false;
		if (in_attr)
			return 0;
		struct cursor nc;
		cursor_init(&nc, w->ch->p + sv->off, sv->size);
		return fragment(w, &nc, sv->off, NULL, depth + 1);
	}
	return binxml_render(sv->type, v->raw, w->out, &v->text);
}

static int
skip_pi(struct walk *w, struct cursor *c, size_t base)
{
	uint8_t t;
	uint32_t off;
	struct span name, text;
	if (cursor_u8(c, &t) != 0)
		return MAMORI_E_PARSE;
	if ((t & 0xbf) == TOK_PI_TARGET) {
		if (cursor_u32le(c, &off) != 0)
			return MAMORI_E_PARSE;
		return name_at(w, c, base, off, &name);
	}
	size_t keep = w->out->len;
	int r = sized_utf16(w, c, &text);
	w->out->len = keep;
	return r;
}

static int
attribute(struct walk *w, struct cursor *c, size_t base, const struct subs *s, unsigned depth)
{
	uint32_t off;
	uint8_t t;
	struct span name;
	struct binxml_value v = { BINXML_T_STRING, { NULL, 0 }, { "", 0 } }, p;
	bool have, any = false;
	int r;
	if (cursor_skip(c, 1) != 0 || cursor_u32le(c, &off) != 0)
		return MAMORI_E_PARSE;
	if ((r = name_at(w, c, base, off, &name)) != 0)
		return r;
	while ((r = token(w, c, &t)) == 0 && is_piece(t)) {
		if ((r = piece(w, c, base, s, depth, true, &p, &have)) != 0)
			return r;
		if (!have)
			continue;
		if (!any) {
			v = p;
			any = true;
			continue;
		}
		/* Several pieces: the text is their concatenation. */
		if (v.text.p + v.text.len != p.text.p) {
			size_t start = w->out->len;
			if ((r = put(w->out, v.text.p, v.text.len)) != 0 ||
			    (r = put(w->out, p.text.p, p.text.len)) != 0)
				return r;
			v.text = (struct span){ w->out->p + start, w->out->len - start };
		} else {
			v.text.len += p.text.len;
		}
		v.type = BINXML_T_STRING;
		v.raw = (struct span){ NULL, 0 };
	}
	if (r != 0)
		return r;
	if (w->sink->attr)
		w->sink->attr(w->ctx, name, &v);
	return 0;
}

static int
template(struct walk *w, struct cursor *c, size_t base, unsigned depth)
{
	uint8_t unknown;
	uint32_t id, def, body, blen, n;
	struct span descs;
	int r;
	if (depth > BINXML_MAX_DEPTH)
		return MAMORI_E_LIMIT;
	if (cursor_skip(c, 1) != 0 || cursor_u8(c, &unknown) != 0 || cursor_u32le(c, &id) != 0 ||
	    cursor_u32le(c, &def) != 0)
		return MAMORI_E_PARSE;
	if ((r = template_at(w, def, &body, &blen)) != 0)
		return r;
	if (def == base + c->off && cursor_skip(c, 24 + (size_t)blen) != 0)
		return MAMORI_E_PARSE;
	if (cursor_u32le(c, &n) != 0)
		return MAMORI_E_PARSE;
	if (n > BINXML_MAX_SUBS)
		return MAMORI_E_LIMIT;
	if (cursor_bytes(c, 4 * (size_t)n, &descs) != 0)
		return MAMORI_E_PARSE;
	struct sub *sv = binxml_buf_alloc(w->out, (n ? n : 1) * sizeof(*sv));
	if (!sv)
		return MAMORI_E_LIMIT;
	for (uint32_t i = 0; i < n; i++) {
		const unsigned char *d = (const unsigned char *)descs.p + 4 * i;
		sv[i].size = le16(d);
		sv[i].type = d[2];
		sv[i].off = (uint32_t)(base + c->off);
		if (cursor_skip(c, sv[i].size) != 0)
			return MAMORI_E_PARSE;
	}
	struct subs subs = { sv, n };
	struct cursor bc;
	cursor_init(&bc, w->ch->p + body, blen);
	return fragment(w, &bc, body, &subs, depth + 1);
}

static int
element(struct walk *w, struct cursor *c, size_t base, const struct subs *s, unsigned depth)
{
	uint8_t t;
	uint16_t dep;
	uint32_t size, off, asize;
	struct span name;
	struct binxml_value v;
	bool have;
	int r;
	if (depth > BINXML_MAX_DEPTH)
		return MAMORI_E_LIMIT;
	if (cursor_u8(c, &t) != 0 || cursor_u16le(c, &dep) != 0 || cursor_u32le(c, &size) != 0 ||
	    cursor_u32le(c, &off) != 0)
		return MAMORI_E_PARSE;
	if ((r = name_at(w, c, base, off, &name)) != 0)
		return r;
	if ((t & 0x40) && cursor_u32le(c, &asize) != 0)
		return MAMORI_E_PARSE;
	if (w->sink->open)
		w->sink->open(w->ctx, name);
	while ((r = token(w, c, &t)) == 0 && (t & 0xbf) == TOK_ATTR)
		if ((r = attribute(w, c, base, s, depth)) != 0)
			return r;
	if (r != 0)
		return r;
	c->off++;
	if (t == TOK_CLOSE_EMPTY)
		goto close;
	if (t != TOK_CLOSE_START)
		return MAMORI_E_PARSE;
	for (;;) {
		if ((r = token(w, c, &t)) != 0)
			return r;
		if (t == TOK_END) {
			c->off++;
			break;
		}
		if ((t & 0xbf) == TOK_OPEN) {
			r = element(w, c, base, s, depth + 1);
		} else if (is_piece(t)) {
			r = piece(w, c, base, s, depth, false, &v, &have);
			if (r == 0 && have && w->sink->text)
				w->sink->text(w->ctx, &v);
		} else if ((t & 0xbf) == TOK_PI_TARGET || (t & 0xbf) == TOK_PI_DATA) {
			r = skip_pi(w, c, base);
		} else if (t == TOK_TEMPLATE) {
			r = template(w, c, base, depth + 1);
		} else {
			return MAMORI_E_PARSE;
		}
		if (r != 0)
			return r;
	}
close:
	if (w->sink->close)
		w->sink->close(w->ctx);
	return 0;
}

static int
fragment(struct walk *w, struct cursor *c, size_t base, const struct subs *s, unsigned depth)
{
	uint8_t t;
	struct binxml_value v;
	bool have;
	int r;
	if (depth > BINXML_MAX_DEPTH)
		return MAMORI_E_LIMIT;
	while (!cursor_eof(c)) {
		if ((r = token(w, c, &t)) != 0)
			return r;
		if (t == TOK_EOF)
			return cursor_skip(c, 1);
		if (t == TOK_FRAGMENT)
			r = cursor_skip(c, 4);	/* token, major, minor, flags */
		else if (t == TOK_TEMPLATE)
			r = template(w, c, base, depth + 1);
		else if ((t & 0xbf) == TOK_OPEN)
			r = element(w, c, base, s, depth + 1);
		else if ((t & 0xbf) == TOK_PI_TARGET || (t & 0xbf) == TOK_PI_DATA)
			r = skip_pi(w, c, base);
		else if (is_piece(t)) {
			r = piece(w, c, base, s, depth, false, &v, &have);
			if (r == 0 && have && w->sink->text)
				w->sink->text(w->ctx, &v);
		} else
			r = MAMORI_E_PARSE;
		if (r != 0)
			return r;
	}
	return 0;
}

int
binxml_parse(struct binxml_chunk *ch, size_t off, size_t len, struct binxml_buf *out,
    const struct binxml_sink *sink, void *ctx, struct binxml_stats *st)
{
	struct binxml_stats dummy = { 0, 0, 0 };
	struct walk w = { ch, out, sink, ctx, st ? st : &dummy, 0 };
	struct cursor c;
	if (off > ch->len || len > ch->len - off)
		return MAMORI_E_PARSE;
	cursor_init(&c, ch->p + off, len);
	return fragment(&w, &c, off, NULL, 0);
}
