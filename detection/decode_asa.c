/*
 * decode_asa.c - Cisco ASA / FTD "%ASA-<level>-<id>: text" messages: AAA
 * and VPN authentication results, management logins, and the deny
 * messages of the access rules (source address and port).
 */
#include "detection/decode_util.h"
#include "detection/decoder.h"

/* "inside:1.2.3.4/555" or "1.2.3.4/555" -> address and port */
static bool
ifaddr(struct span w, struct event *ev, const char *ip_key, const char *port_key)
{
	size_t colon = span_find(w, ':');
	if (colon < w.len && !decode_is_ipv6(decode_until(w, '/'))) {
		w.p += colon + 1;
		w.len -= colon + 1;
	}
	struct span ip = decode_until(w, '/');
	if (!decode_is_ip(ip))
		return false;
	if (!ip_key[0])
		return true;
	event_set(ev, ip_key, ip);
	if (ip.len < w.len && port_key)
		event_set(ev, port_key, decode_until((struct span){ ip.p + ip.len + 1, w.len - ip.len - 1 }, ' '));
	return true;
}

static void
auth(struct event *ev, const char *action, bool fail, const char *svc)
{
	event_set_cstr(ev, "event.category", "authentication");
	event_set_cstr(ev, "event.action", action);
	event_set_cstr(ev, "event.outcome", fail ? "failure" : "success");
	event_set_cstr(ev, "service.type", svc);
}

bool
decode_asa(struct decode_ctx *dc, const struct decode_in *in, struct event *ev)
{
	struct span m = in->msg, rest, v;
	(void)dc;
	if (!decode_after(m, "%ASA-", &rest) && !decode_after(m, "%FTD-", &rest))
		return false;
	if (rest.len < 9 || rest.p[1] != '-')
		return false;
	struct span id = decode_until((struct span){ rest.p + 2, rest.len - 2 }, ':');
	uint64_t code;
	if (span_to_u64(id, 999999, &code) != 0)
		return false;
	if (id.len + 3 > rest.len)
		return false;
	struct span text = span_trim((struct span){ id.p + id.len + 1, rest.len - 3 - id.len });
	ev->decoder = "asa";
	event_set_cstr(ev, "observer.vendor", "Cisco");
	event_set_cstr(ev, "observer.product", "ASA");
	event_set(ev, "event.code", id);
	event_set(ev, "event.severity_name", (struct span){ rest.p, 1 });
	event_set(ev, "message", text);
	switch (code) {
	case 113005:	/* AAA user authentication Rejected : reason = .. : user = u : user IP = a */
	case 113015:
	case 113004:	/* ... Successful */
	case 113012:
		if (decode_after(text, "user = ", &v))
			decode_set_user(ev, span_trim(decode_until(v, ':')));
		if (decode_after(text, "user IP = ", &v))
			decode_set_source(ev, decode_word(v));
		auth(ev, "aaa-login", code == 113005 || code == 113015, "vpn");
		return true;
	case 716039:	/* Group <g> User <u> IP <a> Authentication: rejected, Session Type: WebVPN. */
	case 716038:	/* ... Authentication: successful */
		if (decode_after(text, "User <", &v))
			decode_set_user(ev, decode_until(v, '>'));
		if (decode_after(text, "IP <", &v))
			decode_set_source(ev, decode_until(v, '>'));
		auth(ev, "vpn-login", code == 716039, "vpn");
		return true;
	case 611102:	/* User authentication failed: IP address: a, Uname: u */
	case 611101:
		if (decode_after(text, "IP address: ", &v))
			decode_set_source(ev, decode_until(v, ','));
		if (decode_after(text, "Uname: ", &v))
			decode_set_user(ev, decode_word(v));
		auth(ev, "admin-login", code == 611102, "admin");
		return true;
	case 605004:	/* Login denied from a/p to if:b/ssh for user "u" */
	case 605005:	/* Login permitted ... */
		if (decode_after(text, " from ", &v))
			ifaddr(decode_word(v), ev, "source.ip", "source.port");
		if (decode_after(text, "for user \"", &v) || decode_after(text, "for user '", &v))
			decode_set_user(ev, decode_until(decode_until(v, '"'), '\''));
		auth(ev, "admin-login", code == 605004, "admin");
		return true;
	}
	/* Deny / drop messages: "... from A/p to B/q" or "src if:A/p dst if:B/q" */
	if (decode_has(text, "Deny") || decode_has(text, "denied") || decode_has(text, "drop")) {
		event_set_cstr(ev, "event.category", "network");
		event_set_cstr(ev, "event.action", "deny");
		event_set_cstr(ev, "event.outcome", "failure");
		if (decode_after(text, "src ", &v) || decode_after(text, " from ", &v))
			ifaddr(decode_word(v), ev, "source.ip", "source.port");
		if (decode_after(text, "dst ", &v) || decode_after(text, " to ", &v))
			ifaddr(decode_word(v), ev, "destination.ip", "destination.port");
		return true;
	}
	event_set_cstr(ev, "event.category", "network");
	return true;
}
