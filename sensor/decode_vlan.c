/* decode_vlan.c - 802.1Q and 802.1ad (QinQ) tags, at most DECODE_MAX_VLAN. */
#include "sensor/decode.h"

void
decode_vlan(struct cursor *c, struct pkt *p)
{
	uint16_t tci, type;
	if (cursor_u16be(c, &tci) != 0 || cursor_u16be(c, &type) != 0) {
		decode_anomaly(p, ANOM_VLAN_TRUNC);
		return;
	}
	if (p->nvlan >= DECODE_MAX_VLAN) {
		decode_anomaly(p, ANOM_VLAN_TOO_MANY);
		return;
	}
	p->vlan[p->nvlan++] = tci & 0x0fff;
	decode_ethertype(c, p, type);
}
