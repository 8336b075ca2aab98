/* detect_scan.c - port and host scans, counted from failed connection
 * attempts (answered by RST, or never answered): normal browsing opens many
 * connections, but they succeed. One slot per source, hashed, in a 60 s
 * window; distinct targets are counted in hashed bitmaps (an undercount
 * only when they collide). */
#include <string.h>

#include "sensor/sensor.h"

#define SCAN_WINDOW_US (60 * 1000000LL)

static uint32_t
mix(const uint8_t *b, size_t n, uint32_t seed)
{
	uint32_t h = 2166136261u ^ seed;
	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 16777619u;
	}
	h ^= h >> 13;
	h *= 0x5bd1e995u;
	return h ^ (h >> 15);
}

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
	struct scan_slot *sl = &s->det.scan[mix(f->src.b, 16, 1) % SCAN_SLOTS];
	if (!sl->used || memcmp(&sl->src, &f->src, sizeof(f->src)) != 0 ||
	    ts_us - sl->window_start_us > SCAN_WINDOW_US || ts_us < sl->window_start_us) {
		memset(sl, 0, sizeof(*sl));
		sl->used = true;
		sl->src = f->src;
		sl->window_start_us = ts_us;
	}
	uint8_t pair[18];
	memcpy(pair, f->dst.b, 16);
	pair[16] = (uint8_t)(f->dport >> 8);
	pair[17] = (uint8_t)f->dport;
	if (set_bit(sl->pair_bits, mix(pair, sizeof(pair), 2)))
		sl->pairs++;
	if (set_bit(sl->host_bits, mix(f->dst.b, 16, 3)))
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
