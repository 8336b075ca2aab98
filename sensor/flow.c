/* flow.c - flow keys: one canonical key for both directions. */
#include "sensor/flow.h"

#include <endian.h>
#include <string.h>

/* memcmp's order over the 16 bytes, as two big-endian words: a libc call
 * per packet was visible in the profile. */
static inline int
addr_cmp(const struct ip_addr *x, const struct ip_addr *y)
{
	uint64_t a[2], b[2];
	memcpy(a, x->b, 16);
	memcpy(b, y->b, 16);
	for (int i = 0; i < 2; i++) {
		if (a[i] != b[i]) {
			uint64_t u = be64toh(a[i]), v = be64toh(b[i]);
			return u < v ? -1 : 1;
		}
	}
	return 0;
}

void
flow_key_make(const struct pkt *p, struct flow_key *k, bool *swapped)
{
	memset(k, 0, sizeof(*k));
	int c = addr_cmp(&p->src, &p->dst);
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
