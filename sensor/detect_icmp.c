/* detect_icmp.c - ICMP tunnels: ping tools fill echo payloads with a fixed
 * pattern (an incrementing byte run after a timestamp on Unix, the
 * alphabet on Windows, a short pattern repeated with ping -p). Payload
 * that is none of these is data; enough of it in one conversation is a
 * tunnel. */
#include <string.h>

#include "sensor/sensor.h"

/* Leading bytes a ping tool may use for its timestamp. */
#define ECHO_STAMP 16
#define ECHO_PERIOD_MAX 32

static bool
patterned(struct span d)
{
	const uint8_t *b = (const uint8_t *)d.p;
	size_t n = d.len;
	if (n <= ECHO_STAMP)
		return true;	/* too short to carry much */
	b += ECHO_STAMP;
	n -= ECHO_STAMP;
	bool inc = true;
	for (size_t i = 1; i < n && inc; i++)
		inc = b[i] == (uint8_t)(b[i - 1] + 1);
	if (inc)
		return true;
	/* a short block repeated (Windows' alphabet, ping -p, zeros) */
	for (size_t per = 1; per <= ECHO_PERIOD_MAX && per < n; per++) {
		size_t i = per;
		while (i < n && b[i] == b[i - per])
			i++;
		if (i == n)
			return true;
	}
	return false;
}

void
detect_icmp_echo(struct sensor *s, struct flow *f, const struct pkt *p)
{
	bool echo = (p->l4 == L4_ICMP && (p->icmp_type == 8 || p->icmp_type == 0)) ||
	    (p->l4 == L4_ICMP6 && (p->icmp_type == 128 || p->icmp_type == 129));
	if (!echo || (f->done & FLOW_DONE_ICMP) || p->payload.len <= 4)
		return;
	struct span data = { p->payload.p + 4, p->payload.len - 4 };	/* after id, seq */
	if (patterned(data))
		return;
	f->odd_bytes += data.len;
	if (f->odd_bytes < s->det.conf.icmp_tunnel_bytes)
		return;
	f->done |= FLOW_DONE_ICMP;
	char msg[200], a[64], b[64];
	snprintf(msg, sizeof(msg), "%s and %s exchanged %llu bytes of non-ping data in ICMP echo",
	    ip_addr_str(&f->src, a, sizeof(a)), ip_addr_str(&f->dst, b, sizeof(b)),
	    (unsigned long long)f->odd_bytes);
	sensor_alert_begin(s, f, p, detect_rule(R_ICMP_TUNNEL), msg);
	eve_int(&s->eve, "payload_bytes", (int64_t)f->odd_bytes);
	eve_int(&s->eve, "packets", (int64_t)(f->pkts_ts + f->pkts_tc));
	sensor_alert_end(s);
}
