/* sensor.c - the per-packet pipeline and the flow/stats/anomaly events. */
#include "sensor/sensor.h"

#include <string.h>

#include "common/err.h"
#include "sensor/decode.h"

static void on_flow_end(void *ud, struct flow *f, enum flow_end_reason why);

int
sensor_init(struct sensor *s, const struct sensor_conf *conf, int linktype, FILE *eve_out,
    const struct ioc_set *iocs)
{
	memset(s, 0, sizeof(*s));
	s->linktype = linktype;
	s->iocs = iocs;
	s->eve.out = eve_out;
	size_t maxf = conf && conf->max_flows ? conf->max_flows : 65536;
	int rc = flow_table_init(&s->flows, maxf, on_flow_end, s);
	if (rc != 0)
		return rc;
	if (conf && conf->flow_timeout_s > 0)
		s->flows.timeout_us = conf->flow_timeout_s * 1000000LL;
	rc = detect_init(&s->det);
	if (rc != 0)
		flow_table_free(&s->flows);
	return rc;
}

void
sensor_free(struct sensor *s)
{
	flow_table_free(&s->flows);
	detect_free(&s->det);
}

void
sensor_alert(struct sensor *s, const struct flow *f, const struct pkt *p,
    const struct detect_rule *r, const char *message, json_t *extra)
{
	static const int eve_sev[] = { 3, 3, 2, 1, 1 };	/* Suricata: 1 is the worst */
	json_t *ev = eve_new(p ? p->ts_us : s->now_us, "alert", f, p);
	if (!ev)
		return;
	json_t *al = json_pack("{s:s, s:i, s:i, s:i, s:s, s:s, s:i}", "action", "allowed",
	    "gid", 1, "signature_id", (json_int_t)r->sid, "rev", 1,
	    "signature", r->r.name, "category", r->category,
	    "severity", eve_sev[r->r.severity]);
	json_t *mj = json_pack("{s:s, s:s, s:s, s:s, s:{s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s}}}",
	    "rule_id", r->r.id, "severity", alert_severity_name(r->r.severity),
	    "ir_step", alert_ir_step_name(r->r.ir_step), "message", message ? message : r->r.name,
	    "text", "en", "what", r->r.what.en, "why", r->r.why.en, "action", r->r.action.en,
	    "ja", "what", r->r.what.ja, "why", r->r.why.ja, "action", r->r.action.ja);
	if (al && mj && extra)
		json_object_update(mj, extra);
	if (al && mj)
		json_object_set_new(al, "mamori", mj);
	else
		json_decref(mj);
	json_object_set_new(ev, "alert", al ? al : json_null());
	s->st.alerts++;
	eve_write(&s->eve, ev);
}

static const char *
app_name(uint8_t app)
{
	static const char *const n[] = { NULL, "dns", "http", "tls", "smb", "rdp", "ssh",
		"ftp", "telnet" };
	return app < sizeof(n) / sizeof(n[0]) ? n[app] : NULL;
}

static void
on_flow_end(void *ud, struct flow *f, enum flow_end_reason why)
{
	struct sensor *s = ud;
	char t1[48], t2[48];
	if (f->proto == 6 && f->syn_seen && !f->synack_seen && !(f->done & FLOW_DONE_SCAN))
		detect_scan_failed(s, f, f->last_us);
	json_t *ev = eve_new(f->last_us, "flow", f, NULL);
	if (!ev)
		return;
	const char *app = app_name(f->app);
	if (app)
		json_object_set_new(ev, "app_proto", json_string(app));
	eve_timestamp(f->first_us, t1, sizeof(t1));
	eve_timestamp(f->last_us, t2, sizeof(t2));
	static const char *const reasons[] = { "timeout", "evicted", "shutdown" };
	const char *state = f->closed ? "closed" : f->proto == 6 && f->synack_seen ?
	    "established" : "new";
	json_t *fo = json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:I, s:s, s:s, s:b}",
	    "pkts_toserver", (json_int_t)f->pkts_ts, "pkts_toclient", (json_int_t)f->pkts_tc,
	    "bytes_toserver", (json_int_t)f->bytes_ts, "bytes_toclient", (json_int_t)f->bytes_tc,
	    "start", t1, "end", t2, "age", (json_int_t)((f->last_us - f->first_us) / 1000000),
	    "state", state, "reason", reasons[why], "alerted", 0);
	if (fo && f->proto == 6) {
		char flags[8];
		uint8_t all = f->tcp_flags_ts | f->tcp_flags_tc;
		snprintf(flags, sizeof(flags), "%02x", all);
		json_object_set_new(ev, "tcp", json_pack("{s:s, s:b, s:b, s:b, s:b}",
		    "tcp_flags", flags, "syn", (all & TCP_SYN) != 0, "fin", (all & TCP_FIN) != 0,
		    "rst", (all & TCP_RST) != 0, "ack", (all & TCP_ACK) != 0));
	}
	json_object_set_new(ev, "flow", fo ? fo : json_null());
	eve_write(&s->eve, ev);
}

static void
anomaly_event(struct sensor *s, const struct pkt *p, enum anomaly a, const struct flow *f)
{
	s->st.anomalies[a]++;
	if (s->anomaly_events >= SENSOR_MAX_ANOMALY_EVENTS)
		return;
	s->anomaly_events++;
	json_t *ev = eve_new(p->ts_us, "anomaly", f, p);
	if (!ev)
		return;
	const char *name = anomaly_name(a);
	json_object_set_new(ev, "anomaly", json_pack("{s:s, s:s}", "type",
	    strncmp(name, "applayer", 8) == 0 ? "applayer" : "decode", "event", name));
	eve_write(&s->eve, ev);
}

static json_t *
dns_json(const struct dns_msg *m)
{
	const char *tn = proto_dns_type_name(m->qtype);
	char tbuf[16];
	if (!tn) {
		snprintf(tbuf, sizeof(tbuf), "TYPE%u", m->qtype);
		tn = tbuf;
	}
	json_t *d = json_pack("{s:s, s:i, s:s, s:s}", "type", m->response ? "answer" : "query",
	    "id", m->id, "rrname", m->qname, "rrtype", tn);
	if (!d)
		return NULL;
	if (m->nextra) {
		json_t *qs = json_array();
		json_array_append_new(qs, json_pack("{s:s, s:s}", "rrname", m->qname, "rrtype", tn));
		for (size_t i = 0; i < m->nextra; i++) {
			const char *en = proto_dns_type_name(m->extra_qtype[i]);
			json_array_append_new(qs, json_pack("{s:s, s:s}", "rrname", m->extra_qname[i],
			    "rrtype", en ? en : "OTHER"));
		}
		json_object_set_new(d, "queries", qs);
	}
	if (m->response) {
		json_object_set_new(d, "rcode", json_string(proto_dns_rcode_name(m->rcode)));
		json_t *ans = json_array();
		for (size_t i = 0; i < m->nanswers; i++) {
			const struct dns_answer *a = &m->answers[i];
			const char *an = proto_dns_type_name(a->rrtype);
			json_array_append_new(ans, json_pack("{s:s, s:s, s:I, s:s}", "rrname",
			    a->rrname, "rrtype", an ? an : "OTHER", "ttl", (json_int_t)a->ttl,
			    "rdata", a->rdata));
		}
		json_object_set_new(d, "answers", ans);
	}
	return d;
}

static void
app_dns(struct sensor *s, struct flow *f, const struct pkt *p, struct span msg)
{
	struct dns_msg m;
	if (proto_dns_parse(msg, &m) != 0) {
		anomaly_event(s, p, ANOM_DNS_MALFORMED, f);
		return;
	}
	if (!m.has_query)
		return;
	f->app = APP_DNS;
	s->st.dns++;
	json_t *ev = eve_new(p->ts_us, "dns", f, NULL);
	if (ev) {
		/* EVE's 5-tuple is the packet's for DNS: queries and answers differ */
		char a[64], b[64];
		json_object_set_new(ev, "src_ip", json_string(ip_addr_str(&p->src, a, sizeof(a))));
		json_object_set_new(ev, "src_port", json_integer(p->sport));
		json_object_set_new(ev, "dest_ip", json_string(ip_addr_str(&p->dst, b, sizeof(b))));
		json_object_set_new(ev, "dest_port", json_integer(p->dport));
		json_object_set_new(ev, "dns", dns_json(&m));
		eve_write(&s->eve, ev);
	}
	if (!m.response) {
		detect_dns_query(s, f, p, &m);
		detect_ioc_domain(s, f, p, span_from_cstr(m.qname), "DNS query");
	}
}

static bool
is_dns_port(uint16_t port)
{
	return port == 53 || port == 5353 || port == 5355;
}

static void
app_http(struct sensor *s, struct flow *f, const struct pkt *p, bool to_server)
{
	if (to_server) {
		struct http_req r;
		if (!proto_http_is_request(p->payload))
			return;
		if (proto_http_parse_request(p->payload, &r) != 0) {
			anomaly_event(s, p, ANOM_HTTP_MALFORMED, f);
			return;
		}
		f->app = APP_HTTP;
		s->st.http++;
		json_t *ev = eve_new(p->ts_us, "http", f, NULL);
		if (ev) {
			json_t *h = json_object();
			if (r.host.len)
				json_object_set_new(h, "hostname", eve_str(r.host));
			json_object_set_new(h, "url", eve_str(r.uri));
			if (r.user_agent.len)
				json_object_set_new(h, "http_user_agent", eve_str(r.user_agent));
			json_object_set_new(h, "http_method", eve_str(r.method));
			json_object_set_new(h, "protocol", eve_str(r.version));
			json_object_set_new(ev, "http", h);
			eve_write(&s->eve, ev);
		}
		detect_http_request(s, f, p, &r);
		if (r.host.len) {
			/* Host may carry a port: match the name only */
			struct span hn = r.host;
			size_t c = span_find(hn, ':');
			if (c < hn.len && hn.p[0] != '[')
				hn.len = c;
			detect_ioc_domain(s, f, p, hn, "HTTP request");
		}
		detect_ioc_url(s, f, p, &r);
	} else if (span_starts_with(p->payload, "HTTP/1.")) {
		struct http_resp r;
		if (proto_http_parse_response(p->payload, &r) != 0)
			return;
		f->app = APP_HTTP;
		json_t *ev = eve_new(p->ts_us, "http", f, NULL);
		if (ev) {
			uint64_t st = 0;
			span_to_u64(r.status, 999, &st);
			json_t *h = json_pack("{s:I, s:o}", "status", (json_int_t)st, "protocol",
			    eve_str(r.version));
			if (h && r.content_type.len)
				json_object_set_new(h, "http_content_type", eve_str(r.content_type));
			json_object_set_new(ev, "http", h ? h : json_null());
			eve_write(&s->eve, ev);
		}
	}
}

static void
app_tls(struct sensor *s, struct flow *f, const struct pkt *p, bool to_server)
{
	uint8_t bit = to_server ? FLOW_DONE_TLS_CH : FLOW_DONE_TLS_SH;
	if ((f->done & bit) || !proto_tls_is_handshake(p->payload))
		return;
	struct tls_hello h;
	int rc = proto_tls_parse_hello(p->payload, &h);
	if (rc == MAMORI_E_LIMIT)
		return;	/* hello continues in the next segment: not reassembled yet */
	f->done |= bit;
	if (rc != 0 || h.client != to_server) {
		anomaly_event(s, p, ANOM_TLS_MALFORMED, f);
		return;
	}
	f->app = APP_TLS;
	s->st.tls++;
	json_t *ev = eve_new(p->ts_us, "tls", f, NULL);
	if (ev) {
		json_t *t = json_object();
		json_object_set_new(t, "version", json_string(proto_tls_version_name(h.version)));
		if (h.client) {
			if (h.sni[0])
				json_object_set_new(t, "sni", json_string(h.sni));
			json_object_set_new(t, "ja3", json_pack("{s:s, s:s}", "hash", h.ja3_md5,
			    "string", h.ja3));
		} else {
			char cs[8];
			snprintf(cs, sizeof(cs), "0x%04x", h.cipher);
			json_object_set_new(t, "cipher_suite", json_string(cs));
			json_object_set_new(t, "ja3s", json_pack("{s:s, s:s}", "hash", h.ja3_md5,
			    "string", h.ja3));
		}
		json_object_set_new(ev, "tls", t);
		eve_write(&s->eve, ev);
	}
	if (h.client) {
		if (h.sni[0])
			detect_ioc_domain(s, f, p, span_from_cstr(h.sni), "TLS SNI");
		detect_ioc_ja3(s, f, p, &h);
	}
}

static void
update_flow(struct sensor *s, struct flow *f, const struct pkt *p, bool to_server)
{
	f->last_us = p->ts_us > f->last_us ? p->ts_us : f->last_us;
	if (to_server) {
		f->pkts_ts++;
		f->bytes_ts += p->wire_len;
	} else {
		f->pkts_tc++;
		f->bytes_tc += p->wire_len;
	}
	if (p->l4 != L4_TCP)
		return;
	uint8_t fl = p->tcp_flags;
	if (to_server)
		f->tcp_flags_ts |= fl;
	else
		f->tcp_flags_tc |= fl;
	if ((fl & (TCP_SYN | TCP_ACK)) == TCP_SYN && to_server)
		f->syn_seen = true;
	if ((fl & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK) && !to_server)
		f->synack_seen = true;
	if (fl & TCP_FIN)
		f->closed |= to_server ? FLOW_CLOSED_FIN_C : FLOW_CLOSED_FIN_S;
	if (fl & TCP_RST) {
		f->closed |= FLOW_CLOSED_RST;
		/* a refused attempt: a closed port answering a scanner */
		if (!to_server && f->syn_seen && !f->synack_seen && !(f->done & FLOW_DONE_SCAN)) {
			f->done |= FLOW_DONE_SCAN;
			detect_scan_failed(s, f, p->ts_us);
		}
	}
}

static void
count_layers(struct sensor *s, const struct pkt *p)
{
	if (p->nvlan)
		s->st.vlan++;
	if (p->is_arp)
		s->st.arp++;
	if (p->ip_ver == 4)
		s->st.ipv4++;
	else if (p->ip_ver == 6)
		s->st.ipv6++;
	if (p->frag)
		s->st.frag++;
	switch (p->l4) {
	case L4_TCP: s->st.tcp++; break;
	case L4_UDP: s->st.udp++; break;
	case L4_ICMP: s->st.icmpv4++; break;
	case L4_ICMP6: s->st.icmpv6++; break;
	default: break;
	}
}

void
sensor_packet(struct sensor *s, int64_t ts_us, const uint8_t *data, uint32_t cap_len,
    uint32_t wire_len)
{
	struct pkt p;
	memset(&p, 0, sizeof(p));
	p.ts_us = ts_us;
	p.data = data;
	p.cap_len = cap_len;
	p.wire_len = wire_len;
	s->st.pkts++;
	s->st.bytes += wire_len;
	if (s->first_us == 0)
		s->first_us = ts_us;
	if (ts_us > s->now_us)
		s->now_us = ts_us;
	decode_packet(s->linktype, &p);
	count_layers(s, &p);
	if (p.anomaly != ANOM_NONE) {
		s->st.invalid++;
		anomaly_event(s, &p, p.anomaly, NULL);
		/* a bad TCP option still leaves a usable header */
		if (p.anomaly != ANOM_TCP_BAD_OPTLEN)
			goto housekeeping;
	}
	if (p.ip_ver == 0 || p.l4 == L4_NONE || (p.frag && !p.frag_first))
		goto housekeeping;

	bool to_server, created;
	struct flow *f = flow_table_get(&s->flows, &p, &to_server, &created);
	if (!f)
		goto housekeeping;
	update_flow(s, f, &p, to_server);
	detect_ioc_flow(s, f, &p);
	if (p.l4 == L4_TCP)
		detect_exposed_packet(s, f, &p, to_server);
	if (p.payload.len == 0)
		goto housekeeping;
	if (p.l4 == L4_UDP && (is_dns_port(p.dport) || is_dns_port(p.sport))) {
		app_dns(s, f, &p, p.payload);
	} else if (p.l4 == L4_UDP && (p.dport == 1900 || p.sport == 1900)) {
		app_http(s, f, &p, p.dport == 1900);	/* SSDP: HTTP over UDP */
	} else if (p.l4 == L4_TCP) {
		if ((p.dport == 53 || p.sport == 53) && p.payload.len > 2) {
			size_t n = (size_t)((uint8_t)p.payload.p[0] << 8 | (uint8_t)p.payload.p[1]);
			if (n + 2 <= p.payload.len)
				app_dns(s, f, &p, (struct span){ p.payload.p + 2, n });
		} else if (proto_tls_is_handshake(p.payload)) {
			app_tls(s, f, &p, to_server);
		} else {
			app_http(s, f, &p, to_server);
		}
	}
housekeeping:
	if (s->now_us >= s->next_expire_us) {
		flow_table_expire(&s->flows, s->now_us);
		s->next_expire_us = s->now_us + 1000000;
	}
}

void
sensor_write_stats(struct sensor *s)
{
	json_t *ev = eve_new(s->now_us, "stats", NULL, NULL);
	if (!ev)
		return;
	json_t *anom = json_object();
	for (int i = 1; i < ANOM__COUNT; i++)
		if (s->st.anomalies[i])
			json_object_set_new(anom, anomaly_name((enum anomaly)i),
			    json_integer((json_int_t)s->st.anomalies[i]));
	const struct sensor_stats *t = &s->st;
	json_t *st = json_pack("{s:I, s:{s:I, s:I, s:I}, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o},"
	    " s:{s:I, s:I, s:I, s:I, s:I}, s:{s:I, s:I, s:I}, s:{s:I}}",
	    "uptime", (json_int_t)((s->now_us - s->first_us) / 1000000),
	    "capture", "kernel_packets", (json_int_t)t->kernel_packets,
	    "kernel_drops", (json_int_t)t->kernel_drops, "kernel_ifdrops", (json_int_t)t->kernel_ifdrops,
	    "decoder", "pkts", (json_int_t)t->pkts, "bytes", (json_int_t)t->bytes,
	    "invalid", (json_int_t)t->invalid, "ipv4", (json_int_t)t->ipv4, "ipv6", (json_int_t)t->ipv6,
	    "tcp", (json_int_t)t->tcp, "udp", (json_int_t)t->udp, "icmpv4", (json_int_t)t->icmpv4,
	    "icmpv6", (json_int_t)t->icmpv6, "arp", (json_int_t)t->arp, "vlan", (json_int_t)t->vlan,
	    "fragments", (json_int_t)t->frag, "event", anom,
	    "flow", "active", (json_int_t)s->flows.used, "total", (json_int_t)s->flows.total,
	    "evicted", (json_int_t)s->flows.evicted, "timed_out", (json_int_t)s->flows.timed_out,
	    "memcap_flows", (json_int_t)s->flows.cap,
	    "app_layer", "dns", (json_int_t)t->dns, "http", (json_int_t)t->http, "tls", (json_int_t)t->tls,
	    "detect", "alert", (json_int_t)t->alerts);
	json_object_set_new(ev, "stats", st ? st : json_null());
	eve_write(&s->eve, ev);
}

void
sensor_finish(struct sensor *s)
{
	flow_table_flush(&s->flows);
	sensor_write_stats(s);
	fflush(s->eve.out);
}
