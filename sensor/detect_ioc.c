/* detect_ioc.c - indicators from the loaded feeds: addresses on every new
 * flow, names in DNS/HTTP/TLS, JA3 of ClientHellos, URLs of requests. */
#include <string.h>

#include "sensor/sensor.h"

static void
ioc_alert(struct sensor *s, const struct flow *f, const struct pkt *p, enum detect_rule_id rule,
    const char *msg, const struct ioc_entry *e, const char *what, struct span value)
{
	sensor_alert_begin(s, f, p, detect_rule(rule), msg);
	eve_obj(&s->eve, "ioc");
	eve_str(&s->eve, "type", what);
	eve_span(&s->eve, "value", value);
	eve_str(&s->eve, "label", e->label);
	eve_str(&s->eve, "source", e->source);
	sensor_alert_end(s);
}

void
detect_ioc_flow(struct sensor *s, struct flow *f, const struct pkt *p)
{
	char msg[300], a[64], b[64];
	if (!s->iocs || (f->done & FLOW_DONE_IOC_IP))
		return;
	f->done |= FLOW_DONE_IOC_IP;
	const struct ip_addr *bad = &f->dst;
	const struct ioc_entry *e = ioc_match_ip(s->iocs, f->dst.b);
	if (!e) {
		bad = &f->src;
		e = ioc_match_ip(s->iocs, f->src.b);
	}
	if (!e)
		return;
	snprintf(msg, sizeof(msg), "%s <-> %s (listed%s%s)", ip_addr_str(&f->src, a, sizeof(a)),
	    ip_addr_str(&f->dst, b, sizeof(b)), *e->label ? " as " : "", e->label);
	ioc_alert(s, f, p, R_IOC_IP, msg, e, "ip", span_from_cstr(ip_addr_str(bad, a, sizeof(a))));
}

void
detect_ioc_domain(struct sensor *s, const struct flow *f, const struct pkt *p,
    struct span name, const char *where)
{
	char msg[400], a[64];
	if (!s->iocs)
		return;
	const struct ioc_entry *e = ioc_match_domain(s->iocs, name);
	if (!e)
		return;
	snprintf(msg, sizeof(msg), "%s: %s %.*s (listed%s%s)", where,
	    ip_addr_str(&p->src, a, sizeof(a)), (int)(name.len > 255 ? 255 : name.len), name.p,
	    *e->label ? " as " : "", e->label);
	ioc_alert(s, f, p, R_IOC_DOMAIN, msg, e, "domain", name);
}

void
detect_ioc_ja3(struct sensor *s, const struct flow *f, const struct pkt *p,
    const struct tls_hello *h)
{
	char msg[300], a[64];
	if (!s->iocs || !h->ja3_md5[0])
		return;
	const struct ioc_entry *e = ioc_match_hash(s->iocs, IOC_JA3, span_from_cstr(h->ja3_md5));
	if (!e)
		return;
	snprintf(msg, sizeof(msg), "%s made a TLS ClientHello with JA3 %s (listed%s%s)",
	    ip_addr_str(&f->src, a, sizeof(a)), h->ja3_md5, *e->label ? " as " : "", e->label);
	ioc_alert(s, f, p, R_IOC_JA3, msg, e, "ja3", span_from_cstr(h->ja3_md5));
}

void
detect_ioc_cert(struct sensor *s, const struct flow *f, const struct pkt *p,
    const struct x509_info *x)
{
	char msg[700], a[64], hex[41];
	if (!s->iocs)
		return;
	static const char hexd[] = "0123456789abcdef";
	for (int i = 0; i < 20; i++) {
		hex[2 * i] = hexd[x->sha1[i] >> 4];
		hex[2 * i + 1] = hexd[x->sha1[i] & 15];
	}
	hex[40] = '\0';
	const struct ioc_entry *e = ioc_match_hash(s->iocs, IOC_SHA1, (struct span){ hex, 40 });
	if (!e)
		return;
	snprintf(msg, sizeof(msg), "%s was sent the certificate of \"%.300s\" (SHA-1 %s, listed%s%s)",
	    ip_addr_str(&f->src, a, sizeof(a)), x->subject, hex, *e->label ? " as " : "", e->label);
	ioc_alert(s, f, p, R_IOC_CERT, msg, e, "tls_cert_sha1", (struct span){ hex, 40 });
}

void
detect_ioc_url(struct sensor *s, const struct flow *f, const struct pkt *p,
    const struct http_req *r)
{
	char url[2100], msg[400];
	if (!s->iocs || !r->host.len || r->host.len + r->uri.len + 8 > sizeof(url))
		return;
	int n = snprintf(url, sizeof(url), "http://%.*s%.*s", (int)r->host.len, r->host.p,
	    (int)r->uri.len, r->uri.p);
	const struct ioc_entry *e = ioc_match_url(s->iocs, (struct span){ url, (size_t)n });
	if (!e)
		return;
	snprintf(msg, sizeof(msg), "request for %.300s (listed%s%s)", url, *e->label ? " as " : "",
	    e->label);
	ioc_alert(s, f, p, R_IOC_URL, msg, e, "url", (struct span){ url, (size_t)n });
}
