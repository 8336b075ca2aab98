/*
 * decode_openvpn.c - OpenVPN server log lines, from its own log file
 * ("2024-12-15 14:12:12 1.2.3.4:45321 TLS Error: ...") or from syslog
 * ("openvpn[12]: 1.2.3.4:45321 ..." / "user/1.2.3.4:45321 ...").
 */
#include "detection/decode_util.h"
#include "detection/decoder.h"

/* "[AF_INET]1.2.3.4:1194", "1.2.3.4:1194", "user/1.2.3.4:1194" */
static bool
peer(struct span w, struct event *ev)
{
	decode_skip(&w, "[AF_INET]");
	decode_skip(&w, "[AF_INET6]");
	size_t slash = span_find(w, '/');
	struct span user = { NULL, 0 };
	if (slash < w.len) {
		user = (struct span){ w.p, slash };
		w.p += slash + 1;
		w.len -= slash + 1;
	}
	size_t colon = w.len;
	while (colon > 0 && w.p[colon - 1] != ':')
		colon--;
	if (colon == 0)
		return false;
	struct span ip = { w.p, colon - 1 }, port = { w.p + colon, w.len - colon };
	uint64_t pn;
	ip = decode_ip_clean(ip);
	if (!decode_is_ip(ip) || span_to_u64(port, 65535, &pn) != 0)
		return false;
	decode_set_source(ev, ip);
	event_set(ev, "source.port", port);
	if (user.len && !span_eq(user, "UNDEF"))
		decode_set_user(ev, user);
	return true;
}

bool
decode_openvpn(struct decode_ctx *dc, const struct decode_in *in, struct event *ev)
{
	struct span m = in->msg, rest;
	int64_t ms;
	(void)dc;
	if (!in->sys) {
		size_t n = decode_iso8601(m, &ms);
		if (!n)
			return false;
		/* OpenVPN writes local time without a zone: taken as UTC */
		ev->ts_ms = ms;
		m = span_trim((struct span){ m.p + n, m.len - n });
	}
	struct span w = decode_word(m);
	bool have_peer = peer(w, ev);
	if (have_peer)
		m = span_trim((struct span){ m.p + w.len, m.len - w.len });
	if (!have_peer && decode_after(m, "from [AF_INET]", &rest))
		have_peer = peer(decode_word(rest), ev);
	if (!have_peer && !in->sys)
		return false;
	ev->decoder = "openvpn";
	event_set_cstr(ev, "service.type", "vpn");
	event_set_cstr(ev, "observer.product", "OpenVPN");
	if (decode_has(m, "incoming packet authentication failed") ||
	    decode_has(m, "TLS Auth Error") || decode_has(m, "AUTH_FAILED") ||
	    decode_has(m, "verification failed for peer") || decode_has(m, "VERIFY ERROR") ||
	    decode_has(m, "TLS handshake failed") || decode_has(m, "Auth Username/Password verification failed")) {
		event_set_cstr(ev, "event.category", "authentication");
		event_set_cstr(ev, "event.action", "vpn-login-failed");
		event_set_cstr(ev, "event.outcome", "failure");
		if (decode_after(m, "username '", &rest) || decode_after(m, "user '", &rest))
			decode_set_user(ev, decode_until(rest, '\''));
		return true;
	}
	if (decode_has(m, "Peer Connection Initiated with") ||
	    decode_has(m, "authentication succeeded for username")) {
		event_set_cstr(ev, "event.category", "authentication");
		event_set_cstr(ev, "event.action", "vpn-login");
		event_set_cstr(ev, "event.outcome", "success");
		if (decode_after(m, "username '", &rest))
			decode_set_user(ev, decode_until(rest, '\''));
		return true;
	}
	event_set_cstr(ev, "event.category", "network");
	return true;
}
