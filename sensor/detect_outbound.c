/* detect_outbound.c - what office hosts do towards the internet: SMB or
 * RDP going out (a scan that gets no answer is not counted here), connections at a steady interval (beaconing), and more
 * bytes sent within an hour than the configured limit. State lives in
 * fixed hashed slot tables; a colliding newcomer takes the slot over. */
#include <string.h>

#include "common/hash.h"
#include "sensor/sensor.h"

#define UPLOAD_WINDOW_US (3600 * 1000000LL)

static uint32_t
hash_addrs(const struct ip_addr *a, const struct ip_addr *b, uint16_t port)
{
	uint64_t h = hash_more(0x9e3779b97f4a7c15ULL ^ port, a->b, sizeof(a->b));
	if (b)
		h = hash_more(h, b->b, sizeof(b->b));
	return hash_final(h);
}

static void
beacon(struct sensor *s, const struct flow *f, const struct pkt *p)
{
	const struct detect_conf *c = &s->det.conf;
	struct beacon_slot *sl = &s->det.beacon[hash_addrs(&f->src, &f->dst, f->dport) % BEACON_SLOTS];
	if (!sl->used || sl->dport != f->dport || memcmp(&sl->src, &f->src, sizeof(f->src)) != 0 ||
	    memcmp(&sl->dst, &f->dst, sizeof(f->dst)) != 0) {
		memset(sl, 0, sizeof(*sl));
		sl->used = true;
		sl->src = f->src;
		sl->dst = f->dst;
		sl->dport = f->dport;
	}
	sl->start_us[sl->head] = p->ts_us;
	sl->head = (uint8_t)((sl->head + 1) % BEACON_TIMES);
	if (sl->n < BEACON_TIMES)
		sl->n++;
	if (sl->alerted || sl->n < c->beacon_min_connections)
		return;
	/* the last beacon_min_connections starts, oldest first */
	uint32_t k = c->beacon_min_connections;
	int64_t t[BEACON_TIMES];
	for (uint32_t i = 0; i < k; i++)
		t[i] = sl->start_us[(sl->head + BEACON_TIMES - k + i) % BEACON_TIMES];
	int64_t sum = 0;
	for (uint32_t i = 1; i < k; i++) {
		if (t[i] <= t[i - 1])
			return;
		sum += t[i] - t[i - 1];
	}
	int64_t mean = sum / (int64_t)(k - 1);
	if (mean < (int64_t)c->beacon_min_interval_s * 1000000)
		return;
	int64_t tol = mean * (int64_t)c->beacon_max_jitter_pct / 100;
	for (uint32_t i = 1; i < k; i++) {
		int64_t d = t[i] - t[i - 1] - mean;
		if (d > tol || d < -tol)
			return;
	}
	sl->alerted = true;
	char msg[240], a[64], b[64];
	snprintf(msg, sizeof(msg), "%s connected to %s port %u %u times, every %lld s (within %u%%)",
	    ip_addr_str(&f->src, a, sizeof(a)), ip_addr_str(&f->dst, b, sizeof(b)), f->dport, k,
	    (long long)(mean / 1000000), c->beacon_max_jitter_pct);
	sensor_alert_begin(s, f, p, detect_rule(R_BEACON), msg);
	eve_int(&s->eve, "connections", k);
	eve_int(&s->eve, "interval_s", mean / 1000000);
	sensor_alert_end(s);
}

void
detect_outbound_flow(struct sensor *s, struct flow *f, const struct pkt *p)
{
	if (!detect_outward(f))
		return;
	/* a new connection: a TCP SYN, or the first datagram of UDP */
	if (f->proto == 6 && (p->tcp_flags & (TCP_SYN | TCP_ACK)) != TCP_SYN)
		return;
	if (f->proto == 6 || f->proto == 17)
		beacon(s, f, p);
}

void
detect_outbound_answered(struct sensor *s, struct flow *f, const struct pkt *p)
{
	if ((f->dport != 445 && f->dport != 139 && f->dport != 3389) || !detect_outward(f))
		return;
	f->done |= FLOW_DONE_EXPOSED;
	char msg[200], a[64], b[64];
	snprintf(msg, sizeof(msg), "%s connected with %s to %s on the internet",
	    ip_addr_str(&f->src, a, sizeof(a)), f->dport == 3389 ? "remote desktop" :
	    "file sharing (SMB)", ip_addr_str(&f->dst, b, sizeof(b)));
	sensor_alert(s, f, p, detect_rule(R_OUTBOUND_SMB_RDP), msg);
}

void
detect_outbound_bytes(struct sensor *s, const struct flow *f, const struct pkt *p, bool to_server)
{
	if (!to_server || !detect_outward(f))
		return;
	struct upload_slot *sl = &s->det.upload[hash_addrs(&f->src, NULL, 0) % UPLOAD_SLOTS];
	if (!sl->used || memcmp(&sl->src, &f->src, sizeof(f->src)) != 0 ||
	    p->ts_us - sl->window_start_us > UPLOAD_WINDOW_US || p->ts_us < sl->window_start_us) {
		bool same = sl->used && sl->alerted && memcmp(&sl->src, &f->src, sizeof(f->src)) == 0 &&
		    p->ts_us - sl->window_start_us <= 2 * UPLOAD_WINDOW_US;
		memset(sl, 0, sizeof(*sl));
		sl->used = true;
		sl->alerted = same;	/* a long upload is one alert, not one per hour */
		sl->src = f->src;
		sl->window_start_us = p->ts_us;
	}
	sl->bytes += p->wire_len;
	if (sl->alerted || sl->bytes < s->det.conf.outbound_bytes_per_hour)
		return;
	sl->alerted = true;
	char msg[200], a[64], b[64];
	snprintf(msg, sizeof(msg), "%s sent %llu MB to the internet within an hour (last to %s)",
	    ip_addr_str(&f->src, a, sizeof(a)), (unsigned long long)(sl->bytes >> 20),
	    ip_addr_str(&f->dst, b, sizeof(b)));
	sensor_alert_begin(s, f, p, detect_rule(R_LARGE_UPLOAD), msg);
	eve_int(&s->eve, "bytes", (int64_t)sl->bytes);
	sensor_alert_end(s);
}
