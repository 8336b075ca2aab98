/* sensor_defrag.c - fragments through defrag.c; a completed datagram is
 * decoded from its IP header and goes on like any packet, with the first
 * fragment's link-layer facts (MAC, VLAN). */
#include <string.h>

#include "sensor/decode.h"
#include "sensor/sensor.h"

void
sensor_defrag_packet(struct sensor *s, const struct pkt *frag)
{
	enum anomaly a;
	if (frag->frag_cut || frag->anomaly != ANOM_NONE)
		return;	/* cut by the capture's snap length, or already bad */
	size_t n = defrag_packet(&s->defrag, frag, &a);
	if (a != ANOM_NONE)
		sensor_anomaly(s, frag, a, NULL);
	if (n == 0)
		return;
	struct pkt q;
	memset(&q, 0, sizeof(q));
	q.ts_us = frag->ts_us;
	q.data = s->defrag.out;
	q.cap_len = q.wire_len = (uint32_t)n;
	decode_packet(LINKTYPE_RAW, &q);
	q.src_mac = frag->src_mac;
	q.nvlan = frag->nvlan;
	memcpy(q.vlan, frag->vlan, sizeof(q.vlan));
	q.ethertype = frag->ethertype;
	if (q.anomaly != ANOM_NONE) {
		sensor_anomaly(s, &q, q.anomaly, NULL);
		if (q.anomaly != ANOM_TCP_BAD_OPTLEN)
			return;
	}
	sensor_flow_packet(s, &q);
}

void
sensor_defrag_dropped(void *ud, const struct defrag_dgram *d, enum anomaly why, int64_t now_us)
{
	struct sensor *s = ud;
	struct pkt p;
	memset(&p, 0, sizeof(p));
	p.ts_us = now_us;
	defrag_dgram_addrs(d, &p.src, &p.dst, &p.ip_ver);
	p.l4 = L4_OTHER;
	sensor_anomaly(s, &p, why, NULL);
}
