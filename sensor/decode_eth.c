/* decode_eth.c - link layers (Ethernet, Linux cooked, raw IP, BSD loopback)
 * and the ethertype dispatch every link layer ends in. */
#include "sensor/decode.h"

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP 0x0806
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88a8
#define ETHERTYPE_QINQ_OLD 0x9100
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_PPPOE_SESSION 0x8864

void
decode_anomaly(struct pkt *p, enum anomaly a)
{
	if (p->anomaly == ANOM_NONE)
		p->anomaly = a;
}

/* PPPoE session (DSL uplinks): 6-byte header, then the PPP protocol. */
static void
decode_pppoe(struct cursor *c, struct pkt *p)
{
	uint16_t proto;
	if (cursor_skip(c, 6) != 0 || cursor_u16be(c, &proto) != 0) {
		decode_anomaly(p, ANOM_ETH_TRUNC);
		return;
	}
	if (proto == 0x0021)
		decode_ethertype(c, p, ETHERTYPE_IPV4);
	else if (proto == 0x0057)
		decode_ethertype(c, p, ETHERTYPE_IPV6);
}

void
decode_ethertype(struct cursor *c, struct pkt *p, uint16_t type)
{
	if (++p->depth > DECODE_MAX_DEPTH)
		return;
	p->ethertype = type;
	switch (type) {
	case ETHERTYPE_IPV4:
		decode_ipv4(c, p);
		break;
	case ETHERTYPE_IPV6:
		decode_ipv6(c, p);
		break;
	case ETHERTYPE_ARP:
		decode_arp(c, p);
		break;
	case ETHERTYPE_PPPOE_SESSION:
		decode_pppoe(c, p);
		break;
	case ETHERTYPE_VLAN:
	case ETHERTYPE_QINQ:
	case ETHERTYPE_QINQ_OLD:
		decode_vlan(c, p);
		break;
	default:
		break;	/* LLDP, STP, ...: nothing for the sensor */
	}
}

void
decode_eth(struct cursor *c, struct pkt *p)
{
	uint16_t type;
	if (cursor_skip(c, 12) != 0 || cursor_u16be(c, &type) != 0) {
		decode_anomaly(p, ANOM_ETH_TRUNC);
		return;
	}
	p->src_mac = c->p + 6;
	if (type < 0x0600)
		return;	/* 802.3 length field: LLC/SNAP frames, not IP */
	decode_ethertype(c, p, type);
}

/* Linux cooked capture v1 (tcpdump -i any): 16-byte header, protocol last. */
static void
decode_sll(struct cursor *c, struct pkt *p)
{
	uint16_t type;
	if (cursor_skip(c, 14) != 0 || cursor_u16be(c, &type) != 0) {
		decode_anomaly(p, ANOM_ETH_TRUNC);
		return;
	}
	decode_ethertype(c, p, type);
}

static void
decode_raw(struct cursor *c, struct pkt *p)
{
	if (cursor_left(c) < 1) {
		decode_anomaly(p, ANOM_IPV4_TRUNC);
		return;
	}
	decode_ethertype(c, p, (c->p[c->off] >> 4) == 6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4);
}

void
decode_packet(int linktype, struct pkt *p)
{
	struct cursor c;
	cursor_init(&c, p->data, p->cap_len);
	switch (linktype) {
	case LINKTYPE_ETHERNET:
		decode_eth(&c, p);
		break;
	case LINKTYPE_LINUX_SLL:
		decode_sll(&c, p);
		break;
	case LINKTYPE_RAW:
	case LINKTYPE_IPV4:
	case LINKTYPE_IPV6:
		decode_raw(&c, p);
		break;
	case LINKTYPE_NULL:
		/* 4-byte address family in host order of the capturer */
		if (cursor_skip(&c, 4) != 0)
			decode_anomaly(p, ANOM_ETH_TRUNC);
		else
			decode_raw(&c, p);
		break;
	default:
		decode_anomaly(p, ANOM_UNKNOWN_LINKTYPE);
		break;
	}
}
