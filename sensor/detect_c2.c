/* detect_c2.c - command servers reached without a name:
 * - HTTP POST from an office PC to an internet server given as a bare
 *   address, on a port other than 80 (TrickBot, Emotet);
 * - TLS without a server name to an internet address that no DNS answer
 *   pointed to, sensor.c2_ip_connections times within 10 minutes (malware
 *   with a built-in list of command-server addresses);
 * - Tor: TLS to sensor.tor_relays distinct servers under made-up
 *   "www.<random>.com" names that nobody looked up (Tor never resolves
 *   the names it puts in its hellos).
 * DNS questions and answers are remembered in a hashed set to tell
 * "looked up" from "never looked up". */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "common/hash.h"
#include "sensor/sensor.h"

#define C2_SPAN_MS (600 * 1000LL)
#define HTTP_C2_SPAN_MS (3600 * 1000LL)

/* Names compare without regard to ASCII case, as DNS does. */
static uint32_t
seen_hash(struct span s)
{
	uint32_t h = hash_final(hash_more_fold(0, s.p, s.len));
	return h ? h : 1;
}

static void
seen_add(struct sensor *s, struct span v)
{
	if (v.len && v.p[v.len - 1] == '.')
		v.len--;
	uint32_t h = seen_hash(v);
	s->det.dns_seen[h % DNS_SEEN_SLOTS] = h;
}

static bool
seen(const struct sensor *s, struct span v)
{
	uint32_t h = seen_hash(v);
	return s->det.dns_seen[h % DNS_SEEN_SLOTS] == h;
}

void
detect_c2_dns(struct sensor *s, const struct dns_msg *m)
{
	seen_add(s, span_from_cstr(m->qname));
	for (size_t i = 0; i < m->nanswers; i++) {
		const struct dns_answer *a = &m->answers[i];
		if (a->rrtype == 1 || a->rrtype == 28 || a->rrtype == 5)
			seen_add(s, span_from_cstr(a->rdata));
	}
}

/* "www." + 4 to 25 base32 characters (a-z, 2-7) with at least one digit
 * + ".com": the made-up names Tor clients send. */
static bool
tor_name(const char *sni)
{
	size_t n = strlen(sni);
	if (n < 12 || strncmp(sni, "www.", 4) != 0 || strcmp(sni + n - 4, ".com") != 0)
		return false;
	size_t len = n - 8, digits = 0;
	if (len < 4 || len > 25)
		return false;
	for (size_t i = 4; i < n - 4; i++) {
		char c = sni[i];
		if (c >= '2' && c <= '7')
			digits++;
		else if (c < 'a' || c > 'z')
			return false;
	}
	return digits > 0 && digits < len;
}

static void
tls_tor(struct sensor *s, const struct flow *f, const struct pkt *p, const struct tls_hello *h)
{
	char msg[300], a[64];
	if (!tor_name(h->sni) || seen(s, span_from_cstr(h->sni)))
		return;
	int64_t now = p->ts_us / 1000;
	struct window_entry *e = detect_window(s, R_TOR, &f->src, NULL);
	size_t relays = detect_window_distinct(e, now, C2_SPAN_MS, &f->dst);
	if (relays < s->det.conf.tor_relays || !detect_window_fire(e, now, C2_SPAN_MS))
		return;
	snprintf(msg, sizeof(msg), "%s connected to %zu Tor relays (last as %s)",
	    ip_addr_str(&f->src, a, sizeof(a)), relays, h->sni);
	sensor_alert_begin(s, f, p, detect_rule(R_TOR), msg);
	eve_int(&s->eve, "relays", (int64_t)relays);
	eve_str(&s->eve, "sni", h->sni);
	sensor_alert_end(s);
}

void
detect_c2_tls(struct sensor *s, const struct flow *f, const struct pkt *p,
    const struct tls_hello *h)
{
	char msg[300], a[64], b[64];
	if (!h->client || !detect_outward(f))
		return;
	if (h->sni[0]) {
		tls_tor(s, f, p, h);
		return;
	}
	ip_addr_str(&f->dst, b, sizeof(b));
	if (seen(s, span_from_cstr(b)))
		return;
	int64_t now = p->ts_us / 1000;
	struct window_entry *e = detect_window(s, R_TLS_IP_C2, &f->src, &f->dst);
	if (!e)
		return;
	size_t n = window_hit(e, now, C2_SPAN_MS);
	if (n < s->det.conf.c2_ip_connections || !detect_window_fire(e, now, C2_SPAN_MS))
		return;
	snprintf(msg, sizeof(msg), "%s made %zu TLS connections to %s port %u without a server name or a DNS lookup",
	    ip_addr_str(&f->src, a, sizeof(a)), n, b, f->dport);
	sensor_alert_begin(s, f, p, detect_rule(R_TLS_IP_C2), msg);
	eve_int(&s->eve, "connections", (int64_t)n);
	if (h->ja3_md5[0])
		eve_str(&s->eve, "ja3", h->ja3_md5);
	sensor_alert_end(s);
}

/* The Host header without its port is an IPv4 or bracketed IPv6 address. */
static bool
host_is_address(struct span host)
{
	char buf[64];
	uint8_t bin[16];
	if (host.len == 0)
		return false;
	if (host.p[0] == '[') {
		size_t e = span_find(host, ']');
		if (e >= host.len || e - 1 >= sizeof(buf))
			return false;
		memcpy(buf, host.p + 1, e - 1);
		buf[e - 1] = '\0';
		return inet_pton(AF_INET6, buf, bin) == 1;
	}
	size_t c = span_find(host, ':');
	if (c >= sizeof(buf))
		return false;
	memcpy(buf, host.p, c);
	buf[c] = '\0';
	return inet_pton(AF_INET, buf, bin) == 1;
}

void
detect_c2_http(struct sensor *s, const struct flow *f, const struct pkt *p,
    const struct http_req *r)
{
	char msg[400], a[64], b[64];
	if (f->dport == 80 || !span_eq(r->method, "POST") || !detect_outward(f) ||
	    !host_is_address(r->host))
		return;
	int64_t now = p->ts_us / 1000;
	struct window_entry *e = detect_window(s, R_HTTP_IP_C2, &f->src, &f->dst);
	if (!e)
		return;
	window_hit(e, now, HTTP_C2_SPAN_MS);
	if (!detect_window_fire(e, now, HTTP_C2_SPAN_MS))
		return;
	snprintf(msg, sizeof(msg), "%s posted to http://%s:%u%.*s", ip_addr_str(&f->src, a, sizeof(a)),
	    ip_addr_str(&f->dst, b, sizeof(b)), f->dport, (int)(r->uri.len > 200 ? 200 : r->uri.len),
	    r->uri.p);
	sensor_alert_begin(s, f, p, detect_rule(R_HTTP_IP_C2), msg);
	eve_span(&s->eve, "user_agent", (struct span){ r->user_agent.p,
	    r->user_agent.len > 256 ? 256 : r->user_agent.len });
	sensor_alert_end(s);
}
