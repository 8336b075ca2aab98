/*
 * decode_sonicwall.c - SonicWall (SonicOS) key=value syslog: "id=firewall
 * sn=.. time=".." fw=.. pri=.. c=.. m=<message id> msg="..." src=A:port:IF
 * dst=...". Login results are recognized by message text, which is stable
 * across SonicOS versions (the m= numbers are not documented as stable).
 */
#include "detection/decode_util.h"
#include "detection/decoder.h"

/* "1.2.3.4:36701:WAN" / "10.12.14.9::X0-V500" / ":49702:X0-V514" */
static void
addr(struct event *ev, struct span v, const char *ip_key, const char *port_key)
{
	struct span ip = decode_until(v, ':');
	if (decode_is_ip(ip)) {
		if (ip_key[0] == 's')
			decode_set_source(ev, ip);
		else
			event_set(ev, ip_key, ip);
		if (ip.len < v.len) {
			struct span port = decode_until((struct span){ ip.p + ip.len + 1, v.len - ip.len - 1 }, ':');
			if (port.len)
				event_set(ev, port_key, port);
		}
	}
}

bool
decode_sonicwall(struct decode_ctx *dc, const struct decode_in *in, struct event *ev)
{
	struct span m = in->msg, v, msg;
	(void)dc;
	if (!span_starts_with(m, "id=") || !decode_kv(m, "sn", &v) || !decode_kv(m, "m", &v) ||
	    !decode_kv(m, "msg", &msg))
		return false;
	ev->decoder = "sonicwall";
	event_set_cstr(ev, "observer.vendor", "SonicWall");
	event_set_cstr(ev, "observer.product", "SonicOS");
	event_set(ev, "event.code", v);
	event_set(ev, "message", msg);
	if (decode_kv(m, "time", &v)) {
		int64_t ms;
		if (decode_iso8601(v, &ms))
			ev->ts_ms = ms;
	}
	if (decode_kv(m, "src", &v))
		addr(ev, v, "source.ip", "source.port");
	if (decode_kv(m, "dst", &v))
		addr(ev, v, "destination.ip", "destination.port");
	if (decode_kv(m, "usr", &v) || decode_kv(m, "user", &v))
		decode_set_user(ev, v);
	bool fail = decode_find_nocase(msg, "login denied") < msg.len ||
	    decode_find_nocase(msg, "bad credentials") < msg.len ||
	    decode_find_nocase(msg, "login failed") < msg.len ||
	    decode_find_nocase(msg, "authentication failed") < msg.len;
	bool ok = !fail && (decode_find_nocase(msg, "login allowed") < msg.len ||
	    decode_find_nocase(msg, "successfully logged in") < msg.len ||
	    decode_find_nocase(msg, "login succeeded") < msg.len);
	if (fail || ok) {
		bool vpn = decode_find_nocase(msg, "vpn") < msg.len;
		bool admin = decode_find_nocase(msg, "administrator") < msg.len;
		event_set_cstr(ev, "event.category", "authentication");
		event_set_cstr(ev, "event.action", admin ? "admin-login" : "login");
		event_set_cstr(ev, "event.outcome", fail ? "failure" : "success");
		event_set_cstr(ev, "service.type", vpn ? "vpn" : admin ? "admin" : "vpn");
		return true;
	}
	event_set_cstr(ev, "event.category", "network");
	if (decode_find_nocase(msg, "dropped") < msg.len || decode_find_nocase(msg, "denied") < msg.len) {
		event_set_cstr(ev, "event.action", "deny");
		event_set_cstr(ev, "event.outcome", "failure");
	}
	return true;
}
