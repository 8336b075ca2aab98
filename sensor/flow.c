/* flow.c - flow keys: one canonical key for both directions. */
#include "sensor/flow.h"

#include <endian.h>
#include <stddef.h>
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

/* Five 64-bit words of the key, multiplied and folded: a per-byte loop was
 * a visible share of the sensor's time. */
static inline uint32_t
hash_words(const uint64_t w[5])
{
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

/* The key is put together as five words and stored whole: written field
 * by field and then read back as words (hash, compare), every read
 * waited for the narrow stores before it. */
uint32_t
flow_key_make(const struct pkt *p, struct flow_key *k, bool *swapped)
{
	_Static_assert(sizeof(*k) == 5 * sizeof(uint64_t), "flow_key is five words");
	int c = addr_cmp(&p->src, &p->dst);
	bool sw = c > 0 || (c == 0 && p->sport > p->dport);
	struct {
		uint16_t pa, pb, vlan;
		uint8_t proto, pad;
	} tail = { sw ? p->dport : p->sport, sw ? p->sport : p->dport,
		p->nvlan ? p->vlan[0] : 0, p->ip_proto, 0 };
	/* ICMP "ports" are type/code: echo request and reply must meet. */
	if (p->l4 == L4_ICMP || p->l4 == L4_ICMP6)
		tail.pa = tail.pb = 0;
	_Static_assert(sizeof(tail) == sizeof(uint64_t) &&
	    offsetof(struct flow_key, pa) == 4 * sizeof(uint64_t), "key tail is one word");
	uint64_t w[5];
	memcpy(&w[0], sw ? p->dst.b : p->src.b, 16);
	memcpy(&w[2], sw ? p->src.b : p->dst.b, 16);
	memcpy(&w[4], &tail, 8);
	memcpy(k, w, sizeof(w));
	*swapped = sw;
	return hash_words(w);
}

uint32_t
flow_key_hash(const struct flow_key *k)
{
	uint64_t w[5];
	memcpy(w, k, sizeof(w));
	return hash_words(w);
}

bool
flow_pkt_to_server(const struct flow *f, const struct pkt *p)
{
	if (p->l4 == L4_ICMP || p->l4 == L4_ICMP6)
		return memcmp(p->src.b, f->src.b, 16) == 0;
	return memcmp(p->src.b, f->src.b, 16) == 0 && p->sport == f->sport;
}
