/* flow.c - flow keys: one canonical key for both directions. */
#include "sensor/flow.h"

#include <endian.h>
#include <stddef.h>
#include <string.h>

#include "common/hash.h"

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
hash_words(uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3, uint64_t w4)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL;
	h = hash_step(hash_step(hash_step(hash_step(hash_step(h, w0), w1), w2), w3), w4);
	return hash_final(h);
}

static inline uint64_t
word(const void *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return w;
}

static inline void
put_word(struct flow_key *k, size_t i, uint64_t w)
{
	memcpy((char *)k + 8 * i, &w, 8);
}

/* The key is put together as five words in registers and stored a word
 * at a time: written field by field (or through a scratch array) and then
 * read back wider, the reads waited for the narrower stores before them. */
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
	const uint8_t *a = sw ? p->dst.b : p->src.b, *b = sw ? p->src.b : p->dst.b;
	uint64_t w0 = word(a), w1 = word(a + 8), w2 = word(b), w3 = word(b + 8), w4;
	memcpy(&w4, &tail, 8);
	put_word(k, 0, w0);
	put_word(k, 1, w1);
	put_word(k, 2, w2);
	put_word(k, 3, w3);
	put_word(k, 4, w4);
	*swapped = sw;
	return hash_words(w0, w1, w2, w3, w4);
}

uint32_t
flow_key_hash(const struct flow_key *k)
{
	return hash_words(word(k), word((const char *)k + 8), word((const char *)k + 16),
	    word((const char *)k + 24), word((const char *)k + 32));
}

bool
flow_pkt_to_server(const struct flow *f, const struct pkt *p)
{
	if (p->l4 == L4_ICMP || p->l4 == L4_ICMP6)
		return memcmp(p->src.b, f->src.b, 16) == 0;
	return memcmp(p->src.b, f->src.b, 16) == 0 && p->sport == f->sport;
}
