/*
 * decode_pam.c - PAM (pam_unix and friends), sudo, su, login and the
 * shadow-utils account tools (useradd, usermod, gpasswd, groupadd).
 *
 * pam_unix writes "authentication failure; logname=L uid=N euid=N tty=T
 * ruser=R rhost=H[  user=U]". R and U are chosen by the person logging in,
 * so "rhost=" is searched from the left for the first value that is
 * followed by the end of the line or by " user=" - the only layout
 * pam_unix produces - as fail2ban's pam-generic filter does.
 */
#include <string.h>

#include "detection/decode_util.h"
#include "detection/decoder.h"

static void
set(struct event *ev, const char *cat, const char *action, const char *outcome)
{
	event_set_cstr(ev, "event.category", cat);
	event_set_cstr(ev, "event.action", action);
	if (outcome)
		event_set_cstr(ev, "event.outcome", outcome);
}

static bool
pam_rhost(struct span m, struct event *ev)
{
	size_t from = 0;
	while (from < m.len) {
		struct span rest = { m.p + from, m.len - from };
		size_t off = decode_find(rest, "rhost=");
		if (off >= rest.len)
			return false;
		size_t at = from + off + 6;
		from = at;
		struct span v = decode_word((struct span){ m.p + at, m.len - at });
		struct span tail = span_trim((struct span){ v.p + v.len, m.len - at - v.len });
		if (tail.len && !span_starts_with(tail, "user="))
			continue;
		if (v.len)
			decode_set_source(ev, decode_ip_clean(v));
		if (tail.len)
			decode_set_user(ev, span_trim((struct span){ tail.p + 5, tail.len - 5 }));
		return true;
	}
	return false;
}

/* The PAM service in "pam_unix(sshd:auth)" or the program. */
static struct span
pam_service(struct span m, const struct decode_in *in)
{
	struct span s;
	if (decode_after(m, "pam_unix(", &s)) {
		s = decode_until(s, ')');
		struct span svc = decode_until(s, ':');
		if (svc.len < s.len)
			return svc;
	}
	return in->sys ? in->sys->program : (struct span){ NULL, 0 };
}

static const char *
service_type(struct span svc)
{
	static const struct { const char *pam; const char *type; } map[] = {
		{ "sshd", "ssh" }, { "sudo", "sudo" }, { "su", "su" }, { "su-l", "su" },
		{ "login", "login" }, { "vsftpd", "ftp" }, { "proftpd", "ftp" },
		{ "pure-ftpd", "ftp" }, { "dovecot", "mail" }, { "imap", "mail" },
		{ "pop", "mail" }, { "smtp", "mail" }, { "samba", "smb" }, { "cockpit", "web" },
		{ "gdm-password", "login" }, { "lightdm", "login" }, { "xrdp-sesman", "rdp" },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (span_eq(svc, map[i].pam))
			return map[i].type;
	return NULL;
}

/* sudo: "alice : TTY=pts/0 ; PWD=/x ; USER=root ; COMMAND=/bin/ls" */
static bool
sudo_line(struct span m, struct event *ev)
{
	struct span user = span_trim(decode_until(m, ':'));
	if (user.len == m.len)
		return false;
	struct span rest = { m.p + user.len, m.len - user.len }, v;
	decode_set_user(ev, user);
	event_set_cstr(ev, "service.type", "sudo");
	if (decode_kv(rest, "USER", &v))
		event_set(ev, "user.effective.name", v);
	if (decode_after(rest, "COMMAND=", &v))
		event_set(ev, "process.command_line", v);
	if (decode_has(rest, "incorrect password attempt") || decode_has(rest, "NOT in sudoers") ||
	    decode_has(rest, "user NOT authorized") || decode_has(rest, "a password is required"))
		set(ev, "authentication", "sudo-denied", "failure");
	else if (decode_has(rest, "COMMAND="))
		set(ev, "process", "sudo-command", "success");
	else
		return false;
	return true;
}

/* usermod / gpasswd / useradd messages naming a group membership. */
static bool
account_line(struct span m, struct event *ev)
{
	struct span v, rest;
	if (span_starts_with(m, "new user: ") && decode_kv(m, "name", &v)) {
		decode_set_user(ev, v);
		set(ev, "iam", "user-created", "success");
		return true;
	}
	/* usermod: "add 'bob' to group 'sudo'"; gpasswd: "user bob added by root to group sudo";
	 * useradd: "add 'bob' to group 'wheel'" */
	if (decode_after(m, "add '", &rest) && decode_has(rest, "' to group '")) {
		decode_set_user(ev, decode_until(rest, '\''));
		struct span g;
		decode_after(rest, "' to group '", &g);
		event_set(ev, "group.name", decode_until(g, '\''));
		set(ev, "iam", "group-member-added", "success");
		return true;
	}
	if (span_starts_with(m, "user ") && decode_after(m, " to group ", &rest) &&
	    decode_has(m, " added by ")) {
		decode_set_user(ev, decode_word((struct span){ m.p + 5, m.len - 5 }));
		event_set(ev, "group.name", decode_word(rest));
		set(ev, "iam", "group-member-added", "success");
		return true;
	}
	if (span_starts_with(m, "delete user '")) {
		decode_set_user(ev, decode_until((struct span){ m.p + 13, m.len - 13 }, '\''));
		set(ev, "iam", "user-deleted", "success");
		return true;
	}
	return false;
}

bool
decode_pam(struct decode_ctx *dc, const struct decode_in *in, struct event *ev)
{
	struct span m = span_trim(in->msg), prog = in->sys ? in->sys->program : (struct span){ NULL, 0 };
	(void)dc;
	ev->decoder = "pam";

	if (decode_has(m, "authentication failure;")) {
		struct span svc = pam_service(m, in);
		const char *t = service_type(svc);
		/* "pop(pam_unix)[4920]:" logs without the PAM service: unknown door */
		event_set(ev, "pam.service", svc);
		event_set_cstr(ev, "service.type", t ? t : "other");
		pam_rhost(m, ev);
		struct span ru;
		if (!event_get(ev, "user.name", &ru) && decode_kv(m, "ruser", &ru))
			decode_set_user(ev, ru);
		/* sshd also writes "Failed password" for the same try: the
		 * brute-force rules count that one, not this */
		set(ev, "authentication", t && !strcmp(t, "ssh") ? "ssh-pam-failure" : "pam-failure",
		    "failure");
		return true;
	}
	if (span_eq(prog, "sudo"))
		return sudo_line(m, ev) || (decode_has(m, "session opened") ?
		    (set(ev, "session", "session-opened", "success"), true) : false);
	if (span_eq(prog, "su") || span_eq(prog, "su-l")) {
		struct span v;
		event_set_cstr(ev, "service.type", "su");
		if (span_starts_with(m, "FAILED SU (to ") || span_starts_with(m, "FAILED su for ")) {
			if (decode_after(m, "(to ", &v))
				event_set(ev, "user.effective.name", decode_until(v, ')'));
			if (decode_after(m, ") ", &v))
				decode_set_user(ev, decode_word(v));
			set(ev, "authentication", "su-failed", "failure");
			return true;
		}
		if (span_starts_with(m, "(to ") || span_starts_with(m, "Successful su for ")) {
			if (decode_after(m, "(to ", &v))
				event_set(ev, "user.effective.name", decode_until(v, ')'));
			if (decode_after(m, ") ", &v))
				decode_set_user(ev, decode_word(v));
			set(ev, "authentication", "su", "success");
			return true;
		}
	}
	if (span_eq(prog, "login")) {
		struct span v;
		event_set_cstr(ev, "service.type", "login");
		if (span_starts_with(m, "FAILED LOGIN ")) {
			if (decode_after(m, " FOR '", &v))
				decode_set_user(ev, decode_until(v, '\''));
			if (decode_after(m, " FROM '", &v))
				decode_set_source(ev, decode_until(v, '\''));
			set(ev, "authentication", "login-failed", "failure");
			return true;
		}
		if (span_starts_with(m, "ROOT LOGIN ")) {
			decode_set_user(ev, SPAN_LIT("root"));
			set(ev, "authentication", "login", "success");
			return true;
		}
	}
	if (account_line(m, ev))
		return true;
	if (decode_has(m, "session opened for user ")) {
		struct span v;
		decode_after(m, "session opened for user ", &v);
		v = decode_word(v);
		size_t paren = span_find(v, '(');
		decode_set_user(ev, (struct span){ v.p, paren });
		set(ev, "session", "session-opened", "success");
		return true;
	}
	return false;
}
