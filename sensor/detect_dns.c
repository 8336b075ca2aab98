/* detect_dns.c - DNS tunnelling: per client and registered domain, count
 * queries whose subdomain part is long and random-looking, or asks for
 * record types that carry data (TXT, NULL). Many such queries in five
 * minutes to one domain is a tunnel, not a CDN. */
#include <string.h>

#include "common/hash.h"
#include "sensor/sensor.h"

#define DNST_WINDOW_US (300 * 1000000LL)

static bool
suspicious(const struct dns_msg *m, struct span sub)
{
	size_t longest = 0, cur = 0;
	for (size_t i = 0; i < sub.len; i++) {
		if (sub.p[i] == '.')
			cur = 0;
		else if (++cur > longest)
			longest = cur;
	}
	bool data_type = m->qtype == 16 || m->qtype == 10;
	if (data_type && sub.len >= 16)
		return true;
	if ((longest >= 30 || sub.len >= 50) && detect_entropy(sub) >= 3.3)
		return true;
	return false;
}

/* A top-level label of letters only (or xn-- punycode). */
static bool
plausible_tld(struct span name)
{
	size_t i = name.len;
	if (i && name.p[i - 1] == '.')
		i--;
	size_t end = i;
	while (i > 0 && name.p[i - 1] != '.')
		i--;
	struct span tld = { name.p + i, end - i };
	if (tld.len < 2 || tld.len > 24 || i == 0)
		return false;
	if (span_starts_with(tld, "xn--"))
		return true;
	for (size_t k = 0; k < tld.len; k++)
		if (!((tld.p[k] >= 'a' && tld.p[k] <= 'z') || (tld.p[k] >= 'A' && tld.p[k] <= 'Z')))
			return false;
	return true;
}

void
detect_dns_query(struct sensor *s, const struct flow *f, const struct pkt *p,
    const struct dns_msg *m)
{
	if (m->response || !m->has_query)
		return;
	struct span name = span_from_cstr(m->qname);
	struct span base = detect_base_domain(name);
	struct span sub = { name.p, name.len - base.len };
	if (!plausible_tld(name)) {
		/* dnscat2 without a domain sends to the resolver directly:
		 * "dnscat.<hex>.<hex>"; group such names by client only */
		base = SPAN_LIT("(no domain)");
		sub = name;
	} else if (base.len >= sizeof(((struct dnst_slot *)0)->base) || base.len == name.len) {
		return;
	}
	if (!suspicious(m, sub) && !span_starts_with(name, "dnscat."))
		return;
	uint32_t h = hash_final(hash_more(hash_more(0, p->src.b, sizeof(p->src.b)), base.p, base.len));
	struct dnst_slot *sl = &s->det.dnst[h % DNST_SLOTS];
	if (!sl->used || memcmp(&sl->src, &p->src, sizeof(p->src)) != 0 ||
	    !span_eq(base, sl->base) || p->ts_us - sl->window_start_us > DNST_WINDOW_US ||
	    p->ts_us < sl->window_start_us) {
		bool same = sl->used && sl->alerted && memcmp(&sl->src, &p->src, sizeof(p->src)) == 0 &&
		    span_eq(base, sl->base);
		memset(sl, 0, sizeof(*sl));
		sl->used = true;
		sl->alerted = same;	/* one alert per tunnel, not one per window */
		sl->src = p->src;
		memcpy(sl->base, base.p, base.len);
		sl->window_start_us = p->ts_us;
	}
	sl->suspicious++;
	if (!sl->alerted && sl->suspicious >= s->det.conf.dns_tunnel_queries) {
		char msg[300], a[64];
		sl->alerted = true;
		snprintf(msg, sizeof(msg), "%s sent %u suspicious DNS queries for *.%s (last type %s)",
		    ip_addr_str(&p->src, a, sizeof(a)), sl->suspicious, sl->base,
		    proto_dns_type_name(m->qtype) ? proto_dns_type_name(m->qtype) : "other");
		sensor_alert_begin(s, f, p, detect_rule(R_DNS_TUNNEL), msg);
		eve_str(&s->eve, "domain", sl->base);
		eve_int(&s->eve, "queries", sl->suspicious);
		sensor_alert_end(s);
	}
}
