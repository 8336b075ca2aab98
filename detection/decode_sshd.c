/*
 * decode_sshd.c - OpenSSH server messages (sshd, sshd-session, sshd-auth).
 *
 * Attackers control the user name and, through auth-info, text after the
 * address ("Failed password for invalid user x from 10.0.0.1 port 1 ssh2
 * from 127.0.0.1 port 2 ssh2"), so the address is the word before the
 * first " port N" that ends the message or is followed by " ssh2", ":",
 * " on" or " [preauth]" - the layout sshd itself writes - as fail2ban does.
 *
 * Some failures carry no address ("Disconnecting: Too many authentication
 * failures [preauth]"); the address comes from an earlier line of the same
 * sshd process ("Connection from A port P"), kept in a small ring in the
 * decode context.
 *
 * event.category is "authentication" for credential attempts (the ones
 * brute-force rules count) and "network" for pre-authentication failures
 * (scanners, negotiation failures, disconnects before authenticating),
 * which fail2ban counts in its aggressive mode.
 */
#include <string.h>

#include "detection/decode_util.h"
#include "detection/decoder.h"

static uint64_t
conn_key(const struct decode_in *in)
{
	uint64_t h = 1469598103934665603ULL;
	struct span parts[2] = { in->sys->host, in->sys->pid };
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < parts[k].len; i++)
			h = (h ^ (unsigned char)parts[k].p[i]) * 1099511628211ULL;
		h = (h ^ 0xff) * 1099511628211ULL;
	}
	return h ? h : 1;
}

static struct decode_sshd_conn *
conn_find(struct decode_ctx *dc, uint64_t key)
{
	for (size_t i = 0; i < DECODE_SSHD_CONNS; i++)
		if (dc->sshd[i].key == key)
			return &dc->sshd[i];
	return NULL;
}

static struct decode_sshd_conn *
conn_put(struct decode_ctx *dc, uint64_t key, struct span ip)
{
	struct decode_sshd_conn *c = conn_find(dc, key);
	if (!c) {
		c = &dc->sshd[dc->sshd_next++ % DECODE_SSHD_CONNS];
		c->key = key;
		c->pending = false;
	}
	size_t n = ip.len < sizeof(c->ip) - 1 ? ip.len : sizeof(c->ip) - 1;
	memcpy(c->ip, ip.p, n);
	c->ip[n] = '\0';
	return c;
}

static bool
isdigitc(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Finds "<host> port <digits>" where the port is followed by the end, ":",
 * " ssh1"/" ssh2", " on ", " rdomain" or " [preauth]". *before gets the
 * text before the host.
 */
static bool
host_port(struct span m, struct span *host, struct span *port, struct span *before)
{
	size_t from = 0;
	while (from < m.len) {
		struct span rest = { m.p + from, m.len - from };
		size_t off = decode_find(rest, " port ");
		if (off >= rest.len)
			return false;
		size_t at = from + off;
		size_t d = at + 6, e = d;
		from = at + 1;
		while (e < m.len && isdigitc(m.p[e]))
			e++;
		if (e == d)
			continue;
		struct span tail = { m.p + e, m.len - e };
		bool ok = tail.len == 0 || tail.p[0] == ':' || span_starts_with(tail, " on ") ||
		    span_starts_with(tail, " rdomain") || span_eq(span_trim(tail), "[preauth]");
		if (!ok && (span_starts_with(tail, " ssh2") || span_starts_with(tail, " ssh1"))) {
			struct span t2 = { tail.p + 5, tail.len - 5 };
			ok = t2.len == 0 || t2.p[0] == ':' || span_eq(span_trim(t2), "[preauth]");
		}
		if (!ok)
			continue;
		size_t hs = at;
		while (hs > 0 && m.p[hs - 1] != ' ')
			hs--;
		if (hs == at)
			continue;
		*host = (struct span){ m.p + hs, at - hs };
		*port = (struct span){ m.p + d, e - d };
		*before = (struct span){ m.p, hs ? hs - 1 : 0 };
		return true;
	}
	return false;
}

/* Last " from X" of m: X up to the next space (or "[preauth]"). */
static bool
last_from(struct span m, const char *kw, struct span *host, struct span *before)
{
	size_t klen = strlen(kw), last = m.len;
	for (size_t from = 0; from < m.len;) {
		struct span rest = { m.p + from, m.len - from };
		size_t off = decode_find(rest, kw);
		if (off >= rest.len)
			break;
		last = from + off;
		from = last + 1;
	}
	if (last >= m.len)
		return false;
	struct span after = { m.p + last + klen, m.len - last - klen };
	*host = decode_word(after);
	*before = (struct span){ m.p, last };
	return host->len > 0;
}

static bool
set_addr(struct event *ev, struct span host)
{
	host = decode_ip_clean(host);
	if (host.len && host.p[host.len - 1] == ',')
		host.len--;
	if (!decode_is_host(host))
		return false;
	decode_set_source(ev, host);
	return true;
}

static void
outcome(struct event *ev, const char *action, bool fail, bool auth)
{
	event_set_cstr(ev, "event.action", action);
	event_set_cstr(ev, "event.outcome", fail ? "failure" : "success");
	event_set_cstr(ev, "event.category", auth ? "authentication" : "network");
}

/* "for [invalid user |illegal user ]U" in the text before the address. */
static void
user_from(struct event *ev, struct span before, const char *lead)
{
	struct span u;
	if (!decode_after(before, lead, &u))
		return;
	if (decode_skip(&u, "invalid user ") || decode_skip(&u, "illegal user "))
		event_set_cstr(ev, "user.exists", "false");
	/* strip the trailing " from" the caller left in */
	if (span_ends_with(u, " from"))
		u.len -= 5;
	decode_set_user(ev, u);
}

/* Failures whose address was logged on an earlier line of the process. */
static bool
from_conn(struct decode_ctx *dc, const struct decode_in *in, struct event *ev,
    const char *action, bool auth)
{
	struct decode_sshd_conn *c = conn_find(dc, conn_key(in));
	outcome(ev, action, true, auth);
	if (c && c->ip[0]) {
		set_addr(ev, span_from_cstr(c->ip));
		c->pending = false;
	} else {
		/* remember: the next line with an address completes it */
		struct decode_sshd_conn *n = conn_put(dc, conn_key(in), SPAN_LIT(""));
		n->pending = true;
		n->pending_auth = auth;
	}
	return true;
}

bool
decode_sshd(struct decode_ctx *dc, const struct decode_in *in, struct event *ev)
{
	struct span m = span_trim(in->msg), host, port, before, rest;
	bool preauth = span_ends_with(m, "[preauth]");
	bool hp = host_port(m, &host, &port, &before);

	ev->decoder = "sshd";
	event_set_cstr(ev, "service.type", "ssh");
	decode_skip(&m, "error: ");
	decode_skip(&m, "fatal: ");

	if (span_starts_with(m, "Failed ") || span_starts_with(m, "Accepted ")) {
		bool fail = m.p[0] == 'F';
		struct span meth = decode_word((struct span){ m.p + (fail ? 7 : 9), m.len - (fail ? 7 : 9) });
		if (!hp && !last_from(m, " from ", &host, &before))
			return false;
		if (hp && span_ends_with(before, " from"))
			before.len -= 5;
		if (set_addr(ev, host))
			conn_put(dc, conn_key(in), decode_ip_clean(host));
		if (hp)
			event_set(ev, "source.port", port);
		user_from(ev, before, " for ");
		event_set(ev, "ssh.method", meth);
		if (fail && span_eq(meth, "publickey") && !event_has(ev, "user.exists", "false")) {
			/* a valid user offering several keys: not a guess (gh-1263) */
			outcome(ev, "ssh-publickey-rejected", false, true);
			event_set_cstr(ev, "event.outcome", "unknown");
			return true;
		}
		if (!fail) {
			struct decode_sshd_conn *c = conn_find(dc, conn_key(in));
			if (c)
				c->pending = false;
		}
		outcome(ev, fail ? "ssh-login-failed" : "ssh-login", fail, true);
		return true;
	}
	if (decode_after(m, "PAM: ", &rest) && (decode_has(rest, "uthentication failure") ||
	    decode_has(rest, "uthentication error") || decode_has(rest, "User not known"))) {
		if (!last_from(rest, " from ", &host, &before))
			return false;
		set_addr(ev, host);
		user_from(ev, before, " for ");
		outcome(ev, "ssh-login-failed", true, true);
		return true;
	}
	if (span_starts_with(m, "ROOT LOGIN REFUSED FROM ") ||
	    span_starts_with(m, "Invalid user ") || span_starts_with(m, "Illegal user ")) {
		if (m.p[0] == 'R') {
			host = decode_word((struct span){ m.p + 24, m.len - 24 });
			decode_set_user(ev, SPAN_LIT("root"));
		} else {
			if (!hp && !last_from(m, " from ", &host, &before))
				return false;
			if (hp && span_ends_with(before, " from"))
				before.len -= 5;
			struct span u = { before.p + 13, before.len > 13 ? before.len - 13 : 0 };
			decode_set_user(ev, u);
			event_set_cstr(ev, "user.exists", "false");
		}
		if (set_addr(ev, host))
			conn_put(dc, conn_key(in), decode_ip_clean(host));
		outcome(ev, "ssh-invalid-user", true, true);
		return true;
	}
	if (span_starts_with(m, "User ") && decode_has(m, " not allowed because ")) {
		struct span head = { m.p, decode_find(m, " not allowed because ") };
		if (!last_from(head, " from ", &host, &before))
			return false;	/* "User root not allowed because account is locked" */
		set_addr(ev, host);
		decode_set_user(ev, (struct span){ before.p + 5, before.len > 5 ? before.len - 5 : 0 });
		outcome(ev, "ssh-user-not-allowed", true, true);
		return true;
	}
	if (decode_after(m, "refused connect from ", &rest)) {
		size_t o = span_find(rest, '(');
		struct span h = o < rest.len ? decode_until((struct span){ rest.p + o + 1, rest.len - o - 1 }, ')') :
		    decode_word(rest);
		set_addr(ev, h);
		outcome(ev, "ssh-refused-connect", true, true);
		return true;
	}
	if (span_starts_with(m, "Received disconnect from ")) {
		struct span a = { m.p + 25, m.len - 25 };
		struct span w = decode_until(a, ' ');
		if (!hp) {
			host = w;
			if (host.len && host.p[host.len - 1] == ':')
				host.len--;
		}
		set_addr(ev, host);
		/* the client gave up after failed authentication (fail2ban's normal
		 * mode counts these); "no authentication methods" is a scanner */
		bool gaveup = decode_has(m, "Auth fail") ||
		    (preauth && (decode_has(m, "11: Bye Bye") || decode_has(m, "Thank you for playing")));
		bool fail = gaveup || decode_has(m, "authentication methods available");
		outcome(ev, "ssh-disconnect", fail, gaveup);
		return true;
	}
	if (span_starts_with(m, "Disconnecting: Too many authentication failures") ||
	    span_starts_with(m, "Read from socket failed: Connection reset by peer") ||
	    span_starts_with(m, "Unable to negotiate a key exchange method") ||
	    span_starts_with(m, "no matching mac found") ||
	    span_starts_with(m, "no matching cipher found")) {
		bool auth = m.p[0] == 'D';
		return from_conn(dc, in, ev, auth ? "ssh-too-many-failures" : "ssh-preauth-failure", auth);
	}
	if (span_starts_with(m, "kex_exchange_identification: ")) {
		struct decode_sshd_conn *c = conn_find(dc, conn_key(in));
		if (c && c->ip[0])
			return from_conn(dc, in, ev, "ssh-preauth-failure", false);
		/* no address yet: the "Connection closed by A" that follows carries it */
		c = conn_put(dc, conn_key(in), SPAN_LIT(""));
		c->pending = true;
		c->pending_auth = false;
		outcome(ev, "ssh-preauth-failure", true, false);
		return true;
	}
	if (span_starts_with(m, "maximum authentication attempts exceeded for ")) {
		if (!hp)
			return false;
		set_addr(ev, host);
		user_from(ev, before, " for ");
		outcome(ev, "ssh-too-many-failures", true, true);
		return true;
	}
	if (span_starts_with(m, "Disconnecting invalid user ") ||
	    span_starts_with(m, "Disconnecting authenticating user ")) {
		if (!hp)
			return false;
		set_addr(ev, host);
		decode_set_user(ev, (struct span){ before.p + 27, before.len > 27 ? before.len - 27 : 0 });
		outcome(ev, "ssh-login-failed", true, true);
		return true;
	}
	if (span_starts_with(m, "Connection from ")) {
		struct span h = hp ? host : decode_word((struct span){ m.p + 16, m.len - 16 });
		h = decode_ip_clean(h);
		struct decode_sshd_conn *c = conn_put(dc, conn_key(in), h);
		set_addr(ev, h);
		outcome(ev, "ssh-connection", false, false);
		event_set_cstr(ev, "event.outcome", "unknown");
		c->pending = false;
		return true;
	}
	if (span_starts_with(m, "SSH: Server;Ltype:") && decode_after(m, ";Remote: ", &rest)) {
		struct span h = decode_until(rest, ';');
		size_t dash = h.len;
		while (dash > 0 && h.p[dash - 1] != '-')
			dash--;
		if (dash > 1)
			h.len = dash - 1;
		conn_put(dc, conn_key(in), decode_ip_clean(h));
		set_addr(ev, h);
		outcome(ev, "ssh-connection", false, false);
		event_set_cstr(ev, "event.outcome", "unknown");
		return true;
	}
	if (span_starts_with(m, "Connection closed by ") || span_starts_with(m, "Connection reset by ") ||
	    span_starts_with(m, "Disconnected from ")) {
		struct span a = span_starts_with(m, "Disconnected") ? (struct span){ m.p + 18, m.len - 18 } :
		    (struct span){ m.p + 21, m.len - 21 };
		if (!hp) {
			host = decode_word(a);
			before = (struct span){ m.p, 0 };
		}
		if (!set_addr(ev, host))
			return false;
		struct span u;
		if (decode_after(before, "authenticating user ", &u) || decode_after(before, "invalid user ", &u))
			decode_set_user(ev, u);
		struct decode_sshd_conn *c = conn_find(dc, conn_key(in));
		bool pending = c && c->pending, pending_auth = pending && c->pending_auth;
		if (c)
			c->pending = false;
		/* closing a connection whose credential failure had no address
		 * yet charges that failure here */
		outcome(ev, pending_auth ? "ssh-too-many-failures" : "ssh-preauth-disconnect",
		    preauth || pending, pending_auth);
		if (!preauth && !pending)
			event_set_cstr(ev, "event.outcome", "unknown");
		return true;
	}
	if (span_starts_with(m, "Did not receive identification string from ") ||
	    span_starts_with(m, "Bad protocol version identification ") ||
	    span_starts_with(m, "banner exchange: Connection from ") ||
	    span_starts_with(m, "Unable to negotiate with ")) {
		if (!hp && !last_from(m, " from ", &host, &before) &&
		    !last_from(m, " with ", &host, &before))
			return false;
		if (host.len && host.p[host.len - 1] == ':')
			host.len--;
		set_addr(ev, host);
		struct decode_sshd_conn *c = conn_find(dc, conn_key(in));
		if (c)
			c->pending = false;
		outcome(ev, "ssh-preauth-failure", true, false);
		return true;
	}
	if (span_starts_with(m, "pam_unix(") || span_starts_with(m, "(pam_unix)"))
		return decode_pam(dc, in, ev);
	/* other sshd lines are known but carry nothing we act on */
	event_set_cstr(ev, "event.category", "process");
	return true;
}
