/* decode_tcp.c - TCP header; options are walked only to validate them. */
#include "sensor/decode.h"

void
decode_tcp(struct cursor *c, struct pkt *p)
{
	uint16_t sport, dport, win, csum, urg;
	uint32_t seq, ack;
	uint8_t off, flags;
	if (cursor_u16be(c, &sport) != 0 || cursor_u16be(c, &dport) != 0 ||
	    cursor_u32be(c, &seq) != 0 || cursor_u32be(c, &ack) != 0 ||
	    cursor_u8(c, &off) != 0 || cursor_u8(c, &flags) != 0 ||
	    cursor_u16be(c, &win) != 0 || cursor_u16be(c, &csum) != 0 ||
	    cursor_u16be(c, &urg) != 0) {
		decode_anomaly(p, ANOM_TCP_TRUNC);
		return;
	}
	size_t hlen = (size_t)(off >> 4) * 4;
	if (hlen < 20) {
		decode_anomaly(p, ANOM_TCP_BAD_HLEN);
		return;
	}
	struct span opts;
	if (cursor_bytes(c, hlen - 20, &opts) != 0) {
		decode_anomaly(p, ANOM_TCP_TRUNC);
		return;
	}
	for (size_t i = 0; i < opts.len;) {
		uint8_t kind = (uint8_t)opts.p[i];
		if (kind == 0)
			break;
		if (kind == 1) {
			i++;
			continue;
		}
		if (i + 1 >= opts.len || (uint8_t)opts.p[i + 1] < 2 ||
		    i + (uint8_t)opts.p[i + 1] > opts.len) {
			decode_anomaly(p, ANOM_TCP_BAD_OPTLEN);
			break;	/* header is still usable */
		}
		i += (uint8_t)opts.p[i + 1];
	}
	p->l4 = L4_TCP;
	p->sport = sport;
	p->dport = dport;
	p->tcp_seq = seq;
	p->tcp_ack = ack;
	p->tcp_flags = flags;
	p->payload.p = (const char *)c->p + c->off;
	p->payload.len = cursor_left(c);
}
