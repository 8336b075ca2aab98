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

/* Five 64-bit words of the key, multiplied and folded: a per-byte loop was
 * a visible share of the sensor's time. */
uint32_t
flow_key_hash(const struct flow_key *k)
{
	uint64_t w[5];
	_Static_assert(sizeof(*k) == sizeof(w), "flow_key is five words");
	memcpy(w, k, sizeof(w));
	uint64_t h = 0x9e3779b97f4a7c15ULL;
	for (int i = 0; i < 5; i++) {
		h ^= w[i];
		h *= 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	h ^= h >> 29;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return (uint32_t)(h ^ (h >> 32));
}

bool
flow_pkt_to_server(const struct flow *f, const struct pkt *p)
{
	if (p->l4 == L4_ICMP || p->l4 == L4_ICMP6)
		return memcmp(p->src.b, f->src.b, 16) == 0;
	return memcmp(p->src.b, f->src.b, 16) == 0 && p->sport == f->sport;
}
