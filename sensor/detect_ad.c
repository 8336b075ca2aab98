/* detect_ad.c - attacks on a Windows domain seen on the wire:
 * Kerberoasting (service tickets issued with RC4, which can be cracked
 * offline; counted per client and service within an hour) and Zerologon
 * (Netlogon authentication with an all-zero credential, counted per
 * client and domain controller within 10 minutes; a password reset after
 * it is critical at once). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sensor/proto_dcerpc.h"
#include "sensor/proto_krb5.h"
#include "sensor/sensor.h"

#define KERBEROAST_SPAN_MS (3600 * 1000LL)
#define ZEROLOGON_SPAN_MS (600 * 1000LL)

void
detect_ad_krb5(struct sensor *s, struct flow *f, const struct pkt *p)
{
	struct krb5_msg m;
	char msg[400], a[64];
	if (proto_krb5_parse(p->payload, p->l4 == L4_TCP, &m) != 0 || m.msg_type != KRB5_TGS_REP)
		return;
	if (m.ticket_etype != KRB5_ETYPE_RC4 && m.ticket_etype != KRB5_ETYPE_RC4_EXP)
		return;
	/* the TGT service and computer accounts (random 120-character
	 * passwords) are not worth cracking */
	size_t sl = strlen(m.sname);
	if (sl == 0 || strncasecmp(m.sname, "krbtgt", 6) == 0 || m.sname[sl - 1] == '$')
		return;
	int64_t now = p->ts_us / 1000;
	struct window_entry *e = detect_window(s, R_KERBEROAST, &p->dst, NULL);
	if (!e)
		return;
	window_hit(e, now, KERBEROAST_SPAN_MS);
	size_t n = window_add_user(e, (uint32_t)window_hash_cstr(0, m.sname));
	if (n < s->det.conf.kerberoast_services || !detect_window_fire(e, now, KERBEROAST_SPAN_MS))
		return;
	snprintf(msg, sizeof(msg), "%s (%s@%s) got an RC4 service ticket for %s", ip_addr_str(&p->dst, a,
	    sizeof(a)), m.cname, m.realm, m.sname);
	sensor_alert_begin(s, f, p, detect_rule(R_KERBEROAST), msg);
	eve_str(&s->eve, "service", m.sname);
	eve_str(&s->eve, "client", m.cname);
	eve_str(&s->eve, "realm", m.realm);
	eve_int(&s->eve, "ticket_etype", m.ticket_etype);
	eve_int(&s->eve, "services", (int64_t)n);
	sensor_alert_end(s);
}

void
detect_ad_dcerpc(struct sensor *s, struct flow *f, const struct pkt *p, bool to_server)
{
	struct dcerpc_pdu d;
	uint8_t cred[8];
	char comp[64], msg[300], a[64], b[64];
	static const uint8_t zero[8];
	if (!to_server || proto_dcerpc_parse(p->payload, &d) != 0)
		return;
	if (d.ptype == DCERPC_BIND) {
		if (d.netlogon)
			f->det |= DET_NETLOGON;
		return;
	}
	if (!(f->det & DET_NETLOGON) || proto_dcerpc_nrpc_cred(&d, cred, comp, sizeof(comp)) != 0 ||
	    memcmp(cred, zero, 8) != 0)
		return;
	ip_addr_str(&f->src, a, sizeof(a));
	ip_addr_str(&f->dst, b, sizeof(b));
	if (d.opnum == NRPC_PASSWORD_SET || d.opnum == NRPC_PASSWORD_SET2) {
		if (f->det & DET_ZL_RESET)
			return;
		f->det |= DET_ZL_RESET;
		snprintf(msg, sizeof(msg), "%s reset the password of %s on %s with a zero authenticator",
		    a, comp, b);
		sensor_alert_begin(s, f, p, detect_rule(R_ZEROLOGON_RESET), msg);
		eve_str(&s->eve, "computer", comp);
		eve_int(&s->eve, "opnum", d.opnum);
		sensor_alert_end(s);
		return;
	}
	int64_t now = p->ts_us / 1000;
	struct window_entry *e = detect_window(s, R_ZEROLOGON, &f->src, &f->dst);
	if (!e)
		return;
	size_t n = window_hit(e, now, ZEROLOGON_SPAN_MS);
	if (n < s->det.conf.zerologon_attempts || !detect_window_fire(e, now, ZEROLOGON_SPAN_MS))
		return;
	snprintf(msg, sizeof(msg), "%s tried %zu Netlogon logons as %s on %s with a zero credential",
	    a, n, comp, b);
	sensor_alert_begin(s, f, p, detect_rule(R_ZEROLOGON), msg);
	eve_str(&s->eve, "computer", comp);
	eve_int(&s->eve, "attempts", (int64_t)n);
	sensor_alert_end(s);
}
