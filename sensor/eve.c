/* eve.c - the EVE JSON envelope and line writer. */
#include "sensor/eve.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/err.h"

void
eve_timestamp(int64_t ts_us, char *buf, size_t n)
{
	time_t t = (time_t)(ts_us / 1000000);
	int us = (int)(ts_us % 1000000);
	if (us < 0) {
		us += 1000000;
		t--;
	}
	struct tm tm;
	gmtime_r(&t, &tm);
	size_t k = strftime(buf, n, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + k, n - k, ".%06d+0000", us);
}

static const char *
proto_name(uint8_t proto, char *buf, size_t n)
{
	switch (proto) {
	case 6: return "TCP";
	case 17: return "UDP";
	case 1: return "ICMP";
	case 58: return "IPv6-ICMP";
	default:
		snprintf(buf, n, "%u", proto);
		return buf;
	}
}

json_t *
eve_new(int64_t ts_us, const char *type, const struct flow *f, const struct pkt *p)
{
	char ts[48], a[64], b[64], pn[8];
	json_t *o = json_object();
	if (!o)
		return NULL;
	eve_timestamp(ts_us, ts, sizeof(ts));
	json_object_set_new(o, "timestamp", json_string(ts));
	if (f)
		json_object_set_new(o, "flow_id", json_integer((json_int_t)f->id));
	json_object_set_new(o, "event_type", json_string(type));
	if (f) {
		json_object_set_new(o, "src_ip", json_string(ip_addr_str(&f->src, a, sizeof(a))));
		json_object_set_new(o, "src_port", json_integer(f->sport));
		json_object_set_new(o, "dest_ip", json_string(ip_addr_str(&f->dst, b, sizeof(b))));
		json_object_set_new(o, "dest_port", json_integer(f->dport));
		json_object_set_new(o, "proto", json_string(proto_name(f->proto, pn, sizeof(pn))));
		if (f->key.vlan)
			json_object_set_new(o, "vlan", json_pack("[i]", f->key.vlan));
	} else if (p && p->ip_ver) {
		json_object_set_new(o, "src_ip", json_string(ip_addr_str(&p->src, a, sizeof(a))));
		json_object_set_new(o, "dest_ip", json_string(ip_addr_str(&p->dst, b, sizeof(b))));
		if (p->l4 == L4_TCP || p->l4 == L4_UDP) {
			json_object_set_new(o, "src_port", json_integer(p->sport));
			json_object_set_new(o, "dest_port", json_integer(p->dport));
		}
		json_object_set_new(o, "proto", json_string(proto_name(p->ip_proto, pn, sizeof(pn))));
	}
	return o;
}

json_t *
eve_str(struct span s)
{
	json_t *j = json_stringn(s.p, s.len);
	if (j) {
		bool ctl = false;
		for (size_t i = 0; i < s.len && !ctl; i++)
			ctl = (unsigned char)s.p[i] < 0x20 && s.p[i] != '\t';
		if (!ctl)
			return j;
		json_decref(j);
	}
	size_t cap = s.len * 4 + 1;
	char *buf = malloc(cap);
	if (!buf)
		return json_null();
	size_t k = 0;
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (c >= 0x20 && c < 0x7f)
			buf[k++] = (char)c;
		else
			k += (size_t)snprintf(buf + k, cap - k, "\\x%02x", c);
	}
	j = json_stringn(buf, k);
	free(buf);
	return j ? j : json_null();
}

int
eve_write(struct eve *e, json_t *ev)
{
	if (!ev)
		return MAMORI_E_NOMEM;
	int rc = MAMORI_OK;
	if (json_dumpf(ev, e->out, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0 ||
	    fputc('\n', e->out) == EOF) {
		e->errors++;
		rc = MAMORI_E_IO;
	} else {
		e->written++;
	}
	json_decref(ev);
	return rc;
}
