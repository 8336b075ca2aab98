/*
 * sigma_match.c - one event against every compiled rule.
 *
 * Per event: each field the rules care about is scanned once by its key's
 * Aho-Corasick automaton; a needle hit stamps the needle (anywhere / at the
 * start / at the end / whole value) and wakes the rules that cannot match
 * without it. Only woken rules (and rules with no literal to key on, such as
 * a lone regex or cidr) have their condition trees evaluated, where string
 * atoms are stamp lookups.
 */
#include "detection/sigma_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"

static uint32_t
key_lookup(const struct sigma_ruleset *rs, const char *name)
{
	size_t n = strlen(name);
	uint64_t h = sigma_hash(name, n);
	for (size_t pos = h & rs->kmask;; pos = (pos + 1) & rs->kmask) {
		uint32_t id = rs->ktab[pos];
		if (id == SIGMA_NONE)
			return SIGMA_NONE;
		const struct sigma_key *k = vec_at(&rs->keys, id);
		if (k->hash == h && strcmp(k->name, name) == 0)
			return id;
	}
}

struct scan_ctx {
	struct sigma_ruleset *rs;
	uint32_t base;
	size_t len;
};

static void
on_needle(void *vctx, uint32_t local, size_t end)
{
	struct scan_ctx *sc = vctx;
	struct sigma_ruleset *rs = sc->rs;
	uint32_t g = sc->base + local;
	struct sigma_nstamp *st = &rs->nst[g];
	uint32_t gen = rs->gen;

	if (st->any != gen) {
		st->any = gen;
		for (uint32_t w = rs->wake_off[g]; w < rs->wake_off[g + 1]; w++) {
			struct sigma_rule *r = vec_at(&rs->rules, rs->wake[w]);
			if (r->stamp != gen) {
				r->stamp = gen;
				rs->cand[rs->ncand++] = rs->wake[w];
			}
		}
	}
	bool at_start = end == rs->needle_len[g];
	bool at_end = end == sc->len;
	if (at_start)
		st->start = gen;
	if (at_end)
		st->end = gen;
	if (at_start && at_end)
		st->exact = gen;
}

static void
scan_key(struct sigma_ruleset *rs, uint32_t kid, struct span v)
{
	const struct sigma_key *k = vec_at(&rs->keys, kid);
	rs->key_val[kid] = v;
	rs->key_gen[kid] = rs->gen;
	if (k->ac && v.len) {
		struct scan_ctx sc = { rs, k->needle_base, v.len };
		strmatch_ac_scan(k->ac, v, on_needle, &sc);
	}
}

bool
sigma_slot_value(const struct sigma_ruleset *rs, uint32_t slot,
    const struct event *ev, struct span *out, uint32_t *which)
{
	const struct sigma_slot *s = vec_at(&rs->slots, slot);
	(void)ev;
	for (uint32_t j = 0; j < s->nkeys; j++) {
		if (rs->key_gen[s->key[j]] == rs->gen) {
			*out = rs->key_val[s->key[j]];
			*which = j;
			return true;
		}
	}
	return false;
}

static bool
parse_ip(struct span v, uint8_t addr[16], uint8_t *family)
{
	char buf[64];
	if (v.len == 0 || v.len >= sizeof(buf))
		return false;
	memcpy(buf, v.p, v.len);
	buf[v.len] = '\0';
	char *pct = strchr(buf, '%');	/* fe80::1%eth0 */
	if (pct)
		*pct = '\0';
	if (inet_pton(AF_INET, buf, addr) == 1) {
		*family = 4;
		return true;
	}
	if (inet_pton(AF_INET6, buf, addr) == 1) {
		static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		    0xff, 0xff };
		*family = 6;
		if (memcmp(addr, mapped, 12) == 0) {
			memmove(addr, addr + 12, 4);
			*family = 4;
		}
		return true;
	}
	return false;
}

static bool
cidr_match(const struct sigma_atom *a, struct span v)
{
	uint8_t addr[16], fam;
	if (!parse_ip(v, addr, &fam) || fam != a->cidr_family)
		return false;
	unsigned bits = a->cidr_bits;
	size_t full = bits / 8;
	if (memcmp(addr, a->addr, full) != 0)
		return false;
	if (bits % 8) {
		uint8_t mask = (uint8_t)(0xff << (8 - bits % 8));
		if ((addr[full] & mask) != (a->addr[full] & mask))
			return false;
	}
	return true;
}

static bool
num_of(struct span v, double *d)
{
	char buf[64];
	char *end;
	v = span_trim(v);
	if (v.len == 0 || v.len >= sizeof(buf))
		return false;
	memcpy(buf, v.p, v.len);
	buf[v.len] = '\0';
	errno = 0;
	*d = strtod(buf, &end);
	return errno == 0 && *end == '\0' && isfinite(*d);
}

static bool
direct(uint8_t op, struct span v, struct span lit, bool cased)
{
	switch (op) {
	case OP_EQ:
		return strmatch_eq(v, lit, cased);
	case OP_CONTAINS:
		return strmatch_find(v, lit, cased) != SIZE_MAX;
	case OP_STARTS:
		return v.len >= lit.len &&
		    strmatch_eq((struct span){ v.p, lit.len }, lit, cased);
	case OP_ENDS:
		return v.len >= lit.len &&
		    strmatch_eq((struct span){ v.p + v.len - lit.len, lit.len }, lit,
		    cased);
	}
	return false;
}

static bool
atom_eval(struct sigma_ruleset *rs, const struct sigma_atom *a,
    const struct event *ev)
{
	struct span v, r;
	uint32_t which, rw;
	bool present = sigma_slot_value(rs, a->slot, ev, &v, &which);

	if (a->op == OP_EXISTS)
		return present == (a->num != 0);
	if (a->op == OP_NULL)
		return !present || v.len == 0;
	if (!present)
		return false;
	switch (a->op) {
	case OP_EQ:
	case OP_CONTAINS:
	case OP_STARTS:
	case OP_ENDS: {
		uint32_t nd = a->need.len ? a->needle[which] : SIGMA_NONE;
		if (nd == SIGMA_NONE)
			return direct(a->op, v, a->lit, a->cased);
		const struct sigma_nstamp *st = &rs->nst[nd];
		uint32_t s = a->op == OP_EQ ? st->exact : a->op == OP_CONTAINS ?
		    st->any : a->op == OP_STARTS ? st->start : st->end;
		if (s != rs->gen)
			return false;
		return !a->cased || direct(a->op, v, a->lit, true);
	}
	case OP_GLOB: {
		uint32_t nd = a->need.len ? a->needle[which] : SIGMA_NONE;
		if (nd != SIGMA_NONE && rs->nst[nd].any != rs->gen)
			return false;
		return strmatch_glob(a->lit, v, a->cased);
	}
	case OP_RE: {
		int rc = pcre2_match(a->re, (PCRE2_SPTR)v.p, v.len, 0, 0, rs->md,
		    rs->mctx);
		if (rc >= 0)
			return true;
		if (rc != PCRE2_ERROR_NOMATCH)
			rs->stats.regex_errors++;
		return false;
	}
	case OP_CIDR:
		return cidr_match(a, v);
	case OP_LT:
	case OP_LTE:
	case OP_GT:
	case OP_GTE: {
		double d;
		if (!num_of(v, &d))
			return false;
		return a->op == OP_LT ? d < a->num : a->op == OP_LTE ? d <= a->num :
		    a->op == OP_GT ? d > a->num : d >= a->num;
	}
	case OP_REF_EQ:
	case OP_REF_CONTAINS:
	case OP_REF_STARTS:
	case OP_REF_ENDS:
		if (!sigma_slot_value(rs, a->ref_slot, ev, &r, &rw))
			return false;
		return direct((uint8_t)(a->op - OP_REF_EQ + OP_EQ), v, r, a->cased);
	}
	return false;
}

static bool
eval(struct sigma_ruleset *rs, const struct sigma_node *n, const struct event *ev)
{
	switch (n->kind) {
	case N_FALSE:
		return false;
	case N_TRUE:
		return true;
	case N_ATOM:
		return atom_eval(rs, n->atom, ev);
	case N_AND:
		for (size_t i = 0; i < n->n; i++)
			if (!eval(rs, n->kids[i], ev))
				return false;
		return true;
	case N_OR:
		for (size_t i = 0; i < n->n; i++)
			if (eval(rs, n->kids[i], ev))
				return true;
		return false;
	case N_NOT:
		return !eval(rs, n->kids[0], ev);
	case N_NOF: {
		uint32_t hits = 0;
		for (size_t i = 0; i < n->n; i++) {
			if (eval(rs, n->kids[i], ev) && ++hits >= n->k)
				return true;
			if (hits + (n->n - i - 1) < n->k)
				return false;
		}
		return false;
	}
	}
	return false;
}

void
sigma_emit(struct sigma_ruleset *rs, const struct sigma_hit *hit)
{
	rs->stats.hits++;
	rs->hits++;
	if (rs->cb)
		rs->cb(rs->cb_ctx, hit);
}

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static void
new_generation(struct sigma_ruleset *rs)
{
	if (++rs->gen != 0)
		return;
	/* Wrapped after 4 billion events: forget every stamp. */
	memset(rs->nst, 0, (rs->nneedles + 1) * sizeof(*rs->nst));
	memset(rs->key_gen, 0, rs->keys.n * sizeof(uint32_t));
	for (size_t i = 0; i < rs->rules.n; i++)
		((struct sigma_rule *)vec_at(&rs->rules, i))->stamp = 0;
	rs->gen = 1;
}

int
sigma_ruleset_match(struct sigma_ruleset *rs, const struct event *ev,
    sigma_hit_fn cb, void *ctx)
{
	if (!rs->compiled)
		return MAMORI_E_INVAL;
	rs->cb = cb;
	rs->cb_ctx = ctx;
	rs->hits = 0;
	rs->stats.events++;
	new_generation(rs);
	if (ev->ts_ms > rs->now_ms)
		rs->now_ms = ev->ts_ms;
	rs->ncand = 0;

	if (ev->raw.p)
		scan_key(rs, SIGMA_KEY_RAW, ev->raw);
	for (size_t i = 0; i < ev->nfields && i < EVENT_MAX_FIELDS; i++) {
		const struct event_field *f = &ev->fields[i];
		if (f->key == NULL || f->value.p == NULL)
			continue;
		uint32_t kid = key_lookup(rs, f->key);
		if (kid != SIGMA_NONE)
			scan_key(rs, kid, f->value);
	}
	for (size_t i = 0; i < rs->nalways; i++)
		rs->cand[rs->ncand++] = rs->always[i];
	if (rs->ncand > 32) {
		qsort(rs->cand, rs->ncand, sizeof(uint32_t), u32_cmp);
	} else {
		/* Usually a handful: insertion sort beats qsort's setup. */
		for (size_t i = 1; i < rs->ncand; i++) {
			uint32_t v = rs->cand[i];
			size_t j = i;
			for (; j > 0 && rs->cand[j - 1] > v; j--)
				rs->cand[j] = rs->cand[j - 1];
			rs->cand[j] = v;
		}
	}

	/* Evaluate first, then report: a callback never sees half a pass. */
	size_t nmatch = 0;
	for (size_t i = 0; i < rs->ncand; i++) {
		const struct sigma_rule *r = vec_at(&rs->rules, rs->cand[i]);
		if (!r->dormant && eval(rs, r->root, ev))
			rs->cand[nmatch++] = rs->cand[i];
	}
	for (size_t i = 0; i < nmatch; i++) {
		const struct sigma_rule *r = vec_at(&rs->rules, rs->cand[i]);
		if (!r->suppressed) {
			struct sigma_hit h = { .rule = &r->info, .ev = ev,
			    .ts_ms = ev->ts_ms ? ev->ts_ms : rs->now_ms };
			sigma_emit(rs, &h);
		}
		if (r->deps.n)
			sigma_corr_feed(rs, rs->cand[i], ev, NULL);
	}
	return rs->hits;
}

int
sigma_ruleset_flush(struct sigma_ruleset *rs, sigma_hit_fn cb, void *ctx)
{
	if (!rs->compiled)
		return MAMORI_E_INVAL;
	rs->cb = cb;
	rs->cb_ctx = ctx;
	rs->hits = 0;
	sigma_corr_flush(rs);
	return rs->hits;
}

void
sigma_ruleset_stats(const struct sigma_ruleset *rs, struct sigma_stats *out)
{
	*out = rs->stats;
}
