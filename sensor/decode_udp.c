/* decode_udp.c - UDP header; the payload is cut to the UDP length. */
#include "sensor/decode.h"

void
decode_udp(struct cursor *c, struct pkt *p)
{
	uint16_t sport, dport, len, csum;
	if (cursor_u16be(c, &sport) != 0 || cursor_u16be(c, &dport) != 0 ||
	    cursor_u16be(c, &len) != 0 || cursor_u16be(c, &csum) != 0) {
		decode_anomaly(p, ANOM_UDP_TRUNC);
		return;
	}
	p->l4 = L4_UDP;
	p->sport = sport;
	p->dport = dport;
	size_t n = cursor_left(c);
	/* len 0 is legal for IPv6 jumbograms only; a first fragment carries
	 * less than len. Both keep what was captured. */
	if (len != 0 && len < 8) {
		decode_anomaly(p, ANOM_UDP_BAD_LEN);
		return;
	}
	if (len >= 8 && (size_t)len - 8 < n)
		n = (size_t)len - 8;
	else if (len >= 8 && (size_t)len - 8 > n && !p->frag && p->cap_len == p->wire_len)
		decode_anomaly(p, ANOM_UDP_BAD_LEN);
	p->payload.p = (const char *)c->p + c->off;
	p->payload.len = n;
}
