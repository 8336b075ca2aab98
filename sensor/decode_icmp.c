/* decode_icmp.c - ICMP and ICMPv6: type, code and the rest as payload
 * (echo payloads are what ICMP tunnels carry). */
#include "sensor/decode.h"

void
decode_icmp(struct cursor *c, struct pkt *p)
{
	uint8_t type, code;
	uint16_t csum;
	if (cursor_u8(c, &type) != 0 || cursor_u8(c, &code) != 0 ||
	    cursor_u16be(c, &csum) != 0) {
		decode_anomaly(p, ANOM_ICMP_TRUNC);
		return;
	}
	p->icmp_type = type;
	p->icmp_code = code;
	/* Flows of ICMP are keyed by type/code like Suricata does. */
	p->sport = type;
	p->dport = code;
	p->payload.p = (const char *)c->p + c->off;
	p->payload.len = cursor_left(c);
}
