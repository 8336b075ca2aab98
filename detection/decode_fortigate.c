/*
 * decode_fortigate.c - FortiGate (FortiOS) key=value logs, raw or behind a
 * syslog header: SSL/IPsec VPN logins (subtype="vpn"), administrator
 * logins (subtype="system", logdesc "Admin login failed"), IPS and other
 * UTM detections (type="utm").
 */
#include "detection/decode_util.h"
#include "detection/decoder.h"

bool
decode_fortigate(struct decode_ctx *dc, const struct decode_in *in, struct event *ev)
{
	struct span m = in->msg, type, sub, action, v, date, time;
	(void)dc;
	if (!decode_kv(m, "logid", &v) || !decode_kv(m, "type", &type) || !decode_kv(m, "subtype", &sub))
		return false;
	ev->decoder = "fortigate";
	event_set_cstr(ev, "observer.vendor", "Fortinet");
	event_set_cstr(ev, "observer.product", "FortiGate");
	if (decode_kv(m, "devname", &v))
		event_set(ev, "observer.name", v);
	if (decode_kv(m, "date", &date) && decode_kv(m, "time", &time) && date.len == 10 && time.len >= 8) {
		char buf[20];
		for (size_t i = 0; i < 10; i++)
			buf[i] = date.p[i];
		buf[10] = 'T';
		for (size_t i = 0; i < 8; i++)
			buf[11 + i] = time.p[i];
		int64_t ms;
		if (decode_iso8601((struct span){ buf, 19 }, &ms)) {
			struct span tz;
			/* tz="-0700": the device's offset from UTC */
			if (decode_kv(m, "tz", &tz) && tz.len == 5 && (tz.p[0] == '+' || tz.p[0] == '-')) {
				int oh = decode_digits(tz, 1, 2), om = decode_digits(tz, 3, 2);
				if (oh >= 0 && om >= 0)
					ms -= (int64_t)(oh * 60 + om) * 60000 * (tz.p[0] == '-' ? -1 : 1);
			}
			ev->ts_ms = ms;
		}
	}
	bool have_action = decode_kv(m, "action", &action);
	if (decode_kv(m, "remip", &v) || decode_kv(m, "srcip", &v))
		decode_set_source(ev, v);
	if (decode_kv(m, "dstip", &v) || decode_kv(m, "locip", &v))
		event_set(ev, "destination.ip", v);
	if (decode_kv(m, "user", &v))
		decode_set_user(ev, v);
	if (decode_kv(m, "msg", &v))
		event_set(ev, "message", v);
	if (decode_kv(m, "reason", &v))
		event_set(ev, "event.reason", v);

	if (span_eq(type, "event") && span_eq(sub, "vpn") && have_action) {
		event_set_cstr(ev, "service.type", "vpn");
		event_set(ev, "event.action", action);
		if (span_eq(action, "ssl-login-fail") || span_eq(action, "negotiate-error") ||
		    (decode_kv(m, "status", &v) && span_eq(v, "failure"))) {
			event_set_cstr(ev, "event.category", "authentication");
			event_set_cstr(ev, "event.outcome", "failure");
		} else if (span_eq(action, "tunnel-up") || span_eq(action, "ssl-login")) {
			event_set_cstr(ev, "event.category", "authentication");
			event_set_cstr(ev, "event.outcome", "success");
		} else {
			event_set_cstr(ev, "event.category", "network");
		}
		return true;
	}
	if (span_eq(type, "event") && span_eq(sub, "system") && have_action && span_eq(action, "login")) {
		event_set_cstr(ev, "service.type", "admin");
		event_set_cstr(ev, "event.category", "authentication");
		event_set_cstr(ev, "event.action", "admin-login");
		bool fail = decode_kv(m, "status", &v) && span_eq(v, "failed");
		event_set_cstr(ev, "event.outcome", fail ? "failure" : "success");
		return true;
	}
	if (span_eq(type, "utm")) {
		event_set_cstr(ev, "event.category", "intrusion_detection");
		if (decode_kv(m, "attack", &v) || decode_kv(m, "virus", &v))
			event_set(ev, "threat.name", v);
		if (decode_kv(m, "severity", &v) || decode_kv(m, "crlevel", &v))
			event_set(ev, "threat.severity", v);
		if (have_action)
			event_set(ev, "event.action", action);
		return true;
	}
	event_set_cstr(ev, "event.category", span_eq(type, "traffic") ? "network" : "host");
	if (have_action)
		event_set(ev, "event.action", action);
	return true;
}
