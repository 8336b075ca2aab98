/*
 * evtx.c - EVTX file and chunk framing, and the BinXML sink that turns one
 * record's Event XML into ECS fields (see evtx.h).
 */
#include "detection/evtx.h"

#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "common/err.h"
#include "detection/decoder.h"

#define MAX_FRAMES	(BINXML_MAX_DEPTH + 8)

struct frame {
	struct span name;
	struct span text;
	struct span data_name;	/* Name="" of a Data element */
	bool has_child;
};

struct kv {
	struct span name;
	struct span value;
	bool user;		/* UserData, not EventData */
};

/* Per-record state of the sink; reused for every record. */
struct rec {
	struct binxml_buf buf;
	struct frame st[MAX_FRAMES];
	unsigned depth;
	unsigned nparam;	/* unnamed Data seen */
	struct kv data[EVTX_MAX_DATA];
	size_t ndata;
	size_t dropped;
	struct span event_id, channel, provider, computer;
	uint64_t created;	/* FILETIME of TimeCreated, 0 = none */
	bool overflow;		/* text did not fit the buffer */
};

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

bool
evtx_is_evtx(struct span s)
{
	return s.len >= 8 && memcmp(s.p, "ElfFile", 8) == 0;
}

/* ---- the sink ---- */

static void
on_open(void *ctx, struct span name)
{
	struct rec *r = ctx;
	if (r->depth && r->depth <= MAX_FRAMES)
		r->st[r->depth - 1].has_child = true;
	if (r->depth < MAX_FRAMES)
		r->st[r->depth] = (struct frame){ name, { "", 0 }, { NULL, 0 }, false };
	r->depth++;
}

static bool
under(const struct rec *r, const char *parent)
{
	return r->depth >= 2 && r->depth <= MAX_FRAMES && span_eq(r->st[1].name, parent);
}

static void
on_attr(void *ctx, struct span name, const struct binxml_value *v)
{
	struct rec *r = ctx;
	if (r->depth == 0 || r->depth > MAX_FRAMES)
		return;
	struct frame *f = &r->st[r->depth - 1];
	if (span_eq(f->name, "Data") && span_eq(name, "Name"))
		f->data_name = v->text;
	else if (r->depth == 3 && under(r, "System")) {
		if (span_eq(f->name, "Provider") && span_eq(name, "Name"))
			r->provider = v->text;
		else if (span_eq(f->name, "TimeCreated") && span_eq(name, "SystemTime") &&
		    v->type == BINXML_T_FILETIME && v->raw.len == 8)
			r->created = le64((const unsigned char *)v->raw.p);
	}
}

static void
on_text(void *ctx, const struct binxml_value *v)
{
	struct rec *r = ctx;
	if (r->depth == 0 || r->depth > MAX_FRAMES)
		return;
	struct span *t = &r->st[r->depth - 1].text;
	if (t->len == 0) {
		*t = v->text;
		return;
	}
	if (t->p + t->len == v->text.p) {
		t->len += v->text.len;
		return;
	}
	/* Pieces apart in the buffer (a nested value in between): join. */
	char *p = binxml_buf_alloc(&r->buf, t->len + v->text.len);
	if (!p) {
		r->overflow = true;
		return;
	}
	memcpy(p, t->p, t->len);
	memcpy(p + t->len, v->text.p, v->text.len);
	*t = (struct span){ p, t->len + v->text.len };
}

static void
add_data(struct rec *r, struct span name, struct span value, bool user)
{
	if (r->ndata == EVTX_MAX_DATA) {
		r->dropped++;
		return;
	}
	r->data[r->ndata++] = (struct kv){ name, value, user };
}

static void
on_close(void *ctx)
{
	struct rec *r = ctx;
	if (r->depth == 0)
		return;
	r->depth--;
	if (r->depth >= MAX_FRAMES)
		return;
	const struct frame *f = &r->st[r->depth];
	if (r->depth == 2 && under(r, "System")) {
		if (span_eq(f->name, "EventID"))
			r->event_id = f->text;
		else if (span_eq(f->name, "Channel"))
			r->channel = f->text;
		else if (span_eq(f->name, "Computer"))
			r->computer = f->text;
	} else if (r->depth == 2 && under(r, "EventData") && span_eq(f->name, "Data")) {
		struct span name = f->data_name;
		if (!name.len) {
			char *p = binxml_buf_alloc(&r->buf, 16);
			if (!p) {
				r->overflow = true;
				return;
			}
			int n = snprintf(p, 16, "param%u", ++r->nparam);
			name = (struct span){ p, n > 0 ? (size_t)n : 0 };
		}
		add_data(r, name, f->text, false);
	} else if (r->depth >= 3 && under(r, "UserData") && !f->has_child) {
		add_data(r, f->name, f->text, true);
	}
}

static const struct binxml_sink sink = { on_open, on_attr, on_text, on_close };

/* ---- event construction ---- */

static const char *
key(struct rec *r, const char *prefix, struct span name)
{
	size_t n = strlen(prefix);
	char *k = binxml_buf_alloc(&r->buf, n + name.len + 1);
	if (!k)
		return NULL;
	memcpy(k, prefix, n);
	memcpy(k + n, name.p, name.len);
	k[n + name.len] = '\0';
	return k;
}

/* EventData / UserData of the record by name: a decode_win_get. */
static bool
rec_get(const void *arg, const char *name, struct span *out)
{
	const struct rec *r = arg;
	for (size_t i = 0; i < r->ndata; i++)
		if (span_eq(r->data[i].name, name)) {
			*out = r->data[i].value;
			return true;
		}
	return false;
}

/* Appends " name=value" to raw, which ends where the buffer does. */
static void
put_raw(struct rec *r, const char *name, size_t nlen, struct span v, struct span *raw)
{
	struct binxml_buf *b = &r->buf;
	size_t need = (raw->len ? 1 : 0) + nlen + 1 + v.len;
	if (need > b->cap - b->len)
		return;
	char *at = b->p + b->len;
	if (!raw->len)
		raw->p = at;
	else
		*at++ = ' ';
	memcpy(at, name, nlen);
	at[nlen] = '=';
	memcpy(at + nlen + 1, v.p, v.len);
	b->len += need;
	raw->len += need;
}

/* Builds the event from what the sink collected. */
static void
build(struct rec *r, struct event *ev, uint64_t record_id, uint64_t written)
{
	event_reset(ev);
	ev->decoder = "windows";
	ev->ts_ms = binxml_filetime_ms(r->created ? r->created : written);
	if (r->event_id.len) {
		event_set(ev, "winlog.event_id", span_trim(r->event_id));
		event_set(ev, "event.code", span_trim(r->event_id));
	}
	if (r->channel.len)
		event_set(ev, "winlog.channel", r->channel);
	if (r->provider.len)
		event_set(ev, "winlog.provider_name", r->provider);
	if (r->computer.len) {
		event_set(ev, "winlog.computer_name", r->computer);
		event_set(ev, "host.name", r->computer);
	}
	char *id = binxml_buf_alloc(&r->buf, 24);
	if (id) {
		int n = snprintf(id, 24, "%llu", (unsigned long long)record_id);
		event_set(ev, "winlog.record_id", (struct span){ id, n > 0 ? (size_t)n : 0 });
	}
	/* The Windows-to-ECS mapping the JSON and XML decoders share. */
	uint64_t eid;
	if (span_to_u64(span_trim(r->event_id), 65535, &eid) == 0)
		decode_windows_event((unsigned)eid, rec_get, r, ev);
	for (size_t i = 0; i < r->ndata; i++) {
		const struct kv *d = &r->data[i];
		const char *k = key(r, d->user ? "winlog.user_data." : "winlog.event_data.", d->name);
		if (!k) {
			r->dropped++;
			continue;
		}
		event_set(ev, k, d->value);
	}
	/* raw: "EventID=4625 Channel=Security ... Name=value ..." */
	struct span raw = { "", 0 };
	static const struct { const char *name; size_t off; } sys[] = {
		{ "EventID", offsetof(struct rec, event_id) },
		{ "Channel", offsetof(struct rec, channel) },
		{ "Provider", offsetof(struct rec, provider) },
		{ "Computer", offsetof(struct rec, computer) },
	};
	for (size_t i = 0; i < sizeof(sys) / sizeof(sys[0]); i++) {
		const struct span *s = (const struct span *)((const char *)r + sys[i].off);
		if (s->len)
			put_raw(r, sys[i].name, strlen(sys[i].name), *s, &raw);
	}
	for (size_t i = 0; i < r->ndata; i++)
		put_raw(r, r->data[i].name.p, r->data[i].name.len, r->data[i].value, &raw);
	ev->raw = raw;
	ev->dropped_fields += r->dropped;
}

bool
evtx_event_data_get(const void *arg, const char *name, struct span *out)
{
	const struct event *ev = arg;
	static const char *const prefix[] = { "winlog.event_data.", "winlog.user_data." };
	size_t n = strlen(name);
	for (size_t p = 0; p < 2; p++) {
		size_t pl = strlen(prefix[p]);
		for (size_t i = 0; i < ev->nfields; i++) {
			const char *k = ev->fields[i].key;
			if (strncmp(k, prefix[p], pl) == 0 && strlen(k + pl) == n &&
			    memcmp(k + pl, name, n) == 0) {
				*out = ev->fields[i].value;
				return true;
			}
		}
	}
	return false;
}

/* ---- framing ---- */

struct work {
	struct binxml_chunk ch;
	struct rec rec;
	struct event ev;
};

/* Records of one chunk (len <= EVTX_CHUNK; less when the file is cut). */
static int
chunk(struct work *w, const unsigned char *p, size_t len, evtx_record_fn cb, void *ctx,
    struct evtx_stats *st)
{
	bool bad = false;
	size_t end = len;
	uint32_t crc = (uint32_t)crc32(0, p, 120);
	crc = (uint32_t)crc32(crc, p + 128, EVTX_CHUNK_HEADER - 128);
	if (crc != le32(p + 124)) {
		bad = true;	/* offsets in the header are not to be trusted */
	} else {
		uint32_t free_off = le32(p + 48);
		if (free_off < EVTX_CHUNK_HEADER || free_off > len) {
			bad = true;
		} else {
			end = free_off;
			crc = (uint32_t)crc32(0, p + EVTX_CHUNK_HEADER, free_off - EVTX_CHUNK_HEADER);
			if (crc != le32(p + 52))
				bad = true;
		}
	}
	if (bad)
		st->bad_chunks++;
	binxml_chunk_init(&w->ch, p, len);
	struct rec *r = &w->rec;
	for (size_t off = EVTX_CHUNK_HEADER; off + 28 <= end;) {
		if (memcmp(p + off, "**\0\0", 4) != 0) {
			/* Free space after the last record is zeroed. */
			if (le32(p + off) != 0 || !bad)
				st->bad_records++;
			break;
		}
		uint32_t size = le32(p + off + 4);
		if (size < 28 || size > end - off || le32(p + off + size - 4) != size) {
			st->bad_records++;
			break;
		}
		uint64_t id = le64(p + off + 8), written = le64(p + off + 16);
		r->buf.len = 0;
		r->depth = 0;
		r->nparam = 0;
		r->ndata = 0;
		r->dropped = 0;
		r->event_id = r->channel = r->provider = r->computer = (struct span){ "", 0 };
		r->created = 0;
		r->overflow = false;
		int e = binxml_parse(&w->ch, off + 24, size - 28, &r->buf, &sink, r, &st->bx);
		off += size;
		if (e != 0 || r->overflow || !r->event_id.len) {
			st->bad_records++;
			continue;
		}
		build(r, &w->ev, id, written);
		st->dropped_fields += w->ev.dropped_fields;
		st->records++;
		if ((e = cb(ctx, &w->ev)) != 0)
			return e;
	}
	return 0;
}

int
evtx_read(const void *buf, size_t len, struct arena *scratch, evtx_record_fn cb, void *ctx,
    struct evtx_stats *st)
{
	const unsigned char *p = buf;
	struct evtx_stats dummy;
	int e;
	if (!st)
		st = &dummy;
	memset(st, 0, sizeof(*st));
	if (!evtx_is_evtx((struct span){ buf, len }))
		return MAMORI_E_PARSE;
	if (len < EVTX_FILE_HEADER) {
		st->truncated = true;
		return 0;
	}
	if ((uint32_t)crc32(0, p, 120) != le32(p + 124))
		st->bad_header = true;
	/* Real records render to a few times their size; a small file gets a
	 * smaller buffer (the fuzzer calls this thousands of times a second). */
	size_t cap = len < EVTX_RECORD_TEXT / 8 ? 8 * len : EVTX_RECORD_TEXT;
	struct work *w = arena_alloc(scratch, sizeof(*w));
	char *text = arena_alloc(scratch, cap);
	if (!w || !text)
		return MAMORI_E_NOMEM;
	w->rec.buf = (struct binxml_buf){ text, 0, cap };
	for (size_t off = EVTX_FILE_HEADER; off < len; off += EVTX_CHUNK) {
		size_t n = len - off < EVTX_CHUNK ? len - off : EVTX_CHUNK;
		st->chunks++;
		if (n < EVTX_CHUNK)
			st->truncated = true;
		if (n < EVTX_CHUNK_HEADER || memcmp(p + off, "ElfChnk", 8) != 0) {
			static const unsigned char zero[8];
			if (n >= 8 && memcmp(p + off, zero, 8) == 0)
				st->empty_chunks++;
			else
				st->bad_chunks++;
			continue;
		}
		if ((e = chunk(w, p + off, n, cb, ctx, st)) != 0)
			return e;
	}
	return 0;
}
