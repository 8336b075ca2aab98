/* decode_ipv6.c - IPv6 header and extension-header chain (hop-by-hop,
 * routing, fragment, destination options, AH), capped at DECODE_MAX_DEPTH. */
#include "sensor/decode.h"

void
decode_ipv6(struct cursor *c, struct pkt *p)
{
	uint32_t vtf;
	uint16_t plen;
	uint8_t nh, hlim;
	struct span src, dst;
	if (cursor_u32be(c, &vtf) != 0 || cursor_u16be(c, &plen) != 0 ||
	    cursor_u8(c, &nh) != 0 || cursor_u8(c, &hlim) != 0 ||
	    cursor_bytes(c, 16, &src) != 0 || cursor_bytes(c, 16, &dst) != 0) {
		decode_anomaly(p, ANOM_IPV6_TRUNC);
		return;
	}
	if (vtf >> 28 != 6) {
		decode_anomaly(p, ANOM_IPV6_BAD_VERSION);
		return;
	}
	p->ip_ver = 6;
	p->ttl = hlim;
	p->ip_len = 40u + plen;
	for (int i = 0; i < 16; i++) {
		p->src.b[i] = (uint8_t)src.p[i];
		p->dst.b[i] = (uint8_t)dst.p[i];
	}
	if (c->off + plen < c->len)
		c->len = c->off + plen;	/* drop link-layer padding */
	for (;;) {
		if (++p->depth > DECODE_MAX_DEPTH) {
			decode_anomaly(p, ANOM_IPV6_TOO_DEEP);
			return;
		}
		uint8_t next, len8;
		switch (nh) {
		case 0:		/* hop-by-hop */
		case 43:	/* routing */
		case 60:	/* destination options */
		case 135:	/* mobility */
			if (cursor_u8(c, &next) != 0 || cursor_u8(c, &len8) != 0 ||
			    cursor_skip(c, (size_t)len8 * 8 + 6) != 0) {
				decode_anomaly(p, ANOM_IPV6_EXTHDR_TRUNC);
				return;
			}
			nh = next;
			continue;
		case 51:	/* AH: length in 4-byte units, minus 2 */
			if (cursor_u8(c, &next) != 0 || cursor_u8(c, &len8) != 0 ||
			    cursor_skip(c, ((size_t)len8 + 2) * 4 - 2) != 0) {
				decode_anomaly(p, ANOM_IPV6_EXTHDR_TRUNC);
				return;
			}
			nh = next;
			continue;
		case 44: {	/* fragment */
			uint8_t rsv;
			uint16_t offm;
			uint32_t ident;
			if (cursor_u8(c, &next) != 0 || cursor_u8(c, &rsv) != 0 ||
			    cursor_u16be(c, &offm) != 0 || cursor_u32be(c, &ident) != 0) {
				decode_anomaly(p, ANOM_IPV6_EXTHDR_TRUNC);
				return;
			}
			p->frag = true;
			p->frag_first = (offm & 0xfff8) == 0;
			p->ip_id = (uint16_t)ident;
			/* the transport header is read from the reassembled datagram */
			p->ip_proto = next;
			p->frag_more = (offm & 1) != 0;
			p->frag_offset = offm & 0xfff8;
			p->frag_id = ident;
			p->frag_data.p = (const char *)c->p + c->off;
			p->frag_data.len = cursor_left(c);
			p->frag_cut = p->cap_len < p->wire_len;
			return;
		}
		default:
			break;
		}
		break;
	}
	p->ip_proto = nh;
	switch (nh) {
	case 6:
		decode_tcp(c, p);
		break;
	case 17:
		decode_udp(c, p);
		break;
	case 58:
		p->l4 = L4_ICMP6;
		decode_icmp(c, p);
		break;
	case 59:	/* no next header */
		break;
	default:
		p->l4 = L4_OTHER;
		p->payload.p = (const char *)c->p + c->off;
		p->payload.len = cursor_left(c);
		break;
	}
}
