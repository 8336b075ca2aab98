/* decode_arp.c - ARP over Ethernet/IPv4 (the sender is what asset
 * discovery wants: MAC and IP of a device on the LAN). */
#include "sensor/decode.h"

void
decode_arp(struct cursor *c, struct pkt *p)
{
	uint16_t htype, ptype, op;
	uint8_t hlen, plen;
	struct span sha, spa, tha, tpa;
	if (cursor_u16be(c, &htype) != 0 || cursor_u16be(c, &ptype) != 0 ||
	    cursor_u8(c, &hlen) != 0 || cursor_u8(c, &plen) != 0 ||
	    cursor_u16be(c, &op) != 0) {
		decode_anomaly(p, ANOM_ARP_TRUNC);
		return;
	}
	p->is_arp = true;
	if (htype != 1 || ptype != 0x0800 || hlen != 6 || plen != 4)
		return;	/* not Ethernet/IPv4 ARP: nothing more to read */
	if (cursor_bytes(c, 6, &sha) != 0 || cursor_bytes(c, 4, &spa) != 0 ||
	    cursor_bytes(c, 6, &tha) != 0 || cursor_bytes(c, 4, &tpa) != 0) {
		decode_anomaly(p, ANOM_ARP_TRUNC);
		return;
	}
	ip_addr_set_v4(&p->src, (const uint8_t *)spa.p);
	ip_addr_set_v4(&p->dst, (const uint8_t *)tpa.p);
	p->icmp_type = (uint8_t)op;	/* 1 request, 2 reply: kept for discovery */
}
