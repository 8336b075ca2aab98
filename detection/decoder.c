/*
 * decoder.c - picks the decoder for a line.
 *
 * Syslog lines go by program tag through a table (the tag is already
 * parsed, so this costs a few compares); lines whose tag says nothing
 * (appliances send their own, or the host name) and lines without a syslog
 * header are recognized by their first bytes or a marker substring.
 */
#include <string.h>

#include "detection/decode_util.h"
#include "detection/decoder.h"

struct prog {
	const char *name;
	bool prefix;		/* name is a prefix: "postfix/" */
	decode_fn fn;
};

static const struct prog progs[] = {
	{ "sshd", false, decode_sshd },
	{ "sshd-session", false, decode_sshd },
	{ "sshd-auth", false, decode_sshd },
	{ "sudo", false, decode_pam },
	{ "su", false, decode_pam },
	{ "su-l", false, decode_pam },
	{ "login", false, decode_pam },
	{ "useradd", false, decode_pam },
	{ "usermod", false, decode_pam },
	{ "userdel", false, decode_pam },
	{ "gpasswd", false, decode_pam },
	{ "groupadd", false, decode_pam },
	{ "unix_chkpwd", false, decode_pam },
	{ "vsftpd", false, decode_pam },
	{ "proftpd", false, decode_pam },
	{ "pure-ftpd", false, decode_pam },
	{ "postfix/", true, decode_mail },
	{ "dovecot", true, decode_mail },
	{ "auth-worker", true, decode_mail },
	{ "auth", false, decode_mail },
	{ "imap-login", false, decode_mail },
	{ "pop3-login", false, decode_mail },
	{ "submission-login", false, decode_mail },
	{ "managesieve-login", false, decode_mail },
	{ "smbd", false, decode_samba },
	{ "smb", false, decode_samba },
	{ "samba", false, decode_samba },
	{ "openvpn", true, decode_openvpn },
	{ "ovpn-", true, decode_openvpn },
	{ "nginx", false, decode_web },
	{ "apache2", false, decode_web },
	{ "apache", false, decode_web },
	{ "httpd", false, decode_web },
	/* busy programs of auth.log: only their PAM session lines are events */
	{ "CRON", false, decode_pam },
	{ "cron", false, decode_pam },
	{ "systemd-logind", false, decode_pam },
	{ "systemd", false, decode_pam },
};

static const char *const names[] = {
	"sshd", "pam", "web", "openvpn", "fortigate", "paloalto", "asa", "sonicwall",
	"pulse", "mail", "samba", "windows", NULL,
};

const char *const *
decoder_names(void)
{
	return names;
}

void
decoder_ctx_init(struct decode_ctx *dc, int year, int ref_month)
{
	memset(dc, 0, sizeof(*dc));
	dc->year = year;
	dc->ref_month = ref_month;
}

void
decode_set_source(struct event *ev, struct span s)
{
	s = decode_ip_clean(span_trim(s));
	if (!s.len)
		return;
	if (decode_is_ip(s))
		event_set(ev, "source.ip", s);
	else if (decode_is_host(s))
		event_set(ev, "source.address", s);
}

void
decode_set_user(struct event *ev, struct span s)
{
	s = span_trim(s);
	if (!s.len || span_eq(s, "-") || span_eq(s, "N/A") || span_eq(s, "(null)") ||
	    span_eq(s, "<invalid username>") || span_eq(s, "UNKNOWN"))
		return;
	event_set(ev, "user.name", s);
}

static decode_fn
by_program(struct span prog)
{
	if (!prog.len)
		return NULL;
	for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		const struct prog *p = &progs[i];
		if (p->name[0] != prog.p[0])
			continue;
		if (p->prefix ? span_starts_with(prog, p->name) : span_eq(prog, p->name))
			return p->fn;
	}
	/* "pop(pam_unix)" */
	if (decode_has(prog, "(pam_unix)"))
		return decode_pam;
	return NULL;
}

/* Runs one decoder; a decoder that declines leaves no fields behind. */
static bool
attempt(decode_fn fn, struct decode_ctx *dc, const struct decode_in *in, struct event *ev)
{
	size_t n = ev->nfields;
	int64_t ts = ev->ts_ms;
	if (fn(dc, in, ev))
		return true;
	ev->nfields = n;
	ev->ts_ms = ts;
	ev->decoder = NULL;
	return false;
}

/* Formats recognized by content, tried in order. */
static bool
sniff(struct decode_ctx *dc, const struct decode_in *in, struct event *ev)
{
	struct span m = in->msg;
	if (!m.len)
		return false;
	char c = m.p[0];
	if (c == '{')
		return attempt(decode_winjson, dc, in, ev);
	if (c == '<')
		return attempt(decode_winxml, dc, in, ev);
	if (c == '%' || decode_has(m, "%ASA-") || decode_has(m, "%FTD-"))
		if (attempt(decode_asa, dc, in, ev))
			return true;
	if (c == '1' && m.len > 2 && m.p[1] == ',' && attempt(decode_paloalto, dc, in, ev))
		return true;
	if (span_starts_with(m, "id=") && attempt(decode_sonicwall, dc, in, ev))
		return true;
	if (decode_has(m, "logid=") && attempt(decode_fortigate, dc, in, ev))
		return true;
	if (decode_has(m, " - ive - [") || decode_has(m, " - ics - ["))
		if (attempt(decode_pulse, dc, in, ev))
			return true;
	if ((decode_has(m, "pam_unix") || decode_has(m, "authentication failure;")) &&
	    attempt(decode_pam, dc, in, ev))
		return true;
	if (decode_has(m, "Auth: [") && attempt(decode_samba, dc, in, ev))
		return true;
	if (decode_has(m, "rip=") && attempt(decode_mail, dc, in, ev))
		return true;
	if (decode_has(m, " [") && decode_has(m, "\"") && attempt(decode_web, dc, in, ev))
		return true;
	return false;
}

bool
decoder_decode(struct decode_ctx *dc, struct span line, struct event *ev)
{
	struct syslog_hdr h;
	struct decode_in in = { line, NULL, line };

	event_reset(ev);
	ev->raw = line;
	if (line.len && line.p[line.len - 1] == '\r')
		line.len--;
	in.line = in.msg = line;
	if (line.len && (line.p[0] == '{' || line.p[0] == '<' || (line.p[0] >= '0' && line.p[0] <= '9'))) {
		/* web access logs and JSON/XML events first: they would pass as
		 * syslog only by accident */
		if (line.p[0] == '{' || (line.p[0] == '<' && span_starts_with(line, "<Event")))
			return sniff(dc, &in, ev);
		if (line.p[0] != '<' && attempt(decode_web, dc, &in, ev))
			return true;
	}
	if (!decode_syslog(line, dc->year, dc->ref_month, &h)) {
		if (line.len && line.p[0] >= '0' && line.p[0] <= '9' && attempt(decode_openvpn, dc, &in, ev))
			return true;
		return sniff(dc, &in, ev);
	}
	in.sys = &h;
	in.msg = h.msg;
	ev->ts_ms = h.ts_ms;
	if (h.host.len)
		event_set(ev, "host.name", h.host);
	if (h.program.len)
		event_set(ev, "process.name", h.program);
	if (h.pid.len)
		event_set(ev, "process.pid", h.pid);
	decode_fn fn = by_program(h.program);
	if (fn) {
		if (attempt(fn, dc, &in, ev))
			return true;
		/* a known program's other lines are not events; only Dovecot's
		 * "auth:" process may carry foreign formats (handled in its decoder) */
		return false;
	}
	/* "2024-12-15 14:12:12 1.2.3.4:5 TLS Error": OpenVPN's own log file */
	if (!h.program.len && h.host.len && span_find(h.host, ':') < h.host.len) {
		struct decode_in raw = { line, NULL, line };
		if (attempt(decode_openvpn, dc, &raw, ev))
			return true;
	}
	return sniff(dc, &in, ev);
}
