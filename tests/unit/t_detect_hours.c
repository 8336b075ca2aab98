/*
 * t_detect_hours.c - administrator logins outside business hours: sshd
 * lines through the real decoders, Windows 4624/4672 pairs as events.
 */
#include <string.h>

#include "common/err.h"
#include "detection/decoder.h"
#include "detection/detect_hours.h"
#include "tests/tap.h"

struct hits {
	size_t n;
	char user[8][64];
	char msg[8][512];
};

static void
collect(void *arg, const struct alert *a)
{
	struct hits *h = arg;
	if (h->n == 8)
		return;
	snprintf(h->user[h->n], 64, "%s", a->user_name ? a->user_name : "");
	snprintf(h->msg[h->n], 512, "%s", a->message);
	ok(!strcmp(a->rule->id, "mamori.auth.admin_off_hours") && a->severity == ALERT_MEDIUM &&
	    a->rule->what.ja && a->rule->action.ja && a->rule->why.en, "alert: rule, medium, ja/en text");
	h->n++;
}

/* One syslog line (RFC 3339 UTC time) through the decoders and the rule. */
static size_t
line(struct detect_hours *d, const char *text)
{
	static struct decode_ctx dc;
	struct event ev;
	struct hits h = { 0 };
	decoder_ctx_init(&dc, 2025, 0);
	if (!decoder_decode(&dc, span_from_cstr(text), &ev))
		return 99;
	return detect_hours_event(d, &ev, collect, &h);
}

/* The same, keeping the last alert's message. */
static size_t
line_msg(struct detect_hours *d, const char *text, char *msg, size_t cap)
{
	static struct decode_ctx dc;
	struct event ev;
	struct hits h = { 0 };
	decoder_ctx_init(&dc, 2025, 0);
	msg[0] = '\0';
	if (!decoder_decode(&dc, span_from_cstr(text), &ev))
		return 99;
	size_t n = detect_hours_event(d, &ev, collect, &h);
	if (h.n)
		snprintf(msg, cap, "%s", h.msg[h.n - 1]);
	return n;
}

/* Days off: Japan's holidays, the year-end break, the company's own days. */
static void
days_off(void)
{
	struct detect_hours_conf c;
	struct detect_hours *d;
	char err[256], msg[512];

	if (detect_hours_conf_parse(&c, "08:00-20:00", "mon-fri", "+09:00", "", err, sizeof(err)) ||
	    detect_hours_new(&d, &c))
		return;
	ok(c.holidays && c.year_end && c.nclosed == 0, "holidays and the year-end break are on by default");
	/* 10:00 JST = 01:00 UTC */
	is_int(line_msg(d, "2025-03-20T01:00:00Z srv sshd[1]: Accepted password for root from 192.0.2.1 port 1 ssh2",
	    msg, sizeof(msg)), 1, "root at 10:00 on Thursday 2025-03-20 (春分の日): alert");
	ok(strstr(msg, "on a day off: Vernal Equinox Day") != NULL, "the message names the holiday: %s", msg);
	is_int(line_msg(d, "2026-09-22T01:00:00Z srv sshd[1]: Accepted password for root from 192.0.2.1 port 1 ssh2",
	    msg, sizeof(msg)), 1, "Tuesday 2026-09-22 (国民の休日): alert");
	is_int(line_msg(d, "2025-11-24T01:00:00Z srv sshd[1]: Accepted password for root from 192.0.2.1 port 1 ssh2",
	    msg, sizeof(msg)), 1, "Monday 2025-11-24 (振替休日): alert");
	is_int(line_msg(d, "2025-12-30T01:00:00Z srv sshd[1]: Accepted password for root from 192.0.2.1 port 1 ssh2",
	    msg, sizeof(msg)), 1, "Tuesday 2025-12-30: the year-end break");
	ok(strstr(msg, "year-end break") != NULL, "named: %s", msg);
	is_int(line_msg(d, "2026-01-05T01:00:00Z srv sshd[1]: Accepted password for root from 192.0.2.1 port 1 ssh2",
	    msg, sizeof(msg)), 0, "Monday 2026-01-05 10:00: a business day again");
	/* the local date decides: 2025-03-19 23:30 UTC is 3/20 08:30 JST */
	is_int(line_msg(d, "2025-03-19T23:30:00Z srv sshd[1]: Accepted password for administrator from 192.0.2.1 port 1 ssh2",
	    msg, sizeof(msg)), 1, "08:30 JST on 3/20 (still 3/19 in UTC): a holiday");
	ok(strstr(msg, "08:30 thu") && strstr(msg, "Vernal Equinox Day"), "named: %s", msg);
	detect_hours_free(d);

	ok(detect_hours_conf_days_off(&c, false, false, " 08-13, 2026-05-01 ,02-29", err, sizeof(err)) == 0 &&
	    c.nclosed == 3 && c.closed[1].y == 2026 && c.closed[1].m == 5 && c.closed[1].d == 1 && !c.closed[0].y,
	    "closed days parse (MM-DD every year, YYYY-MM-DD once)");
	if (detect_hours_new(&d, &c))
		return;
	is_int(line_msg(d, "2025-03-20T01:00:00Z srv sshd[1]: Accepted password for root from 192.0.2.1 port 1 ssh2",
	    msg, sizeof(msg)), 0, "logs.holidays off: 春分の日 is a business day");
	is_int(line_msg(d, "2025-12-30T01:00:00Z srv sshd[1]: Accepted password for root from 192.0.2.1 port 1 ssh2",
	    msg, sizeof(msg)), 0, "logs.year_end_break off: 12-30 is a business day");
	is_int(line_msg(d, "2025-08-13T01:00:00Z srv sshd[1]: Accepted password for root from 192.0.2.1 port 1 ssh2",
	    msg, sizeof(msg)), 1, "08-13 closed every year: alert on Wednesday 2025-08-13");
	ok(strstr(msg, "company day off") != NULL, "named: %s", msg);
	is_int(line_msg(d, "2025-05-01T01:00:00Z srv sshd[1]: Accepted password for root from 192.0.2.1 port 1 ssh2",
	    msg, sizeof(msg)), 0, "2026-05-01 closed: 2025-05-01 is not");
	is_int(line_msg(d, "2026-05-01T01:00:00Z srv sshd[1]: Accepted password for root from 192.0.2.1 port 1 ssh2",
	    msg, sizeof(msg)), 1, "and 2026-05-01 is");
	detect_hours_free(d);

	static const char *const bad[] = { "13-01", "2025-02-29", "aug-13", "8-13", "2025-04-31", "1969-01-01" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(detect_hours_conf_days_off(&c, true, true, bad[i], err, sizeof(err)) == MAMORI_E_INVAL &&
		    strstr(err, "logs.closed_days"), "'%s' refused: %s", bad[i], err);
	ok(detect_hours_conf_days_off(&c, true, true, "2024-02-29", err, sizeof(err)) == 0, "2024-02-29 is a date");
}

static void
win(struct event *ev, int64_t ts, const char *action, const char *user, const char *type, const char *id)
{
	event_reset(ev);
	ev->ts_ms = ts;
	ev->decoder = "windows";
	event_set_cstr(ev, "event.category", strcmp(action, "logged-in") ? "iam" : "authentication");
	event_set_cstr(ev, "event.action", action);
	event_set_cstr(ev, "event.outcome", "success");
	event_set_cstr(ev, "user.name", user);
	event_set_cstr(ev, "host.name", "PC01");
	event_set_cstr(ev, "winlog.logon.id", id);
	if (type)
		event_set_cstr(ev, "winlog.logon.type", type);
}

int
main(void)
{
	struct detect_hours_conf c;
	struct detect_hours *d;
	char err[256];
	struct hits h = { 0 };
	struct event ev;

	ok(detect_hours_conf_parse(&c, "08:00-20:00", "mon-fri", "+09:00", "alice, bob", err, sizeof(err)) == 0,
	    "defaults parse");
	is_int(c.start_min, 480, "start 08:00");
	is_int(c.end_min, 1200, "end 20:00");
	is_int(c.days, 0x3e, "mon-fri");
	is_int(c.tz_min, 540, "+09:00");
	is_int(c.nadmins, 2, "two admins");
	is_str(c.admins[1], "bob", "admin names trimmed");
	ok(detect_hours_conf_parse(&c, "8-20", "mon-fri", "+09:00", "", err, sizeof(err)) == MAMORI_E_INVAL &&
	    strstr(err, "logs.business_hours"), "bad hours named: %s", err);
	ok(detect_hours_conf_parse(&c, "08:00-20:00", "mon-funday", "+09:00", "", err, sizeof(err)) ==
	    MAMORI_E_INVAL, "bad days refused");
	ok(detect_hours_conf_parse(&c, "08:00-20:00", "mon-fri", "JST", "", err, sizeof(err)) ==
	    MAMORI_E_INVAL, "bad zone refused");
	ok(detect_hours_conf_parse(&c, "22:00-06:00", "sat,sun,fri-mon", "-05:30", "", err, sizeof(err)) == 0 &&
	    c.tz_min == -330 && c.days == 0x63, "overnight hours, wrapping day range, negative offset");

	if (detect_hours_conf_parse(&c, "08:00-20:00", "mon-fri", "+09:00", "alice", err, sizeof(err)) ||
	    detect_hours_new(&d, &c))
		return 1;
	/* 2025-03-05 is a Wednesday; 03:00 JST = 18:00 UTC the day before */
	is_int(line(d, "2025-03-04T18:00:00Z srv sshd[10]: Accepted password for root from 203.0.113.5 port 50022 ssh2"),
	    1, "root at 03:00 JST on a weekday: alert");
	is_int(line(d, "2025-03-04T18:01:00Z srv sshd[10]: Accepted password for root from 203.0.113.5 port 50023 ssh2"),
	    0, "the same account a minute later: suppressed");
	is_int(line(d, "2025-03-05T01:00:00Z srv sshd[11]: Accepted publickey for alice from 192.0.2.7 port 50022 ssh2"),
	    0, "listed admin at 10:00 JST on a weekday: no alert");
	is_int(line(d, "2025-03-08T01:00:00Z srv sshd[12]: Accepted publickey for alice from 192.0.2.7 port 50022 ssh2"),
	    1, "listed admin at 10:00 JST on Saturday: alert");
	is_int(line(d, "2025-03-04T18:30:00Z srv sshd[13]: Accepted password for taro from 192.0.2.8 port 50022 ssh2"),
	    0, "non-admin user at 03:30 JST: no alert");
	is_int(line(d, "2025-03-04T18:30:00Z srv sshd[14]: Failed password for bob from 192.0.2.9 port 50022 ssh2"),
	    0, "a failed login is not a login");
	is_int(line(d, "2025-03-05T10:59:00Z srv sshd[15]: Accepted password for alice from 192.0.2.7 port 50022 ssh2"),
	    0, "19:59 JST: inside");
	is_int(line(d, "2025-03-05T11:00:00Z srv sshd[16]: Accepted password for bob from 192.0.2.7 port 50022 ssh2"),
	    0, "bob not listed here");

	/* Windows: Administrator by name; another account by its 4672 (either order) */
	win(&ev, 1741111200000, "logged-in", "Administrator", "10", "0x1");
	is_int(detect_hours_event(d, &ev, collect, &h), 1, "Administrator RDP logon at 03:00 JST: alert");
	win(&ev, 1741111200000, "logged-in", "Administrator", "3", "0x2");
	is_int(detect_hours_event(d, &ev, collect, &h), 0, "network logon (type 3): not counted");
	win(&ev, 1741111260000, "logged-in", "hanako", "2", "0x3e7a");
	is_int(detect_hours_event(d, &ev, collect, &h), 0, "hanako interactive logon alone: no alert");
	win(&ev, 1741111260000, "logged-in-special", "hanako", NULL, "0x3e7a");
	is_int(detect_hours_event(d, &ev, collect, &h), 1, "then 4672 for the same logon id: alert");
	is_str(h.user[h.n - 1], "hanako", "alert names the account");
	win(&ev, 1741111300000, "logged-in-special", "jiro", NULL, "0x99");
	is_int(detect_hours_event(d, &ev, collect, &h), 0, "4672 first: nothing yet");
	win(&ev, 1741111301000, "logged-in", "jiro", "10", "0x99");
	is_int(detect_hours_event(d, &ev, collect, &h), 1, "then its 4624 type 10: alert");
	ok(strstr(h.msg[h.n - 1], "03:01 wed (UTC+09:00)") != NULL, "message has local time: %s", h.msg[h.n - 1]);
	win(&ev, 1741136400000, "logged-in-special", "saburo", NULL, "0x77");
	detect_hours_event(d, &ev, collect, &h);
	win(&ev, 1741136400000, "logged-in", "saburo", "2", "0x77");
	is_int(detect_hours_event(d, &ev, collect, &h), 0, "admin logon at 10:00 JST weekday: no alert");
	detect_hours_free(d);
	days_off();
	return done_testing();
}
