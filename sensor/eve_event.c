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

void
eve_event_flow(struct eve *e, const struct flow *f, enum flow_end_reason why)
{
	static const char *const reasons[] = { "timeout", "evicted", "shutdown" };
	eve_begin(e, f->last_us, "flow", f, NULL);
	const char *app = eve_event_app_name(f->app);
	if (app)
		eve_str(e, "app_proto", app);
	eve_obj(e, "flow");
	eve_int(e, "pkts_toserver", (int64_t)f->pkts_ts);
	eve_int(e, "pkts_toclient", (int64_t)f->pkts_tc);
	eve_int(e, "bytes_toserver", (int64_t)f->bytes_ts);
	eve_int(e, "bytes_toclient", (int64_t)f->bytes_tc);
	eve_time(e, "start", f->first_us);
	eve_time(e, "end", f->last_us);
	eve_int(e, "age", (f->last_us - f->first_us) / 1000000);
	eve_str(e, "state", f->closed ? "closed" : f->proto == 6 && f->synack_seen ?
	    "established" : "new");
	eve_str(e, "reason", reasons[why]);
	eve_bool(e, "alerted", false);
	eve_close(e);
	if (f->proto == 6) {
		uint8_t all = f->tcp_flags_ts | f->tcp_flags_tc;
		eve_obj(e, "tcp");
		eve_hex(e, "tcp_flags", &all, 1, 0);
		eve_bool(e, "syn", (all & TCP_SYN) != 0);
		eve_bool(e, "fin", (all & TCP_FIN) != 0);
		eve_bool(e, "rst", (all & TCP_RST) != 0);
		eve_bool(e, "ack", (all & TCP_ACK) != 0);
		eve_close(e);
	}
	eve_end(e);
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
