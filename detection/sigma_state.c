/*
 * sigma_state.c - the open windows of Sigma correlations written out and
 * read back (see sigma.h), so a live watch that restarts keeps counting.
 *
 * A group is named by its correlation's rule id and carries a hash of the
 * correlation's shape (type, condition, timespan, references, group-by
 * count, sizes): a rule edited between the runs does not get windows that
 * mean something else. Little-endian, version 1:
 *	u8 version, u8 type, u64 shape, i64 first_ts, i64 last_ts, u64 count,
 *	u32 nring, u32 ring_head, u32 nvals, u32 nts, u32 keylen,
 *	key[keylen], i64 ts[nts], (u64 hash, i64 ts)[nvals]
 * Every count is checked against what the rule's groups hold before
 * anything is copied.
 */
#include "detection/sigma_int.h"

#include <stdlib.h>
#include <string.h>

#include "common/err.h"

#define STATE_V1 1
#define STATE_HEAD 54

static uint64_t
mix(uint64_t h, uint64_t v)
{
	for (int i = 0; i < 8; i++, v >>= 8)
		h = (h ^ (v & 0xff)) * 0x100000001b3ull;
	return h;
}

static uint64_t
shape(const struct sigma_corr *co)
{
	size_t nts, nv;
	uint64_t h = 0xcbf29ce484222325ull;
	sigma_corr_group_size(co, &nts, &nv);
	h = mix(h, co->type);
	h = mix(h, co->monotonic);
	h = mix(h, co->need);
	h = mix(h, (uint64_t)co->timespan_ms);
	h = mix(h, co->nrefs);
	h = mix(h, co->ngroup);
	h = mix(h, nts);
	h = mix(h, nv);
	for (size_t i = 0; i < co->ncmp; i++)
		h = mix(mix(h, co->cmp[i].op), co->cmp[i].v);
	return h;
}

static unsigned char *
put(unsigned char *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++, v >>= 8)
		*p++ = (unsigned char)(v & 0xff);
	return p;
}

static size_t
encode(const struct sigma_corr *co, const struct corr_group *g, unsigned char *out)
{
	size_t nts, nv;
	unsigned char *p = out;
	sigma_corr_group_size(co, &nts, &nv);
	*p++ = STATE_V1;
	*p++ = (unsigned char)co->type;
	p = put(p, shape(co), 8);
	p = put(p, (uint64_t)g->first_ts, 8);
	p = put(p, (uint64_t)g->last_ts, 8);
	p = put(p, g->count, 8);
	p = put(p, g->nring, 4);
	p = put(p, g->ring_head, 4);
	p = put(p, g->nvals, 4);
	p = put(p, nts, 4);
	p = put(p, g->keylen, 4);
	memcpy(p, g->key, g->keylen);
	p += g->keylen;
	for (size_t i = 0; i < nts; i++)
		p = put(p, (uint64_t)g->ts[i], 8);
	for (size_t i = 0; i < g->nvals; i++) {
		p = put(p, g->vals[i].h, 8);
		p = put(p, (uint64_t)g->vals[i].ts, 8);
	}
	return (size_t)(p - out);
}

int
sigma_state_save(struct sigma_ruleset *rs, size_t max, sigma_state_fn fn, void *arg,
    size_t *dropped)
{
	unsigned char *buf = malloc(SIGMA_STATE_MAX_BYTES);
	size_t n = 0;
	int rc = MAMORI_OK;

	*dropped = 0;
	if (!buf)
		return MAMORI_E_NOMEM;
	/* most recently used first: past max, the oldest are the ones left out */
	for (const struct corr_group *g = rs->lru_head; g && rc == MAMORI_OK; g = g->next) {
		const struct sigma_rule *r = vec_at(&rs->rules, g->rule);
		const struct sigma_corr *co = r->corr;
		size_t nts, nv;
		if (g->last_ts <= rs->now_ms - co->timespan_ms)
			continue;	/* closed: would be freed at the next event */
		sigma_corr_group_size(co, &nts, &nv);
		if (n == max || STATE_HEAD + g->keylen + nts * 8 + (size_t)g->nvals * 16 >
		    SIGMA_STATE_MAX_BYTES) {
			(*dropped)++;
			continue;
		}
		struct sigma_state s = { .rule_id = r->info.id, .last_ms = g->last_ts, .data = buf };
		s.len = encode(co, g, buf);
		rc = fn(arg, &s);
		n++;
	}
	free(buf);
	return rc;
}

/* The live correlation named id, by index. */
static bool
find_rule(const struct sigma_ruleset *rs, const char *id, uint32_t *out)
{
	for (size_t i = 0; i < rs->rules.n; i++) {
		const struct sigma_rule *r = vec_at(&rs->rules, i);
		if (r->corr && !r->dead && strcmp(r->info.id, id) == 0) {
			*out = (uint32_t)i;
			return true;
		}
	}
	return false;
}

/* A key as feed_one builds it: at most SIGMA_GROUP_MAX length-prefixed values. */
static bool
key_ok(struct span key, size_t ngroup)
{
	struct cursor c;
	size_t n = 0;
	cursor_init(&c, key.p, key.len);
	while (!cursor_eof(&c)) {
		uint16_t l;
		if (n == ngroup || cursor_u16le(&c, &l) != MAMORI_OK || l > SIGMA_KEY_VALUE_MAX ||
		    cursor_skip(&c, l) != MAMORI_OK)
			return false;
		n++;
	}
	return n == (ngroup < SIGMA_GROUP_MAX ? ngroup : SIGMA_GROUP_MAX);
}

struct state_head {
	uint8_t version, type;
	uint64_t shape, first_ts, last_ts, count;
	uint32_t nring, ring_head, nvals, nts, keylen;
};

static int
read_head(struct cursor *c, struct state_head *h)
{
	if (cursor_u8(c, &h->version) || cursor_u8(c, &h->type) || cursor_u64le(c, &h->shape) ||
	    cursor_u64le(c, &h->first_ts) || cursor_u64le(c, &h->last_ts) ||
	    cursor_u64le(c, &h->count) || cursor_u32le(c, &h->nring) ||
	    cursor_u32le(c, &h->ring_head) || cursor_u32le(c, &h->nvals) ||
	    cursor_u32le(c, &h->nts) || cursor_u32le(c, &h->keylen) || h->version != STATE_V1)
		return MAMORI_E_PARSE;
	return MAMORI_OK;
}

/* Event times are far from the ends of int64_t, so differences of two
 * never overflow; UNSET marks an empty slot where one is allowed. */
#define TIME_MAX ((int64_t)1 << 53)

static bool
time_ok(uint64_t v, bool unset_ok)
{
	int64_t t = (int64_t)v;
	return (unset_ok && t == SIGMA_UNSET) || (t >= -TIME_MAX && t <= TIME_MAX);
}

/* The times after the key: ts[nts], then (hash, time) per value. */
static bool
times_ok(struct cursor c, uint32_t nts, uint32_t nvals)
{
	uint64_t v, h;
	for (uint32_t i = 0; i < nts; i++)
		if (cursor_u64le(&c, &v) != MAMORI_OK || !time_ok(v, true))
			return false;
	for (uint32_t i = 0; i < nvals; i++)
		if (cursor_u64le(&c, &h) != MAMORI_OK || cursor_u64le(&c, &v) != MAMORI_OK ||
		    !time_ok(v, false))
			return false;
	return true;
}

enum sigma_state_result
sigma_state_load(struct sigma_ruleset *rs, int64_t clock_ms, const char *rule_id,
    const void *data, size_t len)
{
	struct cursor c;
	struct state_head h;
	struct span key;
	uint32_t rule;
	size_t nts, nv;

	cursor_init(&c, data, len);
	if (!time_ok((uint64_t)clock_ms, false) || read_head(&c, &h) != MAMORI_OK || cursor_bytes(&c, h.keylen, &key) != MAMORI_OK)
		return SIGMA_STATE_BAD;
	if (!rs->compiled || !rs->buckets || !find_rule(rs, rule_id, &rule))
		return SIGMA_STATE_CHANGED;
	const struct sigma_corr *co = ((const struct sigma_rule *)vec_at(&rs->rules, rule))->corr;
	sigma_corr_group_size(co, &nts, &nv);
	if (h.type != co->type || h.shape != shape(co))
		return SIGMA_STATE_CHANGED;
	/* the counts as this rule's groups keep them */
	bool ring = co->type == CORR_EVENT_COUNT && nts > 0;
	if (h.nts != nts || h.nvals > nv || (ring && (h.nring > nts || h.ring_head >= nts)) ||
	    (!ring && (h.nring || h.ring_head)) || (co->type != CORR_VALUE_COUNT && h.nvals) ||
	    cursor_left(&c) != (size_t)h.nts * 8 + (size_t)h.nvals * 16 || !key_ok(key, co->ngroup) ||
	    !time_ok(h.first_ts, true) || !time_ok(h.last_ts, false) || !times_ok(c, h.nts, h.nvals))
		return SIGMA_STATE_BAD;
	if ((int64_t)h.last_ts <= clock_ms - co->timespan_ms)
		return SIGMA_STATE_EXPIRED;
	if (clock_ms > rs->now_ms)
		rs->now_ms = clock_ms;
	if (sigma_corr_group_find(rs, rule, (const unsigned char *)key.p, key.len))
		return SIGMA_STATE_BAD;	/* the same group twice */
	struct corr_group *g = sigma_corr_group_get(rs, rule, (const unsigned char *)key.p, key.len,
	    (int64_t)h.last_ts);
	if (!g)
		return SIGMA_STATE_FULL;
	g->first_ts = (int64_t)h.first_ts;
	g->last_ts = (int64_t)h.last_ts;
	g->count = h.count;
	g->nring = h.nring;
	g->ring_head = h.ring_head;
	g->nvals = h.nvals;
	for (size_t i = 0; i < nts; i++)
		cursor_u64le(&c, (uint64_t *)&g->ts[i]);
	for (size_t i = 0; i < h.nvals; i++) {
		cursor_u64le(&c, &g->vals[i].h);
		cursor_u64le(&c, (uint64_t *)&g->vals[i].ts);
	}
	return SIGMA_STATE_LOADED;
}
