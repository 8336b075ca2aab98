/*
 * decode_samba.c - Samba authentication audit lines ("log level = 1
 * auth_audit:3" or higher): "Auth: [SMB2,(null)] user [DOM]\[u] at [...]
 * with [NTLMv2] status [NT_STATUS_NO_SUCH_USER] workstation [W] remote host
 * [ipv4:1.2.3.4:62419] mapped to ..." and the older "check_ntlm_password:
 * Authentication for user [u] -> [u] FAILED with error NT_STATUS_..."
 */
#include "detection/decode_util.h"
#include "detection/decoder.h"

/* "[ipv4:1.2.3.4:62419]" / "[ipv6:fe80::1:445]" */
static void
remote(struct span v, struct event *ev)
{
	if (!decode_skip(&v, "ipv4:") && !decode_skip(&v, "ipv6:"))
		return;
	size_t colon = v.len;
	while (colon > 0 && v.p[colon - 1] != ':')
		colon--;
	if (colon > 1) {
		decode_set_source(ev, (struct span){ v.p, colon - 1 });
		event_set(ev, "source.port", (struct span){ v.p + colon, v.len - colon });
	}
}

bool
decode_samba(struct decode_ctx *dc, const struct decode_in *in, struct event *ev)
{
	struct span m = in->msg, v;
	(void)dc;
	if (span_starts_with(m, "Auth: [") || span_starts_with(m, "  Auth: [")) {
		m = span_trim(m);
		ev->decoder = "samba";
		event_set_cstr(ev, "service.type", "smb");
		event_set_cstr(ev, "event.category", "authentication");
		/* user [DOMAIN]\[name] */
		if (decode_after(m, "] user [", &v)) {
			struct span dom = decode_until(v, ']');
			struct span rest = { v.p + dom.len, v.len - dom.len };
			if (dom.len)
				event_set(ev, "user.domain", dom);
			if (decode_after(rest, "\\[", &rest))
				decode_set_user(ev, decode_until(rest, ']'));
		}
		if (decode_after(m, " status [", &v)) {
			struct span st = decode_until(v, ']');
			event_set(ev, "event.reason", st);
			bool ok = span_eq(st, "NT_STATUS_OK");
			event_set_cstr(ev, "event.outcome", ok ? "success" : "failure");
			event_set_cstr(ev, "event.action", ok ? "smb-login" : "smb-login-failed");
		}
		if (decode_after(m, "remote host [", &v))
			remote(decode_until(v, ']'), ev);
		if (decode_after(m, "workstation [", &v) && v.len && v.p[0] != ']')
			event_set(ev, "source.domain", decode_until(v, ']'));
		return true;
	}
	if (decode_after(m, "Authentication for user [", &v) && decode_has(m, "FAILED with error")) {
		ev->decoder = "samba";
		event_set_cstr(ev, "service.type", "smb");
		decode_set_user(ev, decode_until(v, ']'));
		event_set_cstr(ev, "event.category", "authentication");
		event_set_cstr(ev, "event.action", "smb-login-failed");
		event_set_cstr(ev, "event.outcome", "failure");
		if (decode_after(m, "remote host [", &v))
			remote(decode_until(v, ']'), ev);
		return true;
	}
	return false;
}
