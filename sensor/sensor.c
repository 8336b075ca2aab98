/* sensor.c - the per-packet pipeline and the flow/stats/anomaly events. */
#include "sensor/sensor.h"

#include <string.h>
#include <strings.h>

#include "common/err.h"
#include "sensor/decode.h"
#include "sensor/eve_event.h"
#include "sensor/proto_ident.h"
#include "sensor/proto_netbios.h"

static void on_flow_end(void *ud, struct flow *f, enum flow_end_reason why);

int
sensor_init(struct sensor *s, const struct sensor_conf *conf, int linktype, FILE *eve_out,
    const struct ioc_set *iocs)
{
	memset(s, 0, sizeof(*s));
	s->linktype = linktype;
	s->iocs = iocs;
	int rc = eve_init(&s->eve, eve_out);
	if (rc != 0)
		return rc;
	size_t maxf = conf && conf->max_flows ? conf->max_flows : 65536;
	rc = flow_table_init(&s->flows, maxf, on_flow_end, s);
	if (rc != 0) {
		eve_free(&s->eve);
		return rc;
	}
	if (conf && conf->flow_timeout_s > 0)
		s->flows.timeout_us = conf->flow_timeout_s * 1000000LL;
	rc = detect_init(&s->det, conf ? &conf->detect : NULL);
	if (rc == 0 && (rc = asset_table_init(&s->assets)) != 0)
		detect_free(&s->det);
	if (rc == 0 && (rc = defrag_init(&s->defrag, sensor_defrag_dropped, s)) != 0) {
		detect_free(&s->det);
		asset_table_free(&s->assets);
	}
	if (rc == 0 && (rc = digest_set_init(&s->digests)) != 0) {
		detect_free(&s->det);
		asset_table_free(&s->assets);
	}
	if (rc != 0) {
		defrag_free(&s->defrag);
		flow_table_free(&s->flows);
		eve_free(&s->eve);
	}
	return rc;
}

void
sensor_free(struct sensor *s)
{
	for (size_t i = 0; s->flows.pool && i < s->flows.fresh; i++) {
		sensor_tls_flow_end(s, &s->flows.pool[i]);
		detect_lan_flow_end(s, &s->flows.pool[i]);
	}
	flow_table_free(&s->flows);
	defrag_free(&s->defrag);
	digest_set_free(&s->digests);
	detect_free(&s->det);
	asset_table_free(&s->assets);
	eve_free(&s->eve);
}

void
sensor_alert_begin(struct sensor *s, const struct flow *f, const struct pkt *p,
    const struct detect_rule *r, const char *message)
{
	static const int eve_sev[] = { 3, 3, 2, 1, 1 };	/* Suricata: 1 is the worst */
	struct eve *e = &s->eve;
	eve_begin(e, p ? p->ts_us : s->now_us, "alert", f, p);
	eve_obj(e, "alert");
	eve_str(e, "action", "allowed");
	eve_int(e, "gid", 1);
	eve_int(e, "signature_id", r->sid);
	eve_int(e, "rev", 1);
	eve_str(e, "signature", r->r.name);
	eve_str(e, "category", r->category);
	eve_int(e, "severity", eve_sev[r->r.severity]);
	eve_obj(e, "mamori");
	eve_str(e, "rule_id", r->r.id);
	eve_str(e, "severity", alert_severity_name(r->r.severity));
	eve_str(e, "ir_step", alert_ir_step_name(r->r.ir_step));
	eve_str(e, "message", message ? message : r->r.name);
	s->cur_rule = r;
	s->alert_depth = e->depth;
	s->st.alerts++;
}

void
sensor_alert_end(struct sensor *s)
{
	struct eve *e = &s->eve;
	const struct detect_rule *r = s->cur_rule;
	const struct i18n_text *t[3] = { &r->r.what, &r->r.why, &r->r.action };
	static const char *const keys[3] = { "what", "why", "action" };
	while (e->depth > s->alert_depth)
		eve_close(e);	/* objects a detector left open */
	eve_obj(e, "text");
	eve_obj(e, "en");
	for (int i = 0; i < 3; i++)
		eve_str(e, keys[i], t[i]->en);
	eve_close(e);
	eve_obj(e, "ja");
	for (int i = 0; i < 3; i++)
		eve_str(e, keys[i], t[i]->ja);
	eve_end(e);
}

void
sensor_alert(struct sensor *s, const struct flow *f, const struct pkt *p,
    const struct detect_rule *r, const char *message)
{
	sensor_alert_begin(s, f, p, r, message);
	sensor_alert_end(s);
}

static void
on_flow_end(void *ud, struct flow *f, enum flow_end_reason why)
{
	struct sensor *s = ud;
	if (f->proto == 6 && f->syn_seen && !f->synack_seen && !(f->done & FLOW_DONE_SCAN))
		detect_scan_failed(s, f, f->last_us);
	sensor_tls_flow_end(s, f);
	detect_lan_flow_end(s, f);
	eve_event_flow(&s->eve, f, why);
}

void
sensor_anomaly(struct sensor *s, const struct pkt *p, enum anomaly a, const struct flow *f)
{
	s->st.anomalies[a]++;
	if (s->anomaly_events >= SENSOR_MAX_ANOMALY_EVENTS)
		return;
	s->anomaly_events++;
	eve_event_anomaly(&s->eve, f, p, anomaly_name(a));
}

/* mDNS/LLMNR answers that map a name to the sender's own address: the
 * device's name ("printer.local" -> "printer"). */
static void
dns_self_names(struct sensor *s, const struct pkt *p, const struct dns_msg *m)
{
	char me[64], name[64];
	ip_addr_str(&p->src, me, sizeof(me));
	for (size_t i = 0; i < m->nanswers; i++) {
		const struct dns_answer *a = &m->answers[i];
		if ((a->rrtype != 1 && a->rrtype != 28) || strcmp(a->rdata, me) != 0)
			continue;
		struct span n = span_from_cstr(a->rrname);
		if (n.len && n.p[n.len - 1] == '.')
			n.len--;
		if (n.len > 6 && strncasecmp(n.p + n.len - 6, ".local", 6) == 0)
			n.len -= 6;
		if (n.len == 0 || n.len >= sizeof(name))
			continue;
		memcpy(name, n.p, n.len);
		name[n.len] = '\0';
		asset_learn_name(&s->assets, &s->eve, p->src_mac, p->ts_us, name,
		    p->sport == 5353 ? "mdns" : "llmnr");
		return;
	}
}

static void
app_dhcp(struct sensor *s, struct flow *f, const struct pkt *p)
{
	struct dhcp_msg m;
	if (proto_dhcp_parse(p->payload, &m) != 0)
		return;
	s->st.dhcp++;
	eve_event_dhcp(&s->eve, f, p, &m);
	if (m.op == 1) {
		asset_learn_name(&s->assets, &s->eve, m.chaddr, p->ts_us, m.hostname, "dhcp");
		asset_learn_vendor_class(&s->assets, &s->eve, m.chaddr, p->ts_us, m.vendor_class);
	}
}

/* NetBIOS name service: a host registering or refreshing its own name. */
static void
app_nbns(struct sensor *s, const struct pkt *p)
{
	struct dns_msg m;
	char name[16];
	uint8_t suffix;
	if (!p->src_mac || proto_dns_parse(p->payload, &m) != 0 || m.response || !m.has_query)
		return;
	if (m.opcode != NBNS_OP_REGISTRATION && m.opcode != NBNS_OP_REFRESH &&
	    m.opcode != NBNS_OP_REFRESH_ALT)
		return;
	/* suffix 0x00/0x20 is the machine's name, unless the record's NB_FLAGS
	 * (the last 6 bytes: flags, address) mark a group name (WORKGROUP) */
	const uint8_t *b = (const uint8_t *)p->payload.p;
	size_t n = p->payload.len;
	bool group = n >= 8 && b[n - 8] == 0 && b[n - 7] == 6 && (b[n - 6] & 0x80);
	if (!group && proto_netbios_name(m.qname, name, &suffix) == 0 && (suffix == 0x00 || suffix == 0x20))
		asset_learn_name(&s->assets, &s->eve, p->src_mac, p->ts_us, name, "netbios");
}

/* SSH, SMB, RDP on any port, from the first payload of either side. */
static bool
app_ident(struct sensor *s, struct flow *f, const struct pkt *p, bool to_server)
{
	if (f->app != APP_NONE && f->app != APP_SSH)
		return f->app == APP_SMB || f->app == APP_RDP;
	uint8_t app = proto_ident_tcp(p->payload);
	if (app == APP_NONE)
		return false;
	if (f->app == APP_NONE) {
		if (app == APP_SSH)
			s->st.ssh++;
		else if (app == APP_SMB)
			s->st.smb++;
		else
			s->st.rdp++;
	}
	f->app = app;
	struct span proto, sw;
	uint8_t bit = to_server ? FLOW_DONE_HTTP_REQ : FLOW_DONE_HTTP_RESP;	/* banner seen */
	if (app == APP_SSH && !(f->done & bit) && proto_ident_ssh_banner(p->payload, &proto, &sw) == 0) {
		f->done |= bit;
		eve_event_ssh(&s->eve, f, p, to_server, proto, sw);
	}
	return true;
}

static void
app_dns(struct sensor *s, struct flow *f, const struct pkt *p, struct span msg)
{
	struct dns_msg m;
	if (proto_dns_parse(msg, &m) != 0) {
		sensor_anomaly(s, p, ANOM_DNS_MALFORMED, f);
		return;
	}
	if (!m.has_query)
		return;
	if (m.response && (p->sport == 5353 || p->sport == 5355) && p->src_mac)
		dns_self_names(s, p, &m);
	f->app = APP_DNS;
	s->st.dns++;
	eve_event_dns(&s->eve, f, p, &m);
	detect_c2_dns(s, &m);
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
			sensor_anomaly(s, p, ANOM_HTTP_MALFORMED, f);
			return;
		}
		f->app = APP_HTTP;
		s->st.http++;
		eve_event_http_request(&s->eve, f, p, &r);
		detect_http_request(s, f, p, &r);
		detect_c2_http(s, f, p, &r);
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
		eve_event_http_response(&s->eve, f, p, &r);
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
	if ((fl & (TCP_SYN | TCP_ACK)) == TCP_SYN && to_server) {
		f->syn_seen = true;
		f->isn_ts = p->tcp_seq;
	} else if (to_server && f->syn_seen && p->payload.len && p->tcp_seq == f->isn_ts + 1) {
		f->data_ts = true;
	}
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
sensor_flow_packet(struct sensor *s, struct pkt *p)
{
	if (p->ip_ver == 0 || p->l4 == L4_NONE)
		return;
	bool to_server, created;
	struct flow *f = flow_table_get(&s->flows, p, &to_server, &created);
	if (!f)
		return;
	update_flow(s, f, p, to_server);
	detect_ioc_flow(s, f, p);
	if (created)
		detect_outbound_flow(s, f, p);
	detect_outbound_bytes(s, f, p, to_server);
	if (p->l4 == L4_ICMP || p->l4 == L4_ICMP6)
		detect_icmp_echo(s, f, p);
	if (p->l4 == L4_TCP)
		detect_exposed_packet(s, f, p, to_server);
	if (p->payload.len == 0)
		return;
	if (p->l4 == L4_UDP && (is_dns_port(p->dport) || is_dns_port(p->sport))) {
		app_dns(s, f, p, p->payload);
	} else if (p->l4 == L4_UDP && (p->dport == 1900 || p->sport == 1900)) {
		app_http(s, f, p, p->dport == 1900);	/* SSDP: HTTP over UDP */
	} else if (p->l4 == L4_UDP && (p->dport == 67 || p->dport == 68) && (p->sport == 67 || p->sport == 68)) {
		app_dhcp(s, f, p);
	} else if (p->l4 == L4_UDP && p->dport == 137) {
		app_nbns(s, p);
	} else if (p->l4 == L4_UDP) {
		detect_app_udp(s, f, p);
	} else if (p->l4 == L4_TCP) {
		if ((p->dport == 53 || p->sport == 53) && p->payload.len > 2) {
			size_t n = (size_t)((uint8_t)p->payload.p[0] << 8 | (uint8_t)p->payload.p[1]);
			if (n + 2 <= p->payload.len)
				app_dns(s, f, p, (struct span){ p->payload.p + 2, n });
		} else if (sensor_tls_wants(f, to_server, p)) {
			sensor_tls_segment(s, f, p, to_server);
		} else if (!app_ident(s, f, p, to_server)) {
			app_http(s, f, p, to_server);
		}
		detect_app_tcp(s, f, p, to_server);
	}
}

void
sensor_packet(struct sensor *s, int64_t ts_us, const uint8_t *data, uint32_t cap_len,
    uint32_t wire_len)
{
	struct pkt p;
	pkt_clear(&p);
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
	if (p.anomaly == ANOM_NONE)
		asset_learn_packet(&s->assets, &s->eve, &p);
	if (p.anomaly != ANOM_NONE) {
		s->st.invalid++;
		sensor_anomaly(s, &p, p.anomaly, NULL);
		/* a bad TCP option still leaves a usable header */
		if (p.anomaly != ANOM_TCP_BAD_OPTLEN)
			goto housekeeping;
	}
	if (p.frag && p.ip_ver)
		sensor_defrag_packet(s, &p);
	else
		sensor_flow_packet(s, &p);
housekeeping:
	if (s->now_us >= s->next_expire_us) {
		flow_table_expire(&s->flows, s->now_us);
		defrag_expire(&s->defrag, s->now_us);
		s->next_expire_us = s->now_us + 1000000;
	}
}

static void
counters(struct eve *e, const char *obj, const char *const *names, const uint64_t *v, size_t n)
{
	eve_obj(e, obj);
	for (size_t i = 0; i < n; i++)
		eve_int(e, names[i], (int64_t)v[i]);
}

void
sensor_write_stats(struct sensor *s)
{
	const struct sensor_stats *t = &s->st;
	struct eve *e = &s->eve;
	eve_begin(e, s->now_us, "stats", NULL, NULL);
	eve_obj(e, "stats");
	eve_int(e, "uptime", (s->now_us - s->first_us) / 1000000);
	static const char *const capn[] = { "kernel_packets", "kernel_drops", "kernel_ifdrops" };
	const uint64_t capv[] = { t->kernel_packets, t->kernel_drops, t->kernel_ifdrops };
	counters(e, "capture", capn, capv, 3);
	eve_close(e);
	static const char *const decn[] = { "pkts", "bytes", "invalid", "ipv4", "ipv6", "tcp", "udp",
		"icmpv4", "icmpv6", "arp", "vlan", "fragments" };
	const uint64_t decv[] = { t->pkts, t->bytes, t->invalid, t->ipv4, t->ipv6, t->tcp, t->udp,
		t->icmpv4, t->icmpv6, t->arp, t->vlan, t->frag };
	counters(e, "decoder", decn, decv, 12);
	eve_obj(e, "event");
	for (int i = 1; i < ANOM__COUNT; i++)
		if (t->anomalies[i])
			eve_int(e, anomaly_name((enum anomaly)i), (int64_t)t->anomalies[i]);
	eve_close(e);
	eve_close(e);
	static const char *const defn[] = { "reassembled", "dropped", "in_flight", "bytes" };
	const uint64_t defv[] = { s->defrag.reassembled, s->defrag.dropped, s->defrag.n, s->defrag.bytes };
	counters(e, "defrag", defn, defv, 4);
	eve_close(e);
	static const char *const flown[] = { "active", "total", "evicted", "timed_out", "memcap_flows" };
	const uint64_t flowv[] = { s->flows.used, s->flows.total, s->flows.evicted, s->flows.timed_out,
		s->flows.cap };
	counters(e, "flow", flown, flowv, 5);
	eve_close(e);
	static const char *const appn[] = { "dns", "http", "tls", "tls_certificates", "dhcp", "ssh",
		"smb", "rdp" };
	const uint64_t appv[] = { t->dns, t->http, t->tls, t->tls_certs, t->dhcp, t->ssh, t->smb,
		t->rdp };
	counters(e, "app_layer", appn, appv, 8);
	eve_close(e);
	const struct tls_stream_pool *tp = &s->tls_pool;
	static const char *const tlsn[] = { "started", "held", "reordered", "hold_dropped",
		"hold_unused", "gaps", "over_flow_cap", "over_global_cap", "not_handshake" };
	const uint64_t tlsv[] = { tp->started, tp->held, tp->reordered, tp->hold_dropped,
		tp->hold_unused, tp->gaps, tp->over_flow_cap, tp->over_global_cap, tp->not_handshake };
	counters(e, "tls_buffer", tlsn, tlsv, 9);
	eve_close(e);
	const struct smb_stream_pool *sp = &s->smb_pool;
	static const char *const smbn[] = { "reassembled", "gaps", "over_flow_cap", "over_global_cap",
		"not_smb", "resynced", "skipped_bytes", "false_syncs", "scan_exhausted" };
	const uint64_t smbv[] = { sp->reassembled, sp->gaps, sp->over_flow_cap, sp->over_global_cap,
		sp->not_smb, sp->resynced, sp->skipped_bytes, sp->false_syncs, sp->scan_exhausted };
	counters(e, "smb_buffer", smbn, smbv, 9);
	eve_close(e);
	static const char *const assn[] = { "devices", "untracked" };
	const uint64_t assv[] = { s->assets.n, s->assets.dropped };
	counters(e, "assets", assn, assv, 2);
	eve_close(e);
	static const char *const detn[] = { "alert" };
	counters(e, "detect", detn, &t->alerts, 1);
	eve_end(e);
}

void
sensor_finish(struct sensor *s)
{
	flow_table_flush(&s->flows);
	sensor_write_stats(s);
	eve_flush(&s->eve);
}
