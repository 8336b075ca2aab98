/*
 * decode_web.c - Apache and nginx access logs in the common / combined
 * format ('IP - user [10/Dec/2021:14:25:38 +0000] "GET /x HTTP/1.1" 200 157
 * "referer" "agent"'), plain or behind a syslog header (nginx[pid]:), and
 * with a leading "vhost:port " (Apache's vhost_combined).
 *
 * The request line is attacker text and may contain '"' escaped as \";
 * the quoted fields are scanned with that in mind.
 */
#include "detection/decode_util.h"
#include "detection/decoder.h"

/* A quoted field at *s: contents without quotes; advances past it. */
static bool
quoted(struct span *s, struct span *out)
{
	while (s->len && *s->p == ' ') {
		s->p++;
		s->len--;
	}
	if (!s->len || *s->p != '"')
		return false;
	size_t i = 1;
	while (i < s->len && s->p[i] != '"') {
		if (s->p[i] == '\\' && i + 1 < s->len)
			i++;
		i++;
	}
	if (i >= s->len)
		return false;
	*out = (struct span){ s->p + 1, i - 1 };
	s->p += i + 1;
	s->len -= i + 1;
	return true;
}

/* "10/Dec/2021:14:25:38 +0000" */
static bool
clf_time(struct span t, int64_t *ms)
{
	int d = decode_digits(t, 0, 2), y = decode_digits(t, 7, 4);
	int mon = t.len >= 6 ? decode_month((struct span){ t.p + 3, 3 }) : 0;
	int h = decode_digits(t, 12, 2), mi = decode_digits(t, 15, 2), se = decode_digits(t, 18, 2);
	if (d < 1 || y < 0 || !mon || h < 0 || mi < 0 || se < 0 || t.len < 20)
		return false;
	int64_t off = 0;
	if (t.len >= 26 && (t.p[21] == '+' || t.p[21] == '-')) {
		int oh = decode_digits(t, 22, 2), om = decode_digits(t, 24, 2);
		if (oh >= 0 && om >= 0)
			off = (oh * 60 + om) * 60 * (t.p[21] == '-' ? -1 : 1);
	}
	*ms = (decode_days_from_civil(y, (unsigned)mon, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + se - off) * 1000;
	return true;
}

bool
decode_web(struct decode_ctx *dc, const struct decode_in *in, struct event *ev)
{
	struct span s = in->msg, w, ident, user, t, req, status, bytes, ref, ua;
	(void)dc;
	w = decode_word(s);
	if (!decode_is_host(decode_ip_clean(w)) || w.len == s.len)
		return false;
	struct span after = { s.p + w.len + 1, s.len - w.len - 1 };
	/* vhost_combined: "example.com:443 1.2.3.4 - - [...]" */
	struct span w2 = decode_word(after);
	if (!decode_is_ip(decode_ip_clean(w)) && decode_is_ip(decode_ip_clean(w2))) {
		event_set(ev, "url.domain", decode_until(w, ':'));
		w = w2;
		after = (struct span){ after.p + w2.len, after.len - w2.len };
		if (after.len) {
			after.p++;
			after.len--;
		}
	}
	ident = decode_word(after);
	if (ident.len == after.len)
		return false;
	after.p += ident.len + 1;
	after.len -= ident.len + 1;
	/* the user may be "-" or a name; names with spaces do not occur */
	user = decode_word(after);
	if (user.len == after.len)
		return false;
	after.p += user.len + 1;
	after.len -= user.len + 1;
	if (!after.len || *after.p != '[')
		return false;
	size_t close = span_find(after, ']');
	if (close >= after.len)
		return false;
	t = (struct span){ after.p + 1, close - 1 };
	after.p += close + 1;
	after.len -= close + 1;
	if (!quoted(&after, &req))
		return false;
	after = span_trim(after);
	status = decode_word(after);
	uint64_t code;
	if (span_to_u64(status, 999, &code) != 0)
		return false;

	ev->decoder = "web";
	int64_t ms;
	if (clf_time(t, &ms))
		ev->ts_ms = ms;
	decode_set_source(ev, decode_ip_clean(w));
	if (!span_eq(user, "-"))
		decode_set_user(ev, user);
	event_set_cstr(ev, "event.category", "web");
	event_set_cstr(ev, "service.type", "web");
	event_set(ev, "http.response.status_code", status);
	struct span method = decode_word(req);
	if (method.len < req.len) {
		struct span rest = { req.p + method.len + 1, req.len - method.len - 1 };
		struct span url = decode_word(rest);
		event_set(ev, "http.request.method", method);
		event_set(ev, "url.original", url);
		if (url.len + 1 < rest.len)
			event_set(ev, "http.version", span_trim((struct span){ url.p + url.len, rest.len - url.len }));
	} else {
		event_set(ev, "url.original", req);	/* garbage request: keep it */
	}
	after.p += status.len;
	after.len -= status.len;
	after = span_trim(after);
	bytes = decode_word(after);
	after.p += bytes.len;
	after.len -= bytes.len;
	if (quoted(&after, &ref)) {
		if (!span_eq(ref, "-"))
			event_set(ev, "http.request.referrer", ref);
		if (quoted(&after, &ua) && !span_eq(ua, "-"))
			event_set(ev, "user_agent.original", ua);
	}
	event_set_cstr(ev, "event.outcome", code >= 400 ? "failure" : "success");
	/* Login endpoints: a 401, or a POST to a known login form */
	struct span url;
	if (code == 401 || code == 403) {
		if (code == 401)
			event_set_cstr(ev, "event.action", "http-auth-failed");
	} else if (event_get(ev, "url.original", &url) && span_eq(method, "POST") &&
	    (decode_has(url, "wp-login.php") || decode_has(url, "xmlrpc.php") ||
	    decode_has(url, "/administrator/index.php") || decode_has(url, "/user/login"))) {
		event_set_cstr(ev, "event.action", "http-login-attempt");
	}
	return true;
}
