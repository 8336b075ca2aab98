/* flow.c - flow keys: one canonical key for both directions. */
#include "sensor/flow.h"

#include <string.h>

void
flow_key_make(const struct pkt *p, struct flow_key *k, bool *swapped)
{
	memset(k, 0, sizeof(*k));
	int c = memcmp(p->src.b, p->dst.b, 16);
	bool sw = c > 0 || (c == 0 && p->sport > p->dport);
	k->a = sw ? p->dst : p->src;
	k->b = sw ? p->src : p->dst;
	k->pa = sw ? p->dport : p->sport;
	k->pb = sw ? p->sport : p->dport;
	/* ICMP "ports" are type/code: echo request and reply must meet. */
	if (p->l4 == L4_ICMP || p->l4 == L4_ICMP6)
		k->pa = k->pb = 0;
	k->vlan = p->nvlan ? p->vlan[0] : 0;
	k->proto = p->ip_proto;
	*swapped = sw;
}

/* FNV-1a over the key bytes; the table mixes it further. */
uint32_t
flow_key_hash(const struct flow_key *k)
{
	const uint8_t *b = (const uint8_t *)k;
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < sizeof(*k); i++) {
		h ^= b[i];
		h *= 16777619u;
	}
	h ^= h >> 15;
	h *= 0x2c1b3c6dU;
	h ^= h >> 12;
	return h;
}

bool
flow_pkt_to_server(const struct flow *f, const struct pkt *p)
{
	if (p->l4 == L4_ICMP || p->l4 == L4_ICMP6)
		return memcmp(p->src.b, f->src.b, 16) == 0;
	return memcmp(p->src.b, f->src.b, 16) == 0 && p->sport == f->sport;
}
