/*
 * window.h - bounded per-key sliding counters for correlation ("N failures
 * from one address in 10 minutes", "M distinct users from one address").
 *
 * A set-associative table: a key (a 64-bit hash of e.g. rule + source
 * address) maps to a bucket of WINDOW_WAYS entries; when all are taken the
 * least recently seen entry is evicted and counted. The table is allocated
 * once at window_init() with a hard entry cap, so a flood of distinct
 * addresses costs evictions, never memory. Two keys that hash alike share
 * an entry (64-bit FNV-1a: negligible at these sizes).
 *
 * Each entry keeps the times of its last WINDOW_SLOTS hits, so counts up
 * to WINDOW_SLOTS are exact over any span; and up to WINDOW_USERS distinct
 * user-name hashes since the entry was last idle for a span.
 */
#ifndef MAMORI_DETECTION_WINDOW_H
#define MAMORI_DETECTION_WINDOW_H

#include <stddef.h>
#include <stdint.h>

#include "common/span.h"

#define WINDOW_WAYS 8
#define WINDOW_SLOTS 16
#define WINDOW_USERS 16

struct window_entry {
	uint64_t key;			/* 0 = free */
	int64_t last_ms;		/* newest hit */
	int64_t fired_ms;		/* last alert raised for this key; 0 = never */
	int64_t ts[WINDOW_SLOTS];	/* ring of hit times */
	uint32_t users[WINDOW_USERS];	/* distinct user hashes */
	uint32_t total;			/* hits since the entry was created */
	uint8_t head, nts, nusers;
};

struct window {
	struct window_entry *e;		/* nbuckets * WINDOW_WAYS, from calloc() */
	uint64_t *keys;			/* e[i].key again: a bucket's keys in one cache line */
	size_t nbuckets;
	uint64_t evictions;
	size_t used;
};

/* max_entries is rounded down to a multiple of WINDOW_WAYS (at least one
 * bucket). Returns 0 or MAMORI_E_NOMEM. */
int window_init(struct window *w, size_t max_entries);
void window_release(struct window *w);
size_t window_bytes(const struct window *w);

uint64_t window_hash(uint64_t seed, struct span s);
static inline uint64_t window_hash_cstr(uint64_t seed, const char *s)
{
	return window_hash(seed, span_from_cstr(s));
}

/* The entry of key (created, possibly by eviction), or NULL for key 0. */
struct window_entry *window_get(struct window *w, uint64_t key);
/* The entry of key when present, else NULL. */
struct window_entry *window_peek(struct window *w, uint64_t key);
/* Records a hit at now_ms; returns the hits within (now - span, now]. */
size_t window_hit(struct window_entry *e, int64_t now_ms, int64_t span_ms);
size_t window_count(const struct window_entry *e, int64_t now_ms, int64_t span_ms);
/* Adds a user hash; returns the number of distinct users (saturates). */
size_t window_add_user(struct window_entry *e, uint32_t user);
/* Forgets the hits (after an alert, or on success). */
void window_clear(struct window_entry *e);

/*
 * An entry as bytes, to keep across restarts (little-endian, versioned):
 * its last/fired times, total, hit times oldest first and user hashes.
 * encode returns the length (at most WINDOW_ENCODED_MAX). decode checks
 * every length and count and returns MAMORI_E_PARSE on anything it could
 * not have written; the key is not part of the bytes.
 */
#define WINDOW_ENCODED_MAX (1 + 8 + 8 + 4 + 1 + 1 + WINDOW_SLOTS * 8 + WINDOW_USERS * 4)
size_t window_encode(const struct window_entry *e, unsigned char *out);
int window_decode(const unsigned char *p, size_t len, struct window_entry *e);
/* Newest activity of an entry: its last hit or its last alert. */
static inline int64_t
window_active_ms(const struct window_entry *e)
{
	return e->fired_ms > e->last_ms ? e->fired_ms : e->last_ms;
}

#endif
