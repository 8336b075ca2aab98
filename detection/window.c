#include "detection/window.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"

int
window_init(struct window *w, size_t max_entries)
{
	memset(w, 0, sizeof(*w));
	w->nbuckets = max_entries / WINDOW_WAYS;
	if (w->nbuckets == 0)
		w->nbuckets = 1;
	w->e = calloc(w->nbuckets * WINDOW_WAYS, sizeof(*w->e));
	w->keys = aligned_alloc(64, w->nbuckets * WINDOW_WAYS * sizeof(*w->keys));
	if (!w->e || !w->keys) {
		window_release(w);
		return MAMORI_E_NOMEM;
	}
	memset(w->keys, 0, w->nbuckets * WINDOW_WAYS * sizeof(*w->keys));
	return MAMORI_OK;
}

void
window_release(struct window *w)
{
	free(w->e);
	free(w->keys);
	memset(w, 0, sizeof(*w));
}

size_t
window_bytes(const struct window *w)
{
	return w->nbuckets * WINDOW_WAYS * (sizeof(*w->e) + sizeof(*w->keys));
}

uint64_t
window_hash(uint64_t seed, struct span s)
{
	uint64_t h = 1469598103934665603ULL ^ (seed * 0x9e3779b97f4a7c15ULL);
	for (size_t i = 0; i < s.len; i++)
		h = (h ^ (unsigned char)s.p[i]) * 1099511628211ULL;
	h ^= h >> 29;
	return h ? h : 1;
}

static size_t
bucket(const struct window *w, uint64_t key)
{
	return (size_t)((key >> 7) % w->nbuckets) * WINDOW_WAYS;
}

/*
 * Lookups read the bucket's keys (one cache line) and touch an entry
 * (~230 bytes) only when it is the one: with tables of megabytes every
 * entry read is a cache miss.
 */
struct window_entry *
window_peek(struct window *w, uint64_t key)
{
	size_t b = bucket(w, key);
	for (size_t i = 0; i < WINDOW_WAYS; i++)
		if (w->keys[b + i] == key)
			return &w->e[b + i];
	return NULL;
}

struct window_entry *
window_get(struct window *w, uint64_t key)
{
	if (!key)
		return NULL;
	size_t b = bucket(w, key), victim = SIZE_MAX;
	for (size_t i = 0; i < WINDOW_WAYS; i++) {
		if (w->keys[b + i] == key)
			return &w->e[b + i];
		if (!w->keys[b + i] && victim == SIZE_MAX)
			victim = b + i;
	}
	if (victim == SIZE_MAX) {
		/* full: the least recently seen goes */
		victim = b;
		for (size_t i = 1; i < WINDOW_WAYS; i++)
			if (w->e[b + i].last_ms < w->e[victim].last_ms)
				victim = b + i;
		w->evictions++;
	} else {
		w->used++;
	}
	memset(&w->e[victim], 0, sizeof(w->e[victim]));
	w->e[victim].key = key;
	w->keys[victim] = key;
	return &w->e[victim];
}

size_t
window_count(const struct window_entry *e, int64_t now_ms, int64_t span_ms)
{
	size_t n = 0;
	for (size_t i = 0; i < e->nts; i++) {
		int64_t t = e->ts[(e->head + WINDOW_SLOTS - 1 - i) % WINDOW_SLOTS];
		if (t > now_ms - span_ms && t <= now_ms)
			n++;
	}
	return n;
}

size_t
window_hit(struct window_entry *e, int64_t now_ms, int64_t span_ms)
{
	if (e->nts && now_ms - e->last_ms >= span_ms)
		e->nusers = 0;	/* idle for a whole span: a new episode */
	e->ts[e->head] = now_ms;
	e->head = (uint8_t)((e->head + 1) % WINDOW_SLOTS);
	if (e->nts < WINDOW_SLOTS)
		e->nts++;
	if (now_ms > e->last_ms)
		e->last_ms = now_ms;
	e->total++;
	return window_count(e, now_ms, span_ms);
}

size_t
window_add_user(struct window_entry *e, uint32_t user)
{
	for (size_t i = 0; i < e->nusers; i++)
		if (e->users[i] == user)
			return e->nusers;
	if (e->nusers < WINDOW_USERS)
		e->users[e->nusers++] = user;
	return e->nusers;
}

void
window_clear(struct window_entry *e)
{
	e->nts = 0;
	e->head = 0;
	e->nusers = 0;
}

#define ENCODING_V1 1

static unsigned char *
put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		*p++ = (unsigned char)(v >> (8 * i));
	return p;
}

static unsigned char *
put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		*p++ = (unsigned char)(v >> (8 * i));
	return p;
}

static uint64_t
get64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

size_t
window_encode(const struct window_entry *e, unsigned char *out)
{
	unsigned char *p = out;
	*p++ = ENCODING_V1;
	p = put64(p, (uint64_t)e->last_ms);
	p = put64(p, (uint64_t)e->fired_ms);
	p = put32(p, e->total);
	*p++ = e->nts;
	*p++ = e->nusers;
	for (size_t i = e->nts; i > 0; i--)	/* oldest first */
		p = put64(p, (uint64_t)e->ts[(e->head + WINDOW_SLOTS - i) % WINDOW_SLOTS]);
	for (size_t i = 0; i < e->nusers; i++)
		p = put32(p, e->users[i]);
	return (size_t)(p - out);
}

int
window_decode(const unsigned char *p, size_t len, struct window_entry *e)
{
	uint64_t key = e->key;
	if (len < 23 || p[0] != ENCODING_V1 || p[21] > WINDOW_SLOTS || p[22] > WINDOW_USERS ||
	    len != 23 + (size_t)p[21] * 8 + (size_t)p[22] * 4)
		return MAMORI_E_PARSE;
	memset(e, 0, sizeof(*e));
	e->key = key;
	e->last_ms = (int64_t)get64(p + 1);
	e->fired_ms = (int64_t)get64(p + 9);
	e->total = get32(p + 17);
	e->nts = p[21];
	e->nusers = p[22];
	p += 23;
	for (size_t i = 0; i < e->nts; i++, p += 8)
		e->ts[i] = (int64_t)get64(p);
	e->head = (uint8_t)(e->nts % WINDOW_SLOTS);
	for (size_t i = 0; i < e->nusers; i++, p += 4)
		e->users[i] = get32(p);
	return MAMORI_OK;
}
