/* detect_scan.c - port and host scans, counted from failed connection
 * attempts (answered by RST, or never answered): normal browsing opens many
 * connections, but they succeed. One slot per source, hashed, in a 60 s
 * window; distinct targets are counted in hashed bitmaps (an undercount
 * only when they collide). */
#include <string.h>

#include "common/hash.h"
#include "sensor/sensor.h"

#define SCAN_WINDOW_US (60 * 1000000LL)

static bool
set_bit(uint8_t *bits, uint32_t h)
{
	uint32_t i = h % SCAN_BITS;
	bool was = bits[i / 8] & (1u << (i % 8));
	bits[i / 8] |= (uint8_t)(1u << (i % 8));
	return !was;
}

void
detect_scan_failed(struct sensor *s, const struct flow *f, int64_t ts_us)
{
	struct scan_slot *sl = &s->det.scan[hash_bytes(f->src.b, 16, 1) % SCAN_SLOTS];
	if (!sl->used || memcmp(&sl->src, &f->src, sizeof(f->src)) != 0 ||
	    ts_us - sl->window_start_us > SCAN_WINDOW_US || ts_us < sl->window_start_us) {
		memset(sl, 0, sizeof(*sl));
		sl->used = true;
		sl->src = f->src;
		sl->window_start_us = ts_us;
	}
	if (set_bit(sl->pair_bits, hash_bytes(f->dst.b, 16, 2ULL << 32 | f->dport)))
		sl->pairs++;
	if (set_bit(sl->host_bits, hash_bytes(f->dst.b, 16, 3)))
		sl->hosts++;
	char msg[200], a[64], b[64];
	if (!sl->port_alerted && sl->pairs >= s->det.conf.port_scan_ports && sl->hosts * 4 < sl->pairs) {
		sl->port_alerted = true;
		snprintf(msg, sizeof(msg), "%s probed %u closed or filtered ports (last target %s) within 60 s",
		    ip_addr_str(&f->src, a, sizeof(a)), sl->pairs, ip_addr_str(&f->dst, b, sizeof(b)));
		sensor_alert_begin(s, f, NULL, detect_rule(R_PORT_SCAN), msg);
		eve_int(&s->eve, "distinct_ports", sl->pairs);
		eve_int(&s->eve, "distinct_hosts", sl->hosts);
		sensor_alert_end(s);
	}
	if (!sl->host_alerted && sl->hosts >= s->det.conf.host_scan_hosts) {
		sl->host_alerted = true;
		snprintf(msg, sizeof(msg), "%s failed to connect to %u different hosts within 60 s",
		    ip_addr_str(&f->src, a, sizeof(a)), sl->hosts);
		sensor_alert_begin(s, f, NULL, detect_rule(R_HOST_SCAN), msg);
		eve_int(&s->eve, "distinct_hosts", sl->hosts);
		sensor_alert_end(s);
	}
}
