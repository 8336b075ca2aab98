/*
 * decode_pulse.c - Pulse Connect Secure / Ivanti Connect Secure event log
 * in syslog: "PCS: 2021-04-20 10:00:00 - ive - [1.2.3.4] user(Realm)[Roles]
 * - Login failed using auth server X (Local). Reason: Failed" (older units
 * say "Juniper:" or "Pulse Secure:"). The exploit URLs of these appliances
 * arrive through their web access logs (decode_web.c).
 */
#include "detection/decode_util.h"
#include "detection/decoder.h"

bool
decode_pulse(struct decode_ctx *dc, const struct decode_in *in, struct event *ev)
{
	struct span m = in->msg, rest, v;
	(void)dc;
	if (!decode_after(m, " - ive - [", &rest) && !decode_after(m, " - ics - [", &rest))
		return false;
	struct span ip = decode_until(rest, ']');
	if (ip.len == rest.len || !decode_is_ip(decode_ip_clean(ip)))
		return false;
	ev->decoder = "pulse";
	event_set_cstr(ev, "observer.vendor", "Ivanti");
	event_set_cstr(ev, "observer.product", "Connect Secure");
	event_set_cstr(ev, "service.type", "vpn");
	decode_set_source(ev, decode_ip_clean(ip));
	rest = span_trim((struct span){ rest.p + ip.len + 1, rest.len - ip.len - 1 });
	struct span who = decode_word(rest);
	size_t paren = span_find(who, '(');
	if (paren < who.len) {
		decode_set_user(ev, (struct span){ who.p, paren });
		v = decode_until((struct span){ who.p + paren + 1, who.len - paren - 1 }, ')');
		event_set(ev, "pulse.realm", v);
	}
	struct span text;
	if (!decode_after(rest, " - ", &text))
		text = rest;
	event_set(ev, "message", text);
	int64_t ms;
	struct span d;
	if (decode_after(m, ": ", &d) && decode_iso8601(d, &ms))
		ev->ts_ms = ms;
	if (decode_has(text, "Login failed") || decode_has(text, "authentication failed") ||
	    decode_has(text, "Primary authentication failed")) {
		event_set_cstr(ev, "event.category", "authentication");
		event_set_cstr(ev, "event.action", "vpn-login-failed");
		event_set_cstr(ev, "event.outcome", "failure");
	} else if (decode_has(text, "Login succeeded") || decode_has(text, "Primary authentication successful")) {
		event_set_cstr(ev, "event.category", "authentication");
		event_set_cstr(ev, "event.action", "vpn-login");
		event_set_cstr(ev, "event.outcome", "success");
	} else {
		event_set_cstr(ev, "event.category", "network");
	}
	return true;
}
