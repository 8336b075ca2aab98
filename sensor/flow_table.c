/* flow_table.c - chained hash over a fixed pool, LRU-ordered for expiry. */
#include "sensor/flow_table.h"

#include <stdlib.h>
#include <string.h>

#include "common/err.h"

int
flow_table_init(struct flow_table *t, size_t max_flows, flow_end_fn on_end, void *ud)
{
	memset(t, 0, sizeof(*t));
	if (max_flows == 0)
		max_flows = 1;
	if (max_flows > FLOW_TABLE_MAX_CAP)
		max_flows = FLOW_TABLE_MAX_CAP;
	size_t nb = 1;
	while (nb < max_flows)
		nb <<= 1;
	t->max_buckets = nb;
	nb = nb < FLOW_TABLE_MIN_BUCKETS ? nb : FLOW_TABLE_MIN_BUCKETS;
	/* cache-line aligned, so each flow's first line is its hot one; not
	 * zeroed: a slot is cleared when first taken, so an idle table costs
	 * no page faults */
	t->pool = aligned_alloc(_Alignof(struct flow), max_flows * sizeof(*t->pool));
	t->buckets = malloc(nb * sizeof(*t->buckets));
	if (!t->pool || !t->buckets) {
		flow_table_free(t);
		return MAMORI_E_NOMEM;
	}
	memset(t->buckets, 0xff, nb * sizeof(*t->buckets));	/* FLOW_NONE */
	t->nbuckets = nb;
	t->cap = max_flows;
	t->free_list = t->oldest = t->newest = FLOW_NONE;
	t->timeout_us = 120 * 1000000LL;
	t->closed_timeout_us = 10 * 1000000LL;
	t->on_end = on_end;
	t->ud = ud;
	t->next_id = 1;
	return MAMORI_OK;
}

void
flow_table_free(struct flow_table *t)
{
	free(t->pool);
	free(t->buckets);
	t->pool = NULL;
	t->buckets = NULL;
}

static void
lru_unlink(struct flow_table *t, struct flow *f)
{
	if (f->lprev != FLOW_NONE)
		t->pool[f->lprev].lnext = f->lnext;
	else
		t->oldest = f->lnext;
	if (f->lnext != FLOW_NONE)
		t->pool[f->lnext].lprev = f->lprev;
	else
		t->newest = f->lprev;
	f->lprev = f->lnext = FLOW_NONE;
}

static void
lru_append(struct flow_table *t, struct flow *f, uint32_t i)
{
	f->lprev = t->newest;
	f->lnext = FLOW_NONE;
	if (t->newest != FLOW_NONE)
		t->pool[t->newest].lnext = i;
	else
		t->oldest = i;
	t->newest = i;
}

static void
remove_flow(struct flow_table *t, uint32_t i, enum flow_end_reason why)
{
	struct flow *f = &t->pool[i];
	if (t->on_end)
		t->on_end(t->ud, f, why);
	uint32_t *pp = &t->buckets[f->hash & (t->nbuckets - 1)];
	while (*pp != FLOW_NONE && *pp != i)
		pp = &t->pool[*pp].hnext;
	if (*pp != FLOW_NONE)
		*pp = f->hnext;
	lru_unlink(t, f);
	/* a free slot is all zero but its link (sensor_free walks them) */
	memset(f, 0, sizeof(*f));
	f->hnext = t->free_list;
	t->free_list = i;
	t->used--;
}

/* Doubles the bucket array once live flows fill half of it (short chains:
 * ending a flow walks its chain to unlink it).
 * Sized to the live flows rather than the cap, the array stays in the
 * cache: at the cap's 65,536 buckets the load of a cold bucket was most
 * of the cost of looking up and of ending a flow. Without memory for the
 * larger array the table keeps working with longer chains. */
static void
grow(struct flow_table *t)
{
	size_t nb = t->nbuckets * 2;
	uint32_t *b = malloc(nb * sizeof(*b));
	if (!b)
		return;
	memset(b, 0xff, nb * sizeof(*b));
	for (uint32_t i = t->oldest; i != FLOW_NONE; i = t->pool[i].lnext) {
		uint32_t *head = &b[t->pool[i].hash & (nb - 1)];
		t->pool[i].hnext = *head;
		*head = i;
	}
	free(t->buckets);
	t->buckets = b;
	t->nbuckets = nb;
}

struct flow *
flow_table_get(struct flow_table *t, const struct pkt *p, bool *to_server, bool *created)
{
	struct flow_key k;
	bool swapped;
	uint32_t h = flow_key_make(p, &k, &swapped);
	uint32_t *bucket = &t->buckets[h & (t->nbuckets - 1)];
	*created = false;
	for (uint32_t i = *bucket; i != FLOW_NONE; i = t->pool[i].hnext) {
		struct flow *f = &t->pool[i];
		if (f->hash == h && flow_key_eq(&f->key, &k)) {
			/* packets come in bursts per flow: the newest stays put */
			if (t->newest != i) {
				lru_unlink(t, f);
				lru_append(t, f, i);
			}
			*to_server = flow_pkt_to_server(f, p);
			return f;
		}
	}
	if (t->free_list == FLOW_NONE && t->fresh == t->cap) {
		if (t->oldest == FLOW_NONE)
			return NULL;
		t->evicted++;
		remove_flow(t, t->oldest, FLOW_END_EVICTED);
		bucket = &t->buckets[h & (t->nbuckets - 1)];
	}
	uint32_t i = t->free_list;
	struct flow *f;
	if (i != FLOW_NONE) {
		f = &t->pool[i];
		t->free_list = f->hnext;
	} else {
		i = (uint32_t)t->fresh++;
		f = &t->pool[i];
		memset(f, 0, sizeof(*f));
	}
	f->key = k;
	f->hash = h;
	/* Suricata's flow_id is a positive 51-bit number: keep JSON-safe. */
	f->id = (((uint64_t)h << 20) ^ t->next_id++) & ((1ULL << 51) - 1);
	f->src = p->src;
	f->dst = p->dst;
	f->sport = p->sport;
	f->dport = p->dport;
	/* A SYN-ACK first means we joined mid-handshake: the server sent it. */
	if (p->l4 == L4_TCP && (p->tcp_flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK)) {
		f->src = p->dst;
		f->dst = p->src;
		f->sport = p->dport;
		f->dport = p->sport;
	}
	f->proto = p->ip_proto;
	f->first_us = f->last_us = p->ts_us;
	f->hnext = *bucket;
	*bucket = i;
	lru_append(t, f, i);
	t->used++;
	t->total++;
	if (t->used * 2 > t->nbuckets && t->nbuckets < t->max_buckets)
		grow(t);
	*created = true;
	*to_server = flow_pkt_to_server(f, p);
	return f;
}

void
flow_table_expire(struct flow_table *t, int64_t now_us)
{
	/* The list is ordered by last packet, so stop at the first live one;
	 * closed flows behind a live one wait for it (bounded by timeout). */
	while (t->oldest != FLOW_NONE) {
		struct flow *f = &t->pool[t->oldest];
		int64_t to = f->closed ? t->closed_timeout_us : t->timeout_us;
		if (now_us - f->last_us <= to)
			break;
		/* Flows end in runs and each is cold by then: fetch the next
		 * one's lines while this one's event is written. */
		if (f->lnext != FLOW_NONE) {
			const char *n = (const char *)&t->pool[f->lnext];
			for (size_t off = 0; off < sizeof(*f); off += 64)
				__builtin_prefetch(n + off);
		}
		t->timed_out++;
		remove_flow(t, t->oldest, FLOW_END_TIMEOUT);
	}
}

void
flow_table_flush(struct flow_table *t)
{
	while (t->oldest != FLOW_NONE)
		remove_flow(t, t->oldest, FLOW_END_SHUTDOWN);
}
