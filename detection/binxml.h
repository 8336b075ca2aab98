/*
 * binxml.h - Microsoft Binary XML, the payload of EVTX event records
 * ([MS-EVEN6] 3.1.4.7), walked as a stream of element, attribute and text
 * events (SAX style), without building a tree.
 *
 * Tokens: fragment header, open/close start element, close empty element,
 * end element, attributes, value text, CDATA, character and entity
 * references, processing instructions (skipped), substitutions (normal and
 * optional) and template instances. A template definition lives somewhere
 * in the 64 KiB chunk and is referenced by chunk offset; validated
 * definitions are cached per chunk by offset, as are element and attribute
 * names (UTF-16 converted once). Substitution values are rendered as the
 * Windows event viewer renders them: strings as UTF-8, integers in
 * decimal, hex integers as 0x.., GUIDs as {XXXXXXXX-...}, FILETIME and
 * SYSTEMTIME as ISO 8601 UTC, SIDs as S-1-..., binary as upper-case hex;
 * a BinXML-typed value is walked as a nested fragment.
 *
 * Every offset and length is checked against the chunk, nesting is capped
 * at BINXML_MAX_DEPTH, the work per record at BINXML_MAX_STEPS tokens and
 * the rendered text at the fixed capacity of the caller's buffer: a corrupt
 * record ends with an error code after the events that were intact.
 * Nothing here allocates.
 */
#ifndef MAMORI_DETECTION_BINXML_H
#define MAMORI_DETECTION_BINXML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/span.h"

#define BINXML_MAX_DEPTH	48	/* elements + templates + nested values */
#define BINXML_MAX_SUBS		1024	/* substitution values per template instance */
#define BINXML_MAX_STEPS	100000	/* tokens per binxml_parse() call */
#define BINXML_TEMPLATES	256	/* template definitions cached per chunk */
#define BINXML_NAMES		1024	/* names cached per chunk (power of two) */
#define BINXML_NAME_BYTES	(48 * 1024)

/* Value types of substitutions ([MS-EVEN6] 2.2.13). */
enum binxml_type {
	BINXML_T_NULL = 0x00,
	BINXML_T_STRING = 0x01,		/* UTF-16LE */
	BINXML_T_ANSI = 0x02,
	BINXML_T_INT8 = 0x03,
	BINXML_T_UINT8 = 0x04,
	BINXML_T_INT16 = 0x05,
	BINXML_T_UINT16 = 0x06,
	BINXML_T_INT32 = 0x07,
	BINXML_T_UINT32 = 0x08,
	BINXML_T_INT64 = 0x09,
	BINXML_T_UINT64 = 0x0a,
	BINXML_T_REAL32 = 0x0b,
	BINXML_T_REAL64 = 0x0c,
	BINXML_T_BOOL = 0x0d,		/* 32-bit */
	BINXML_T_BINARY = 0x0e,
	BINXML_T_GUID = 0x0f,
	BINXML_T_SIZET = 0x10,		/* 4 or 8 bytes, shown in hex */
	BINXML_T_FILETIME = 0x11,
	BINXML_T_SYSTIME = 0x12,
	BINXML_T_SID = 0x13,
	BINXML_T_HEXINT32 = 0x14,
	BINXML_T_HEXINT64 = 0x15,
	BINXML_T_EVTHANDLE = 0x20,
	BINXML_T_BINXML = 0x21,
	BINXML_T_EVTXML = 0x23,
	BINXML_T_ARRAY = 0x80,		/* flag: array of the type in the low bits */
};

/* One attribute value or piece of element text. */
struct binxml_value {
	uint8_t type;		/* enum binxml_type; BINXML_T_STRING for literal text */
	struct span raw;	/* the value's bytes (in the chunk); empty for literals */
	struct span text;	/* rendered, UTF-8, in the caller's binxml_buf */
};

/*
 * What the walker reports. Names and text are valid until the caller
 * resets its binxml_buf (names: until the chunk changes). Text of one
 * element may come in several pieces. Any callback may be NULL.
 */
struct binxml_sink {
	void (*open)(void *ctx, struct span name);
	void (*attr)(void *ctx, struct span name, const struct binxml_value *v);
	void (*text)(void *ctx, const struct binxml_value *v);
	void (*close)(void *ctx);
};

/* Rendered text goes here: caller-owned memory of fixed capacity. */
struct binxml_buf {
	char *p;
	size_t len;
	size_t cap;
};

struct binxml_stats {
	size_t templates;	/* template definitions validated (cache misses) */
	size_t template_hits;	/* instances served from the cache */
	size_t cache_full;	/* definitions or names not cached: cache full */
};

/* Per-chunk state: the chunk bytes and the caches keyed by chunk offset. */
struct binxml_chunk {
	const unsigned char *p;
	size_t len;
	struct binxml_tmpl {
		uint32_t off;		/* definition offset; 0 = free slot */
		uint32_t body;		/* offset of the body (a fragment) */
		uint32_t body_len;
	} tmpl[BINXML_TEMPLATES];
	size_t ntmpl;
	struct binxml_name {
		uint32_t off;		/* name offset; 0 = free slot */
		uint32_t at;		/* UTF-8 bytes in name_bytes */
		uint32_t len;
	} names[BINXML_NAMES];
	char name_bytes[BINXML_NAME_BYTES];
	size_t name_used;
};

/* Starts a chunk: forgets the caches of the previous one. */
void binxml_chunk_init(struct binxml_chunk *ch, const void *chunk, size_t len);

/*
 * Walks the fragment at [off, off + len) of the chunk and reports it to
 * sink. Returns 0, MAMORI_E_PARSE at the first malformed token or
 * MAMORI_E_LIMIT at a cap (depth, steps, the buffer's capacity); what was
 * reported before stays reported.
 */
int binxml_parse(struct binxml_chunk *ch, size_t off, size_t len, struct binxml_buf *out,
    const struct binxml_sink *sink, void *ctx, struct binxml_stats *st);

/*
 * Renders a value of the given type (arrays included; not BINXML_T_BINXML)
 * at the end of out and points *text at it. MAMORI_E_LIMIT when out is
 * full, MAMORI_E_PARSE when raw has the wrong size for the type.
 */
int binxml_render(uint8_t type, struct span raw, struct binxml_buf *out, struct span *text);

/* n bytes at the end of out (aligned to 8), or NULL when full. */
void *binxml_buf_alloc(struct binxml_buf *out, size_t n);

/* UTF-16LE (n code units) to UTF-8 at the end of out; lone surrogates
 * become U+FFFD, a trailing NUL is dropped. */
int binxml_utf16(const unsigned char *p, size_t n, struct binxml_buf *out, struct span *text);

/* FILETIME (100 ns since 1601) to Unix milliseconds. */
int64_t binxml_filetime_ms(uint64_t ft);

#endif
