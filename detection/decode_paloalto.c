/*
 * decode_paloalto.c - Palo Alto Networks PAN-OS syslog in the default CSV
 * layout ("1,2023/07/06 08:11:40,SERIAL,THREAT,vulnerability,...").
 *
 * Field positions (PAN-OS 8-11 syslog field descriptions): 3 type,
 * 4 subtype, 7 source, 8 destination; THREAT: 30 action, 32 threat name,
 * 34 severity; SYSTEM: 13 severity, 14 description; GLOBALPROTECT
 * (9.1+): 12 stage, 13 auth method, 16 user, 21 public IP, 31 status
 * (the fields are read by index; quoted fields may hold commas).
 */
#include <string.h>

#include "detection/decode_util.h"
#include "detection/decoder.h"

#define PAN_FIELDS 48

static size_t
csv(struct span s, struct span *f, size_t max)
{
	size_t n = 0, i = 0;
	while (n < max) {
		size_t st = i;
		if (i < s.len && s.p[i] == '"') {
			i++;
			while (i < s.len && s.p[i] != '"')
				i++;
			f[n++] = (struct span){ s.p + st + 1, (i > st + 1 ? i - st - 1 : 0) };
			if (i < s.len)
				i++;
			while (i < s.len && s.p[i] != ',')
				i++;
		} else {
			while (i < s.len && s.p[i] != ',')
				i++;
			f[n++] = (struct span){ s.p + st, i - st };
		}
		if (i >= s.len)
			break;
		i++;
	}
	return n;
}

bool
decode_paloalto(struct decode_ctx *dc, const struct decode_in *in, struct event *ev)
{
	struct span f[PAN_FIELDS], m = in->msg;
	(void)dc;
	/* behind an ISO header without tag the "program" is the host */
	if (!span_starts_with(m, "1,"))
		return false;
	size_t n = csv(m, f, PAN_FIELDS);
	if (n < 9)
		return false;
	struct span type = f[3];
	if (!span_eq(type, "THREAT") && !span_eq(type, "TRAFFIC") && !span_eq(type, "SYSTEM") &&
	    !span_eq(type, "GLOBALPROTECT") && !span_eq(type, "AUTH") && !span_eq(type, "CONFIG"))
		return false;
	ev->decoder = "paloalto";
	event_set_cstr(ev, "observer.vendor", "Palo Alto Networks");
	event_set_cstr(ev, "observer.product", "PAN-OS");
	event_set(ev, "event.action", f[4]);
	if (span_eq(type, "THREAT") || span_eq(type, "TRAFFIC")) {
		if (f[7].len)
			decode_set_source(ev, f[7]);
		if (f[8].len)
			event_set(ev, "destination.ip", f[8]);
		if (n > 12 && f[12].len)
			decode_set_user(ev, f[12]);
		if (span_eq(type, "THREAT")) {
			event_set_cstr(ev, "event.category", "intrusion_detection");
			if (n > 30)
				event_set(ev, "event.action", f[30]);
			if (n > 32)
				event_set(ev, "threat.name", f[32]);
			if (n > 34)
				event_set(ev, "threat.severity", f[34]);
		} else {
			event_set_cstr(ev, "event.category", "network");
		}
		return true;
	}
	if (span_eq(type, "GLOBALPROTECT")) {
		event_set_cstr(ev, "service.type", "vpn");
		event_set_cstr(ev, "event.category", "authentication");
		if (n > 16)
			decode_set_user(ev, f[16]);
		if (n > 21 && f[21].len)
			decode_set_source(ev, f[21]);
		if (n > 31 && (span_eq(f[31], "failure") || span_eq(f[31], "success")))
			event_set(ev, "event.outcome", f[31]);
		return true;
	}
	if (span_eq(type, "SYSTEM")) {
		event_set_cstr(ev, "event.category", "host");
		if (n > 14) {
			struct span d = f[14], v;
			event_set(ev, "message", d);
			event_set(ev, "event.severity_name", f[13]);
			/* "GlobalProtect gateway user authentication failed. Login from: 1.2.3.4, User name: x" */
			if (decode_has(d, "authentication failed") || decode_has(d, "failed authentication")) {
				event_set_cstr(ev, "event.category", "authentication");
				event_set_cstr(ev, "event.outcome", "failure");
				event_set_cstr(ev, "service.type",
				    decode_has(d, "GlobalProtect") ? "vpn" : "admin");
				if (decode_after(d, "Login from: ", &v) || decode_after(d, "From: ", &v))
					decode_set_source(ev, decode_until(decode_until(v, ','), ' '));
				if (decode_after(d, "User name: ", &v) || decode_after(d, "User: ", &v))
					decode_set_user(ev, decode_until(decode_until(v, ','), '.'));
			}
		}
		return true;
	}
	event_set_cstr(ev, "event.category", "host");
	return true;
}
