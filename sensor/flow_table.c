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
	size_t nb = 1;
	while (nb < max_flows)
		nb <<= 1;
	t->max_buckets = nb;
	nb = nb < FLOW_TABLE_MIN_BUCKETS ? nb : FLOW_TABLE_MIN_BUCKETS;
	t->pool = calloc(max_flows, sizeof(*t->pool));
	t->buckets = calloc(nb, sizeof(*t->buckets));
	if (!t->pool || !t->buckets) {
		flow_table_free(t);
		return MAMORI_E_NOMEM;
	}
	t->nbuckets = nb;
	t->cap = max_flows;
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
	if (f->lprev)
		f->lprev->lnext = f->lnext;
	else
		t->oldest = f->lnext;
	if (f->lnext)
		f->lnext->lprev = f->lprev;
	else
		t->newest = f->lprev;
	f->lprev = f->lnext = NULL;
}

static void
lru_append(struct flow_table *t, struct flow *f)
{
	f->lprev = t->newest;
	f->lnext = NULL;
	if (t->newest)
		t->newest->lnext = f;
	else
		t->oldest = f;
	t->newest = f;
}

static void
remove_flow(struct flow_table *t, struct flow *f, enum flow_end_reason why)
{
	if (t->on_end)
		t->on_end(t->ud, f, why);
	struct flow **pp = &t->buckets[f->hash & (t->nbuckets - 1)];
	while (*pp && *pp != f)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = f->hnext;
	lru_unlink(t, f);
	memset(f, 0, sizeof(*f));
	f->hnext = t->free_list;
	t->free_list = f;
	t->used--;
}

/* Doubles the bucket array once there are more live flows than buckets.
 * Sized to the live flows rather than the cap, the array stays in the
 * cache: at the cap's 65,536 buckets the load of a cold bucket was most
 * of the cost of looking up and of ending a flow. Without memory for the
 * larger array the table keeps working with longer chains. */
static void
grow(struct flow_table *t)
{
	size_t nb = t->nbuckets * 2;
	struct flow **b = calloc(nb, sizeof(*b));
	if (!b)
		return;
	for (struct flow *f = t->oldest; f; f = f->lnext) {
		struct flow **head = &b[f->hash & (nb - 1)];
		f->hnext = *head;
		*head = f;
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
	flow_key_make(p, &k, &swapped);
	uint32_t h = flow_key_hash(&k);
	struct flow **bucket = &t->buckets[h & (t->nbuckets - 1)];
	*created = false;
	for (struct flow *f = *bucket; f; f = f->hnext) {
		if (f->hash == h && memcmp(&f->key, &k, sizeof(k)) == 0) {
			lru_unlink(t, f);
			lru_append(t, f);
			*to_server = flow_pkt_to_server(f, p);
			return f;
		}
	}
	if (!t->free_list && t->fresh == t->cap) {
		if (!t->oldest)
			return NULL;
		t->evicted++;
		remove_flow(t, t->oldest, FLOW_END_EVICTED);
		bucket = &t->buckets[h & (t->nbuckets - 1)];
	}
	struct flow *f = t->free_list;
	if (f)
		t->free_list = f->hnext;
	else
		f = &t->pool[t->fresh++];
	memset(f, 0, sizeof(*f));
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
	*bucket = f;
	lru_append(t, f);
	t->used++;
	t->total++;
	if (t->used > t->nbuckets && t->nbuckets < t->max_buckets)
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
	while (t->oldest) {
		struct flow *f = t->oldest;
		int64_t to = f->closed ? t->closed_timeout_us : t->timeout_us;
		if (now_us - f->last_us <= to)
			break;
		t->timed_out++;
		remove_flow(t, f, FLOW_END_TIMEOUT);
	}
}

void
flow_table_flush(struct flow_table *t)
{
	while (t->oldest)
		remove_flow(t, t->oldest, FLOW_END_SHUTDOWN);
}
