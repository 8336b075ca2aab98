/*
 * sigma_correlate.c - Sigma correlation rules over the hits of other rules.
 *
 * State is one group per (correlation, group-by values), in one hash table
 * and one LRU list for all correlations, capped by count and by bytes. At
 * the cap the least recently used group is dropped and counted; groups
 * idle for longer than their timespan are freed as events move time on.
 *
 * Windows. Conditions that only grow (gt, gte) are decided at once over a
 * sliding window and the group starts over after it fires, so a burst of
 * 100 failures against "gte: 10" gives 10 alerts, not 91; "lt", "lte",
 * "eq" and "neq" are decided when a window (starting at the group's first
 * event, timespan long) closes: at the next event after it, when the group
 * expires, or at sigma_ruleset_flush().
 *
 * A group is "busy" while its hit is being reported and fed to the
 * correlations that refer to it, and is never evicted then, so nothing
 * frees memory a caller up the stack still uses.
 */
#include "detection/sigma_int.h"

#include <stdlib.h>
#include <string.h>

#include "common/err.h"

#define UNSET SIGMA_UNSET
#define KEY_VALUE_MAX SIGMA_KEY_VALUE_MAX

static struct sigma_rule *
rule_at(struct sigma_ruleset *rs, uint32_t i)
{
	return vec_at(&rs->rules, i);
}

static const struct sigma_rule *
find_ref(struct sigma_ruleset *rs, const char *ref, uint32_t self, uint32_t *out)
{
	/* name, then id, then title */
	for (int pass = 0; pass < 3; pass++) {
		for (size_t i = 0; i < rs->rules.n; i++) {
			const struct sigma_rule *r = rule_at(rs, (uint32_t)i);
			const char *v = pass == 0 ? r->info.name : pass == 1 ?
			    r->info.id : r->info.title;
			if (i == self || v == NULL || strcmp(v, ref) != 0)
				continue;
			*out = (uint32_t)i;
			return r;
		}
	}
	return NULL;
}

static const char *
alias_field(const struct sigma_corr *co, const char *alias,
    const struct sigma_rule *ref, const char *refname)
{
	for (size_t a = 0; a < co->nalias; a++) {
		const char **t = &co->alias[3 * a];
		if (strcmp(t[0], alias) != 0)
			continue;
		if (strcmp(t[1], refname) == 0 ||
		    (ref->info.name && strcmp(t[1], ref->info.name) == 0) ||
		    strcmp(t[1], ref->info.id) == 0)
			return t[2];
	}
	return alias;
}

/*
 * sigma_ruleset_set_builtin_wins: the shipped set's brute-force
 * correlations would otherwise cost a third of the CPU of reading an auth
 * log, for hits the caller throws away.
 */
static void
mark_dormant(struct sigma_ruleset *rs)
{
	bool changed = rs->builtin_wins;
	while (changed) {
		changed = false;
		for (size_t i = 0; i < rs->rules.n; i++) {
			struct sigma_rule *r = rule_at(rs, (uint32_t)i);
			if (r->dead || r->dormant || (r->corr ? !r->info.builtin : !r->suppressed))
				continue;
			bool live = false;
			for (size_t k = 0; k < r->deps.n && !live; k++) {
				const struct sigma_dep *d = vec_at(&r->deps, k);
				const struct sigma_rule *c = rule_at(rs, d->corr_rule);
				live = !c->dead && !c->dormant;
			}
			if (!live) {
				r->dormant = true;
				changed = true;
			}
		}
	}
}

static int
chain_depth(struct sigma_ruleset *rs, uint32_t i, int depth)
{
	const struct sigma_rule *r = rule_at(rs, i);
	int best = depth;
	if (r->corr == NULL || r->corr->ref_rule == NULL)
		return depth;
	if (depth > SIGMA_CORR_DEPTH)
		return depth;
	for (size_t k = 0; k < r->corr->nrefs; k++) {
		int d = chain_depth(rs, r->corr->ref_rule[k], depth + 1);
		if (d > best)
			best = d;
	}
	return best;
}

int
sigma_corr_compile(struct sigma_ruleset *rs, struct sigma_report *report)
{
	struct arena *a = &rs->arena;
	bool changed = true;
	size_t ncorr = 0;

	/* Resolve references until nothing more dies. */
	for (size_t i = 0; i < rs->rules.n; i++) {
		struct sigma_rule *r = rule_at(rs, (uint32_t)i);
		struct sigma_corr *co = r->corr;
		if (co == NULL)
			continue;
		co->ref_rule = arena_alloc(a, co->nrefs * sizeof(uint32_t));
		if (co->ref_rule == NULL)
			return MAMORI_E_NOMEM;
		for (size_t k = 0; k < co->nrefs; k++) {
			if (find_ref(rs, co->refs[k], (uint32_t)i, &co->ref_rule[k]) == NULL) {
				sigma_report_add(report, r->info.file, r->info.title,
				    r->info.id, 0, "correlation: rule '%s' not found",
				    co->refs[k]);
				r->dead = true;
				break;
			}
		}
	}
	for (size_t i = 0; i < rs->rules.n; i++) {
		struct sigma_rule *r = rule_at(rs, (uint32_t)i);
		if (r->corr && !r->dead &&
		    chain_depth(rs, (uint32_t)i, 0) > SIGMA_CORR_DEPTH) {
			sigma_report_add(report, r->info.file, r->info.title, r->info.id, 0,
			    "correlation: references form a loop or a chain too long");
			r->dead = true;
		}
	}
	while (changed) {
		changed = false;
		for (size_t i = 0; i < rs->rules.n; i++) {
			struct sigma_rule *r = rule_at(rs, (uint32_t)i);
			if (r->corr == NULL || r->dead)
				continue;
			for (size_t k = 0; k < r->corr->nrefs; k++) {
				if (rule_at(rs, r->corr->ref_rule[k])->dead) {
					sigma_report_add(report, r->info.file, r->info.title,
					    r->info.id, 0, "correlation: rule '%s' was skipped",
					    r->corr->refs[k]);
					r->dead = true;
					changed = true;
					break;
				}
			}
		}
	}
	for (size_t i = 0; i < rs->rules.n; i++) {
		struct sigma_rule *r = rule_at(rs, (uint32_t)i);
		struct sigma_corr *co = r->corr;
		if (co == NULL)
			continue;
		if (r->dead) {
			if (report) {
				report->rules_skipped++;
				if (report->correlations_loaded)
					report->correlations_loaded--;
			}
			continue;
		}
		ncorr++;
		size_t ng = co->ngroup, nr = co->nrefs;
		co->group_slot = arena_alloc(a, (nr * ng + 1) * sizeof(uint32_t));
		co->group_name = arena_alloc(a, (nr * ng + 1) * sizeof(char *));
		co->group_ecs = arena_alloc(a, (ng + 1) * sizeof(char *));
		co->value_slot = arena_alloc(a, nr * sizeof(uint32_t));
		if (!co->group_slot || !co->group_name || !co->group_ecs || !co->value_slot)
			return MAMORI_E_NOMEM;
		for (size_t k = 0; k < nr; k++) {
			struct sigma_rule *ref = rule_at(rs, co->ref_rule[k]);
			for (size_t g = 0; g < ng; g++) {
				const char *f = alias_field(co, co->group[g], ref, co->refs[k]);
				co->group_name[k * ng + g] = f;
				if ((co->group_slot[k * ng + g] = sigma_slot_get(rs, f)) == SIGMA_NONE)
					return MAMORI_E_NOMEM;
				if (k == 0) {
					const char *e = sigma_field_ecs(f);
					co->group_ecs[g] = e ? e : f;
				}
			}
			co->value_slot[k] = SIGMA_NONE;
			if (co->value_field) {
				const char *f = alias_field(co, co->value_field, ref, co->refs[k]);
				if ((co->value_slot[k] = sigma_slot_get(rs, f)) == SIGMA_NONE)
					return MAMORI_E_NOMEM;
			}
			struct sigma_dep *d = vec_push(a, &ref->deps);
			if (d == NULL)
				return MAMORI_E_NOMEM;
			d->corr_rule = (uint32_t)i;
			d->pos = (uint32_t)k;
			/* Correlations are alerts in their own right: only
			 * detection rules are silenced by generate: false. */
			if (!co->generate && ref->corr == NULL)
				ref->suppressed = true;
		}
	}
	mark_dormant(rs);
	if (ncorr) {
		size_t nb = 64;
		while (nb < rs->max_groups && nb < (1u << 20))
			nb <<= 1;
		if ((rs->buckets = calloc(nb, sizeof(*rs->buckets))) == NULL)
			return MAMORI_E_NOMEM;
		rs->nbuckets = nb;
	}
	return 0;
}

/* ---- groups ---- */

static void
lru_unlink(struct sigma_ruleset *rs, struct corr_group *g)
{
	if (g->prev)
		g->prev->next = g->next;
	else
		rs->lru_head = g->next;
	if (g->next)
		g->next->prev = g->prev;
	else
		rs->lru_tail = g->prev;
	g->prev = g->next = NULL;
}

static void
lru_push(struct sigma_ruleset *rs, struct corr_group *g)
{
	g->prev = NULL;
	g->next = rs->lru_head;
	if (rs->lru_head)
		rs->lru_head->prev = g;
	rs->lru_head = g;
	if (rs->lru_tail == NULL)
		rs->lru_tail = g;
}

/* Takes g out of the table and the list; the caller frees it. */
static void
group_detach(struct sigma_ruleset *rs, struct corr_group *g)
{
	struct corr_group **pp = &rs->buckets[g->hash & (rs->nbuckets - 1)];
	while (*pp && *pp != g)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = g->hnext;
	lru_unlink(rs, g);
	rs->ngroups--;
	rs->corr_bytes -= g->bytes;
	rs->stats.corr_groups = rs->ngroups;
}

static size_t
key_values(const struct corr_group *g, struct span *vals, size_t max)
{
	size_t n = 0, off = 0;
	while (off + 2 <= g->keylen && n < max) {
		size_t l = (size_t)g->key[off] | (size_t)g->key[off + 1] << 8;
		off += 2;
		if (off + l > g->keylen)
			break;
		vals[n].p = (const char *)g->key + off;
		vals[n].len = l;
		off += l;
		n++;
	}
	return n;
}

static bool
cmp_ok(const struct sigma_corr *co, uint64_t v)
{
	for (size_t i = 0; i < co->ncmp; i++) {
		uint64_t t = co->cmp[i].v;
		bool ok;
		switch (co->cmp[i].op) {
		case OP_GT: ok = v > t; break;
		case OP_GTE: ok = v >= t; break;
		case OP_LT: ok = v < t; break;
		case OP_LTE: ok = v <= t; break;
		case OP_EQ: ok = v == t; break;
		default: ok = v != t; break;	/* neq */
		}
		if (!ok)
			return false;
	}
	return true;
}

static void
fire(struct sigma_ruleset *rs, struct corr_group *g, uint64_t count,
    int64_t first, int64_t ts, const struct event *ev)
{
	struct sigma_rule *r = rule_at(rs, g->rule);
	struct span vals[16];
	struct sigma_hit h = {
		.rule = &r->info, .ev = ev, .ts_ms = ts, .count = count,
		.first_ts_ms = first, .group_fields = r->corr->group_ecs,
		.group_values = vals,
	};
	h.ngroup = key_values(g, vals, 16);
	g->busy = true;
	if (!r->suppressed)
		sigma_emit(rs, &h);
	if (r->deps.n)
		sigma_corr_feed(rs, g->rule, ev, &h);
	g->busy = false;
}

/* Decides a window that ended (non-monotonic conditions only). */
static void
close_window(struct sigma_ruleset *rs, struct corr_group *g)
{
	const struct sigma_corr *co = rule_at(rs, g->rule)->corr;
	uint64_t v = 0;
	if (co->monotonic || g->first_ts == UNSET)
		return;
	switch (co->type) {
	case CORR_EVENT_COUNT:
		v = g->count;
		break;
	case CORR_VALUE_COUNT:
		v = g->nvals;
		break;
	default:
		for (size_t k = 0; k < co->nrefs; k++)
			if (g->ts[k] != UNSET && g->ts[k] >= g->first_ts)
				v++;
		break;
	}
	if (cmp_ok(co, v))
		fire(rs, g, v, g->first_ts, g->last_ts, NULL);
}

static void
group_reset(struct corr_group *g, const struct sigma_corr *co)
{
	g->count = 0;
	g->nring = g->ring_head = 0;
	g->nvals = 0;
	g->first_ts = UNSET;
	if (co->type == CORR_TEMPORAL || co->type == CORR_TEMPORAL_ORDERED)
		for (size_t k = 0; k < co->nrefs; k++)
			g->ts[k] = UNSET;
}

/* Frees idle groups, oldest first; busy ones are left alone. */
static void
expire(struct sigma_ruleset *rs)
{
	int budget = 64;	/* bounded work per event */
	if (rs->in_expire)
		return;
	rs->in_expire = true;
	while (budget-- > 0) {
		struct corr_group *g = rs->lru_tail;
		while (g && g->busy)
			g = g->prev;
		if (g == NULL)
			break;
		const struct sigma_corr *co = rule_at(rs, g->rule)->corr;
		if (g->last_ts > rs->now_ms - co->timespan_ms)
			break;
		/* Restart from the tail each time: closing a window can
		 * feed other correlations, which changes the list. */
		group_detach(rs, g);
		close_window(rs, g);
		free(g);
		rs->stats.corr_expired++;
	}
	rs->in_expire = false;
}

static bool
evict_one(struct sigma_ruleset *rs)
{
	for (struct corr_group *g = rs->lru_tail; g; g = g->prev) {
		if (g->busy)
			continue;
		group_detach(rs, g);
		free(g);
		rs->stats.corr_evicted++;
		return true;
	}
	return false;
}

static uint64_t
group_hash(uint32_t rule, const unsigned char *key, size_t keylen)
{
	return sigma_hash((const char *)key, keylen) ^ ((uint64_t)rule * 0x9e3779b97f4a7c15ull);
}

struct corr_group *
sigma_corr_group_find(struct sigma_ruleset *rs, uint32_t rule, const unsigned char *key,
    size_t keylen)
{
	uint64_t h = group_hash(rule, key, keylen);
	for (struct corr_group *g = rs->buckets[h & (rs->nbuckets - 1)]; g; g = g->hnext)
		if (g->hash == h && g->rule == rule && g->keylen == keylen &&
		    memcmp(g->key, key, keylen) == 0)
			return g;
	return NULL;
}

void
sigma_corr_group_size(const struct sigma_corr *co, size_t *nts, size_t *nv)
{
	*nts = *nv = 0;
	if (co->type == CORR_EVENT_COUNT && co->monotonic && co->need <= SIGMA_CORR_RING)
		*nts = co->need;
	else if (co->type == CORR_TEMPORAL || co->type == CORR_TEMPORAL_ORDERED)
		*nts = co->nrefs;
	else if (co->type == CORR_VALUE_COUNT)
		*nv = co->monotonic ? co->need : SIGMA_CORR_VALUES;
}

struct corr_group *
sigma_corr_group_get(struct sigma_ruleset *rs, uint32_t rule, const unsigned char *key,
    size_t keylen, int64_t ts)
{
	const struct sigma_corr *co = rule_at(rs, rule)->corr;
	uint64_t h = group_hash(rule, key, keylen);
	struct corr_group *g = sigma_corr_group_find(rs, rule, key, keylen);

	if (g) {
		lru_unlink(rs, g);
		lru_push(rs, g);
		return g;
	}
	expire(rs);
	size_t nts, nv;
	sigma_corr_group_size(co, &nts, &nv);
	size_t head = (sizeof(struct corr_group) + keylen + 7) & ~(size_t)7;
	size_t bytes = head + nts * sizeof(int64_t) + nv * sizeof(struct vslot);
	while (rs->ngroups >= rs->max_groups ||
	    rs->corr_bytes + bytes > SIGMA_CORR_MAX_BYTES) {
		if (!evict_one(rs)) {
			rs->stats.corr_evicted++;
			return NULL;
		}
	}
	if ((g = calloc(1, bytes)) == NULL)
		return NULL;
	g->rule = rule;
	g->hash = h;
	g->bytes = bytes;
	g->keylen = keylen;
	memcpy(g->key, key, keylen);
	g->ts = nts ? (int64_t *)(void *)((char *)g + head) : NULL;
	g->vals = nv ? (struct vslot *)(void *)((char *)g + head + nts * sizeof(int64_t)) : NULL;
	g->cap = (uint32_t)nv;
	g->last_ts = ts;
	group_reset(g, co);
	g->hnext = rs->buckets[h & (rs->nbuckets - 1)];
	rs->buckets[h & (rs->nbuckets - 1)] = g;
	lru_push(rs, g);
	rs->ngroups++;
	rs->corr_bytes += bytes;
	rs->stats.corr_groups = rs->ngroups;
	return g;
}

/* A field of the input: from the event, or from a correlation's hit. */
static bool
input_value(struct sigma_ruleset *rs, uint32_t slot, const char *name,
    const struct event *ev, const struct sigma_hit *from, struct span *out)
{
	uint32_t which;
	if (from == NULL)
		return ev && sigma_slot_value(rs, slot, ev, out, &which);
	const struct sigma_rule *src = (const struct sigma_rule *)(const void *)
	    ((const char *)from->rule - offsetof(struct sigma_rule, info));
	const char *ecs = sigma_field_ecs(name);
	for (size_t k = 0; k < from->ngroup && k < src->corr->ngroup; k++) {
		if (strcmp(src->corr->group[k], name) == 0 ||
		    strcmp(from->group_fields[k], ecs ? ecs : name) == 0) {
			*out = from->group_values[k];
			return true;
		}
	}
	return false;
}

static void
feed_one(struct sigma_ruleset *rs, uint32_t crule, uint32_t pos,
    const struct event *ev, const struct sigma_hit *from)
{
	struct sigma_rule *cr = rule_at(rs, crule);
	const struct sigma_corr *co = cr->corr;
	unsigned char key[16 * (2 + KEY_VALUE_MAX)];
	size_t klen = 0;
	int64_t t;
	struct span v;

	if (from)
		t = from->ts_ms;
	else
		t = ev->ts_ms ? ev->ts_ms : rs->now_ms;
	for (size_t g = 0; g < co->ngroup && g < 16; g++) {
		size_t idx = pos * co->ngroup + g;
		if (!input_value(rs, co->group_slot[idx], co->group_name[idx], ev, from, &v))
			v.len = 0;
		size_t l = v.len > KEY_VALUE_MAX ? KEY_VALUE_MAX : v.len;
		key[klen++] = (unsigned char)(l & 0xff);
		key[klen++] = (unsigned char)(l >> 8);
		if (l)
			memcpy(key + klen, v.p, l);
		klen += l;
	}
	/* value_count: the value is read before the group can move memory. */
	uint64_t vh = 0;
	bool have_v = false;
	if (co->type == CORR_VALUE_COUNT) {
		const char *vf = co->value_field;
		have_v = input_value(rs, co->value_slot[pos], vf, ev, from, &v);
		if (have_v)
			vh = sigma_hash(v.p, v.len);
	}
	struct corr_group *g = sigma_corr_group_get(rs, crule, key, klen, t);
	if (g == NULL)
		return;
	if (t > g->last_ts)
		g->last_ts = t;
	/* Tumbling windows (non-monotonic, or counts beyond the ring). */
	bool tumbling = !co->monotonic || (co->type == CORR_EVENT_COUNT &&
	    co->need > SIGMA_CORR_RING);
	if (tumbling && g->first_ts != UNSET && t - g->first_ts > co->timespan_ms) {
		close_window(rs, g);
		group_reset(g, co);
	}
	if (g->first_ts == UNSET)
		g->first_ts = t;

	switch (co->type) {
	case CORR_EVENT_COUNT:
		if (!tumbling) {
			g->ts[(g->ring_head + g->nring) % co->need] = t;
			if (g->nring < co->need) {
				g->nring++;
			} else {
				g->ring_head = (uint32_t)((g->ring_head + 1) % co->need);
			}
			if (g->nring == co->need) {
				int64_t oldest = g->ts[g->ring_head];
				if (t - oldest <= co->timespan_ms) {
					group_reset(g, co);
					fire(rs, g, co->need, oldest, t, ev);
				}
			}
			break;
		}
		g->count++;
		if (co->monotonic && g->count >= co->need) {
			int64_t first = g->first_ts;
			uint64_t cnt = g->count;
			group_reset(g, co);
			fire(rs, g, cnt, first, t, ev);
		}
		break;
	case CORR_VALUE_COUNT: {
		if (!have_v)
			break;
		uint32_t j, n = 0;
		int64_t oldest = t;
		size_t oldest_i = 0;
		/* Slide: drop values last seen before the window. */
		for (j = 0; j < g->nvals; j++) {
			if (co->monotonic && t - g->vals[j].ts > co->timespan_ms)
				continue;
			g->vals[n++] = g->vals[j];
		}
		g->nvals = n;
		for (j = 0; j < g->nvals; j++)
			if (g->vals[j].h == vh)
				break;
		if (j < g->nvals) {
			g->vals[j].ts = t;
		} else if (g->nvals < g->cap) {
			g->vals[g->nvals].h = vh;
			g->vals[g->nvals].ts = t;
			g->nvals++;
		} else if (co->monotonic && g->cap) {
			for (j = 0; j < g->nvals; j++)
				if (g->vals[j].ts < oldest) {
					oldest = g->vals[j].ts;
					oldest_i = j;
				}
			g->vals[oldest_i].h = vh;
			g->vals[oldest_i].ts = t;
		}
		if (co->monotonic && g->nvals >= co->need) {
			int64_t first = t;
			uint64_t cnt = g->nvals;
			for (j = 0; j < g->nvals; j++)
				if (g->vals[j].ts < first)
					first = g->vals[j].ts;
			group_reset(g, co);
			fire(rs, g, cnt, first, t, ev);
		}
		break;
	}
	case CORR_TEMPORAL: {
		uint64_t n = 0;
		int64_t first = t;
		g->ts[pos] = t;
		if (!co->monotonic)
			break;
		for (size_t k = 0; k < co->nrefs; k++) {
			if (g->ts[k] != UNSET && t - g->ts[k] <= co->timespan_ms) {
				n++;
				if (g->ts[k] < first)
					first = g->ts[k];
			}
		}
		if (n >= co->need) {
			group_reset(g, co);
			fire(rs, g, n, first, t, ev);
		}
		break;
	}
	case CORR_TEMPORAL_ORDERED: {
		/* ts[k]: latest start time of a chain that reached step k. */
		if (pos == 0) {
			g->ts[0] = t;
		} else if (g->ts[pos - 1] != UNSET && t - g->ts[pos - 1] <= co->timespan_ms) {
			if (g->ts[pos] == UNSET || g->ts[pos - 1] > g->ts[pos])
				g->ts[pos] = g->ts[pos - 1];
		}
		if (pos == co->nrefs - 1 && g->ts[pos] != UNSET) {
			int64_t first = g->ts[pos];
			group_reset(g, co);
			fire(rs, g, co->nrefs, first, t, ev);
		}
		break;
	}
	}
}

void
sigma_corr_feed(struct sigma_ruleset *rs, uint32_t rule, const struct event *ev,
    const struct sigma_hit *from)
{
	const struct sigma_rule *r = rule_at(rs, rule);
	/* Last position first: one event never serves two ordered steps. */
	for (size_t i = r->deps.n; i-- > 0;) {
		const struct sigma_dep *d = vec_at(&r->deps, i);
		const struct sigma_rule *c = rule_at(rs, d->corr_rule);
		if (c->dead || c->dormant)
			continue;
		feed_one(rs, d->corr_rule, d->pos, ev, from);
	}
}

void
sigma_corr_flush(struct sigma_ruleset *rs)
{
	struct corr_group *g;
	while ((g = rs->lru_tail) != NULL) {
		group_detach(rs, g);
		close_window(rs, g);
		free(g);
	}
}

void
sigma_corr_free(struct sigma_ruleset *rs)
{
	struct corr_group *g = rs->lru_head;
	while (g) {
		struct corr_group *n = g->next;
		free(g);
		g = n;
	}
	rs->lru_head = rs->lru_tail = NULL;
	free(rs->buckets);
	rs->buckets = NULL;
}
