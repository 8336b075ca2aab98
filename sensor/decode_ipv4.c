/* decode_ipv4.c - IPv4 header, options skipped, fragments detected. The
 * datagram is cut to its total length (Ethernet pads short frames). */
#include "sensor/decode.h"

void
decode_ipv4(struct cursor *c, struct pkt *p)
{
	size_t start = c->off;
	uint8_t vhl, tos, ttl, proto;
	uint16_t totlen, id, frag, csum;
	struct span src, dst;
	if (cursor_u8(c, &vhl) != 0 || cursor_u8(c, &tos) != 0 ||
	    cursor_u16be(c, &totlen) != 0 || cursor_u16be(c, &id) != 0 ||
	    cursor_u16be(c, &frag) != 0 || cursor_u8(c, &ttl) != 0 ||
	    cursor_u8(c, &proto) != 0 || cursor_u16be(c, &csum) != 0 ||
	    cursor_bytes(c, 4, &src) != 0 || cursor_bytes(c, 4, &dst) != 0) {
		decode_anomaly(p, ANOM_IPV4_TRUNC);
		return;
	}
	if (vhl >> 4 != 4) {
		decode_anomaly(p, ANOM_IPV4_BAD_VERSION);
		return;
	}
	size_t hlen = (size_t)(vhl & 0x0f) * 4;
	if (hlen < 20) {
		decode_anomaly(p, ANOM_IPV4_BAD_HLEN);
		return;
	}
	if (totlen < hlen) {
		decode_anomaly(p, ANOM_IPV4_BAD_TOTLEN);
		return;
	}
	p->ip_ver = 4;
	p->ip_proto = proto;
	p->ttl = ttl;
	p->ip_id = id;
	p->ip_len = totlen;
	ip_addr_set_v4(&p->src, (const uint8_t *)src.p);
	ip_addr_set_v4(&p->dst, (const uint8_t *)dst.p);
	if (cursor_skip(c, hlen - 20) != 0) {
		decode_anomaly(p, ANOM_IPV4_TRUNC);
		return;
	}
	/* Bound the rest to this datagram; a capture cut short (snaplen) is
	 * normal, a frame shorter than the header says is only "truncated". */
	size_t end = start + totlen;
	if (end < c->len)
		c->len = end;
	uint16_t off = frag & 0x1fff;
	bool mf = (frag & 0x2000) != 0;
	if (off != 0 || mf) {
		p->frag = true;
		p->frag_first = off == 0;
		if (off != 0 && off < 3 && proto == 6) {
			/* a tiny offset over a TCP header: the classic overlap evasion */
			decode_anomaly(p, ANOM_IPV4_FRAG_OVERLAP);
			return;
		}
		/* the transport header is read from the reassembled datagram */
		p->l3_off = (uint16_t)start;
		p->frag_more = mf;
		p->frag_offset = (uint32_t)off * 8;
		p->frag_id = id;
		p->frag_data.p = (const char *)c->p + c->off;
		p->frag_data.len = cursor_left(c);
		p->frag_cut = cursor_left(c) < (size_t)totlen - hlen;
		return;
	}
	if (++p->depth > DECODE_MAX_DEPTH)
		return;
	switch (proto) {
	case 6:
		decode_tcp(c, p);
		break;
	case 17:
		decode_udp(c, p);
		break;
	case 1:
		p->l4 = L4_ICMP;
		decode_icmp(c, p);
		break;
	default:
		p->l4 = L4_OTHER;
		p->payload.p = (const char *)c->p + c->off;
		p->payload.len = cursor_left(c);
		break;
	}
}
