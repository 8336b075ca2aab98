/*
 * decode_mail.c - mail server logins: Postfix SASL ("warning:
 * unknown[1.2.3.4]: SASL LOGIN authentication failed: ...", and
 * "client=..., sasl_method=PLAIN, sasl_username=u" on success) and
 * Dovecot (login processes "imap-login: Disconnected (auth failed, 1
 * attempts ...): user=<u>, method=PLAIN, rip=A, lip=B" and the auth
 * workers "pam(u,A): pam_authenticate() failed", "sql(u,A,<s>): unknown
 * user", "Password mismatch", "invalid credentials").
 */
#include "detection/decode_util.h"
#include "detection/decoder.h"

static void
result(struct event *ev, const char *action, bool fail)
{
	event_set_cstr(ev, "event.category", "authentication");
	event_set_cstr(ev, "event.action", action);
	event_set_cstr(ev, "event.outcome", fail ? "failure" : "success");
}

static bool
postfix(struct span m, struct event *ev)
{
	struct span rest, v;
	if (decode_has(m, "SASL") && decode_has(m, "authentication failed") &&
	    decode_after(m, "warning: ", &rest)) {
		/* "host[addr]:" - the last [..] before ": SASL" */
		struct span head = { rest.p, decode_find(rest, ": SASL") };
		size_t open = head.len;
		while (open > 0 && head.p[open - 1] != '[')
			open--;
		if (open == 0)
			return false;
		struct span ip = decode_until((struct span){ head.p + open, head.len - open }, ']');
		decode_set_source(ev, decode_ip_clean(ip));
		if (decode_kv(m, "sasl_username", &v))
			decode_set_user(ev, v);
		result(ev, "smtp-auth-failed", true);
		return true;
	}
	if (decode_has(m, "sasl_username=") && decode_after(m, "client=", &rest)) {
		struct span c = decode_until(rest, ',');
		size_t open = span_find(c, '[');
		if (open < c.len)
			decode_set_source(ev, decode_ip_clean(decode_until((struct span){ c.p + open + 1,
			    c.len - open - 1 }, ']')));
		if (decode_kv(m, "sasl_username", &v))
			decode_set_user(ev, v);
		result(ev, "smtp-auth", false);
		return true;
	}
	return false;
}

/* "pam(user,1.2.3.4)" / "sql(user,1.2.3.4,<sess>)" / "ldap(user,ip,)" */
static bool
dovecot_worker(struct span m, struct event *ev)
{
	static const char *const db[] = { "pam(", "sql(", "ldap(", "passwd-file(", "passwd(",
		"shadow(", "checkpassword(", "bsdauth(", "static(" };
	struct span args = { NULL, 0 };
	for (size_t i = 0; i < sizeof(db) / sizeof(db[0]) && !args.len; i++) {
		struct span rest;
		size_t off = decode_find(m, db[i]);
		if (off >= m.len)
			continue;
		if (off > 0 && m.p[off - 1] != ' ')
			continue;
		decode_after((struct span){ m.p + off, m.len - off }, db[i], &rest);
		args = decode_until(rest, ')');
		if (args.len == rest.len)
			args.len = 0;
	}
	if (!args.len)
		return false;
	struct span after = { args.p + args.len, m.len - (size_t)(args.p + args.len - m.p) };
	bool fail = decode_has(after, "unknown user") || decode_has(after, "Password mismatch") ||
	    decode_has(after, "password mismatch") || decode_has(after, "invalid credentials") ||
	    decode_has(after, "pam_authenticate() failed") || decode_has(after, "Authentication failure");
	if (!fail)
		return false;
	/* user name may contain ','; the address is the field after the last ',' of
	 * "user,addr" or the middle one of "user,addr,<session>" */
	struct span a = args;
	size_t last = a.len;
	while (last > 0 && a.p[last - 1] != ',')
		last--;
	if (last == 0)
		return false;
	struct span tail = { a.p + last, a.len - last };
	struct span head = { a.p, last - 1 };
	if (tail.len == 0 || tail.p[0] == '<') {	/* session id: step back once */
		size_t prev = head.len;
		while (prev > 0 && head.p[prev - 1] != ',')
			prev--;
		if (prev == 0)
			return false;
		tail = (struct span){ head.p + prev, head.len - prev };
		head.len = prev - 1;
	}
	if (!decode_is_ip(tail))
		return false;
	decode_set_source(ev, tail);
	decode_set_user(ev, head);
	result(ev, "imap-auth-failed", true);
	return true;
}

static bool
dovecot_login(struct span m, struct event *ev)
{
	struct span v;
	if (!decode_kv(m, "rip", &v))
		return false;
	decode_set_source(ev, v);
	if (decode_kv(m, "user", &v) && v.len >= 2 && v.p[0] == '<')
		decode_set_user(ev, (struct span){ v.p + 1, v.len - 2 });
	if (decode_has(m, "auth failed") || decode_has(m, "proxy dest auth failed") ||
	    decode_has(m, "plaintext auth)")) {
		result(ev, "imap-auth-failed", true);
		return true;
	}
	if (decode_has(m, " Login: ") || span_starts_with(m, "Login: ") || decode_has(m, "-login: Login:")) {
		result(ev, "imap-login", false);
		return true;
	}
	/* "no auth attempts", "client didn't finish SASL auth": no password was
	 * tried - a scanner or a broken client (fail2ban counts these only in
	 * its aggressive mode); a network-level failure, not a login failure */
	event_set_cstr(ev, "event.category", "network");
	event_set_cstr(ev, "event.action", "imap-disconnect");
	if (decode_has(m, "no auth attempts") || decode_has(m, "before auth was ready") ||
	    decode_has(m, "didn't finish SASL auth"))
		event_set_cstr(ev, "event.outcome", "failure");
	return true;
}

bool
decode_mail(struct decode_ctx *dc, const struct decode_in *in, struct event *ev)
{
	struct span m = in->msg;
	(void)dc;
	ev->decoder = "mail";
	event_set_cstr(ev, "service.type", "mail");
	if (postfix(m, ev) || dovecot_worker(m, ev) || dovecot_login(m, ev))
		return true;
	if (decode_has(m, "pam_unix(") || decode_has(m, "(pam_unix)"))
		return decode_pam(dc, in, ev);
	ev->decoder = NULL;
	return false;
}
