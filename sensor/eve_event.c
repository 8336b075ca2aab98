/* eve_event.c - flow, dns, http, tls and anomaly events. */
#include "sensor/eve_event.h"

#include <string.h>

const char *
eve_event_app_name(uint8_t app)
{
	static const char *const n[] = { NULL, "dns", "http", "tls", "smb", "rdp", "ssh",
		"ftp", "telnet" };
	return app < sizeof(n) / sizeof(n[0]) ? n[app] : NULL;
}

/* Written directly (one event per flow, the most frequent event): the
 * same text as member-by-member writing, at a fraction of the calls. */
void
eve_event_flow(struct eve *e, const struct flow *f, enum flow_end_reason why)
{
	static const char *const reasons[] = { ",\"reason\":\"timeout\"",
		",\"reason\":\"evicted\"", ",\"reason\":\"shutdown\"" };
	static const char hexd[] = "0123456789abcdef";
	eve_begin(e, f->last_us, "flow", f, NULL);
	/* app_proto 26, counters 4 x 40, times 2 x 42, age 27, state 22,
	 * reason 22, alerted 17, tcp 75 */
	char *w = eve_reserve(e, 512);
	const char *app = eve_event_app_name(f->app);
	if (app) {
		size_t n = strlen(app);
		w = EVE_PUT_LIT(w, ",\"app_proto\":\"");
		memcpy(w, app, n);
		w += n;
		*w++ = '"';
	}
	w = EVE_PUT_LIT(w, ",\"flow\":{\"pkts_toserver\":");
	w = eve_put_i64(w, (int64_t)f->pkts_ts);
	w = EVE_PUT_LIT(w, ",\"pkts_toclient\":");
	w = eve_put_i64(w, (int64_t)f->pkts_tc);
	w = EVE_PUT_LIT(w, ",\"bytes_toserver\":");
	w = eve_put_i64(w, (int64_t)f->bytes_ts);
	w = EVE_PUT_LIT(w, ",\"bytes_toclient\":");
	w = eve_put_i64(w, (int64_t)f->bytes_tc);
	w = EVE_PUT_LIT(w, ",\"start\":");
	w = eve_put_time(e, w, f->first_us);
	w = EVE_PUT_LIT(w, ",\"end\":");
	w = eve_put_time(e, w, f->last_us);
	w = EVE_PUT_LIT(w, ",\"age\":");
	w = eve_put_i64(w, (f->last_us - f->first_us) / 1000000);
	if (f->closed)
		w = EVE_PUT_LIT(w, ",\"state\":\"closed\"");
	else if (f->proto == 6 && f->synack_seen)
		w = EVE_PUT_LIT(w, ",\"state\":\"established\"");
	else
		w = EVE_PUT_LIT(w, ",\"state\":\"new\"");
	size_t rn = strlen(reasons[why]);
	memcpy(w, reasons[why], rn);
	w += rn;
	w = EVE_PUT_LIT(w, ",\"alerted\":false}");
	if (f->proto == 6) {
		uint8_t all = f->tcp_flags_ts | f->tcp_flags_tc;
		w = EVE_PUT_LIT(w, ",\"tcp\":{\"tcp_flags\":\"");
		*w++ = hexd[all >> 4];
		*w++ = hexd[all & 15];
		w = EVE_PUT_LIT(w, "\",\"syn\":");
		w = all & TCP_SYN ? EVE_PUT_LIT(w, "true") : EVE_PUT_LIT(w, "false");
		w = EVE_PUT_LIT(w, ",\"fin\":");
		w = all & TCP_FIN ? EVE_PUT_LIT(w, "true") : EVE_PUT_LIT(w, "false");
		w = EVE_PUT_LIT(w, ",\"rst\":");
		w = all & TCP_RST ? EVE_PUT_LIT(w, "true") : EVE_PUT_LIT(w, "false");
		w = EVE_PUT_LIT(w, ",\"ack\":");
		w = all & TCP_ACK ? EVE_PUT_LIT(w, "true") : EVE_PUT_LIT(w, "false");
		*w++ = '}';
	}
	eve_commit_end(e, w);
}

static void
rrtype(struct eve *e, const char *key, uint16_t t)
{
	char buf[16];
	const char *n = proto_dns_type_name(t);
	if (!n) {
		snprintf(buf, sizeof(buf), "TYPE%u", t);
		n = buf;
	}
	eve_str(e, key, n);
}

void
eve_event_dns(struct eve *e, const struct flow *f, const struct pkt *p, const struct dns_msg *m)
{
	/* EVE's 5-tuple is the packet's for DNS: queries and answers differ */
	eve_begin_packet(e, p->ts_us, "dns", f, p);
	eve_obj(e, "dns");
	eve_str(e, "type", m->response ? "answer" : "query");
	eve_int(e, "id", m->id);
	eve_str(e, "rrname", m->qname);
	rrtype(e, "rrtype", m->qtype);
	if (m->nextra) {
		eve_arr(e, "queries");
		eve_obj(e, NULL);
		eve_str(e, "rrname", m->qname);
		rrtype(e, "rrtype", m->qtype);
		eve_close(e);
		for (size_t i = 0; i < m->nextra; i++) {
			eve_obj(e, NULL);
			eve_str(e, "rrname", m->extra_qname[i]);
			rrtype(e, "rrtype", m->extra_qtype[i]);
			eve_close(e);
		}
		eve_close(e);
	}
	if (m->response) {
		eve_str(e, "rcode", proto_dns_rcode_name(m->rcode));
		eve_arr(e, "answers");
		for (size_t i = 0; i < m->nanswers; i++) {
			const struct dns_answer *a = &m->answers[i];
			eve_obj(e, NULL);
			eve_str(e, "rrname", a->rrname);
			rrtype(e, "rrtype", a->rrtype);
			eve_int(e, "ttl", a->ttl);
			eve_str(e, "rdata", a->rdata);
			eve_close(e);
		}
		eve_close(e);
	}
	eve_end(e);
}

void
eve_event_http_request(struct eve *e, const struct flow *f, const struct pkt *p,
    const struct http_req *r)
{
	eve_begin(e, p->ts_us, "http", f, NULL);
	eve_obj(e, "http");
	if (r->host.len)
		eve_span(e, "hostname", r->host);
	eve_span(e, "url", r->uri);
	if (r->user_agent.len)
		eve_span(e, "http_user_agent", r->user_agent);
	eve_span(e, "http_method", r->method);
	eve_span(e, "protocol", r->version);
	eve_end(e);
}

void
eve_event_http_response(struct eve *e, const struct flow *f, const struct pkt *p,
    const struct http_resp *r)
{
	uint64_t st = 0;
	span_to_u64(r->status, 999, &st);
	eve_begin(e, p->ts_us, "http", f, NULL);
	eve_obj(e, "http");
	eve_int(e, "status", (int64_t)st);
	eve_span(e, "protocol", r->version);
	if (r->content_type.len)
		eve_span(e, "http_content_type", r->content_type);
	eve_end(e);
}

void
eve_event_tls(struct eve *e, const struct flow *f, const struct pkt *p, const struct tls_hello *h)
{
	eve_begin(e, p->ts_us, "tls", f, NULL);
	eve_obj(e, "tls");
	eve_str(e, "version", proto_tls_version_name(h->version));
	if (h->client) {
		if (h->sni[0])
			eve_str(e, "sni", h->sni);
		eve_obj(e, "ja3");
		eve_str(e, "hash", h->ja3_md5);
		eve_str(e, "string", h->ja3);
		eve_close(e);
		if (h->ja4[0])
			eve_str(e, "ja4", h->ja4);
	} else {
		char cs[8];
		snprintf(cs, sizeof(cs), "0x%04x", h->cipher);
		eve_str(e, "cipher_suite", cs);
		eve_obj(e, "ja3s");
		eve_str(e, "hash", h->ja3_md5);
		eve_str(e, "string", h->ja3);
		eve_close(e);
	}
	eve_end(e);
}

void
eve_event_tls_cert(struct eve *e, const struct flow *f, const struct pkt *p, uint16_t version,
    const struct x509_info *x)
{
	eve_begin(e, p->ts_us, "tls", f, NULL);
	eve_obj(e, "tls");
	eve_str(e, "version", proto_tls_version_name(version));
	eve_str(e, "subject", x->subject);
	eve_str(e, "issuerdn", x->issuer);
	eve_str(e, "serial", x->serial);
	eve_hex(e, "fingerprint", x->sha1, sizeof(x->sha1), ':');
	eve_str(e, "notbefore", x->not_before);
	eve_str(e, "notafter", x->not_after);
	eve_end(e);
}

void
eve_event_anomaly(struct eve *e, const struct flow *f, const struct pkt *p, const char *name)
{
	eve_begin(e, p->ts_us, "anomaly", f, p);
	eve_obj(e, "anomaly");
	eve_str(e, "type", strncmp(name, "applayer", 8) == 0 ? "applayer" : "decode");
	eve_str(e, "event", name);
	eve_end(e);
}

static void
ipv4_member(struct eve *e, const char *key, const uint8_t a[4])
{
	struct ip_addr ip;
	ip_addr_set_v4(&ip, a);
	eve_ip(e, key, &ip);
}

void
eve_event_dhcp(struct eve *e, const struct flow *f, const struct pkt *p, const struct dhcp_msg *m)
{
	static const uint8_t zero[4] = { 0 };
	eve_begin_packet(e, p->ts_us, "dhcp", f, p);
	eve_obj(e, "dhcp");
	eve_str(e, "type", m->op == 1 ? "request" : "reply");
	eve_int(e, "id", m->xid);
	eve_hex(e, "client_mac", m->chaddr, 6, ':');
	if (memcmp(m->ciaddr, zero, 4) != 0)
		ipv4_member(e, "client_ip", m->ciaddr);
	if (memcmp(m->yiaddr, zero, 4) != 0)
		ipv4_member(e, "assigned_ip", m->yiaddr);
	if (m->has_requested)
		ipv4_member(e, "requested_ip", m->requested);
	eve_str(e, "dhcp_type", proto_dhcp_type_name(m->type));
	if (m->hostname[0])
		eve_str(e, "hostname", m->hostname);
	if (m->vendor_class[0])
		eve_str(e, "vendor_class_identifier", m->vendor_class);
	eve_end(e);
}

void
eve_event_ssh(struct eve *e, const struct flow *f, const struct pkt *p, bool client,
    struct span proto, struct span software)
{
	eve_begin(e, p->ts_us, "ssh", f, NULL);
	eve_obj(e, "ssh");
	eve_obj(e, client ? "client" : "server");
	eve_span(e, "proto_version", proto);
	eve_span(e, "software_version", software);
	eve_end(e);
}
