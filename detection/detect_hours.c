/*
 * detect_hours.c - administrator logins outside business hours (see
 * detect_hours.h).
 */
#include "detection/detect_hours.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "detection/decode_util.h"
#include "detection/holiday_jp.h"
#include "detection/window.h"

#define RING 64
#define PAIR_MS (10 * 1000LL)		/* 4624 and its 4672 are written together */
#define SUPPRESS_MS (10 * 60 * 1000LL)

static const struct alert_rule rule = {
	"mamori.auth.admin_off_hours", "Administrator login outside business hours", ALERT_MEDIUM, IR_DETECT,
	{ "An administrator account logged in outside business hours",
	  "業務時間外に管理者アカウントでログインがありました" },
	{ "Someone logged in with an administrator account at night or on a day off. It may be a staff member "
	  "working late, but attackers like to use stolen administrator passwords when nobody is watching.",
	  "夜間や休日に管理者アカウントでログインがありました。残業中の社員の可能性もありますが、攻撃者は盗んだ管理者の"
	  "パスワードを、誰も見ていない時間に使うことを好みます。" },
	{ "Ask the person who uses this account whether it was them. If not: change the password from another "
	  "computer now, and ask your IT vendor to check what was done with the account around that time.",
	  "このアカウントを使う人に、本人のログインか確認してください。心当たりがなければ、別の端末から今すぐパスワードを"
	  "変更し、その時刻ごろにこのアカウントで何が行われたか IT 担当業者に確認を依頼してください。" },
};

struct logon {
	uint64_t key;		/* host + logon id; 0 = free */
	int64_t ts;
	bool off_hours;		/* a 4624 outside business hours was seen */
	bool priv;		/* a 4672 was seen */
	char ip[48];
};

struct fired {
	uint64_t key;
	int64_t ts;
};

struct detect_hours {
	struct detect_hours_conf c;
	struct logon logons[RING];
	struct fired fired[RING];
	size_t next_logon, next_fired;
	char msg[512];
};

static const char *const day_names[7] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };

static int
parse_hhmm(struct span s, int *out)
{
	struct span h, m;
	uint64_t hh, mm;
	s = span_trim(s);
	if (!span_split(s, ':', &h, &m) || span_to_u64(h, 24, &hh) || span_to_u64(m, 59, &mm) ||
	    !h.len || m.len != 2 || (hh == 24 && mm))
		return MAMORI_E_INVAL;
	*out = (int)(hh * 60 + mm);
	return MAMORI_OK;
}

static int
parse_day(struct span s)
{
	s = span_trim(s);
	for (int i = 0; i < 7; i++)
		if (span_eq_nocase(s, day_names[i]))
			return i;
	return -1;
}

static int
parse_days(const char *text, unsigned *out)
{
	struct span rest = span_from_cstr(text), item;
	*out = 0;
	while (rest.len) {
		span_split(rest, ',', &item, &rest);
		struct span a, b;
		if (!span_split(item, '-', &a, &b))
			b = a;
		int from = parse_day(a), to = parse_day(b);
		if (from < 0 || to < 0)
			return MAMORI_E_INVAL;
		for (int d = from;; d = (d + 1) % 7) {
			*out |= 1u << d;
			if (d == to)
				break;
		}
	}
	return *out ? MAMORI_OK : MAMORI_E_INVAL;
}

static int
parse_tz(const char *text, int *out)
{
	struct span s = span_trim(span_from_cstr(text)), h, m = { "00", 2 };
	uint64_t hh, mm;
	if (span_eq_nocase(s, "Z") || span_eq_nocase(s, "UTC")) {
		*out = 0;
		return MAMORI_OK;
	}
	if (s.len < 2 || (s.p[0] != '+' && s.p[0] != '-'))
		return MAMORI_E_INVAL;
	int sign = s.p[0] == '-' ? -1 : 1;
	s.p++, s.len--;
	if (!span_split(s, ':', &h, &m))
		h = s;
	if (!h.len || span_to_u64(h, 14, &hh) || m.len != 2 || span_to_u64(m, 59, &mm))
		return MAMORI_E_INVAL;
	*out = sign * (int)(hh * 60 + mm);
	return MAMORI_OK;
}

int
detect_hours_conf_parse(struct detect_hours_conf *c, const char *hours, const char *days,
    const char *tz, const char *admins, char *err, size_t errsz)
{
	struct span a, b, rest = span_from_cstr(admins ? admins : ""), item;
	memset(c, 0, sizeof(*c));
	c->holidays = c->year_end = true;
	if (!span_split(span_from_cstr(hours), '-', &a, &b) || parse_hhmm(a, &c->start_min) ||
	    parse_hhmm(b, &c->end_min) || c->start_min == c->end_min) {
		snprintf(err, errsz, "logs.business_hours: '%s' is not HH:MM-HH:MM (e.g. 08:00-20:00)", hours);
		return MAMORI_E_INVAL;
	}
	if (parse_days(days, &c->days)) {
		snprintf(err, errsz, "logs.business_days: '%s' is not a list of days (e.g. mon-fri or mon,tue,sat)", days);
		return MAMORI_E_INVAL;
	}
	if (parse_tz(tz, &c->tz_min)) {
		snprintf(err, errsz, "logs.timezone: '%s' is not a UTC offset (e.g. +09:00)", tz);
		return MAMORI_E_INVAL;
	}
	while (rest.len) {
		span_split(rest, ',', &item, &rest);
		item = span_trim(item);
		if (!item.len)
			continue;
		if (c->nadmins == DETECT_HOURS_ADMINS || item.len >= DETECT_HOURS_NAME) {
			snprintf(err, errsz, "logs.admin_users: at most %d names of up to %d characters",
			    DETECT_HOURS_ADMINS, DETECT_HOURS_NAME - 1);
			return MAMORI_E_INVAL;
		}
		memcpy(c->admins[c->nadmins], item.p, item.len);
		c->admins[c->nadmins++][item.len] = '\0';
	}
	return MAMORI_OK;
}

/* "MM-DD" or "YYYY-MM-DD" (a real date; 02-29 allowed every year). */
static int
parse_closed(struct span s, int *y, int *m, int *d)
{
	struct span a, b, c;
	uint64_t yy = 0, mm, dd;
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	s = span_trim(s);
	if (!span_split(s, '-', &a, &b))
		return MAMORI_E_INVAL;
	if (span_split(b, '-', &b, &c)) {
		if (a.len != 4 || span_to_u64(a, 9999, &yy) || yy < 1970)
			return MAMORI_E_INVAL;
		a = b;
		b = c;
	}
	if (a.len != 2 || b.len != 2 || span_to_u64(a, 12, &mm) || span_to_u64(b, 31, &dd) || !mm || !dd ||
	    (int)dd > mdays[mm - 1])
		return MAMORI_E_INVAL;
	if (yy && mm == 2 && dd == 29 && !(yy % 4 == 0 && (yy % 100 != 0 || yy % 400 == 0)))
		return MAMORI_E_INVAL;
	*y = (int)yy;
	*m = (int)mm;
	*d = (int)dd;
	return MAMORI_OK;
}

int
detect_hours_conf_days_off(struct detect_hours_conf *c, bool holidays, bool year_end,
    const char *closed, char *err, size_t errsz)
{
	struct span rest = span_from_cstr(closed ? closed : ""), item;
	c->holidays = holidays;
	c->year_end = year_end;
	c->nclosed = 0;
	while (rest.len) {
		span_split(rest, ',', &item, &rest);
		if (!span_trim(item).len)
			continue;
		if (c->nclosed == DETECT_HOURS_CLOSED) {
			snprintf(err, errsz, "logs.closed_days: at most %d days", DETECT_HOURS_CLOSED);
			return MAMORI_E_INVAL;
		}
		if (parse_closed(item, &c->closed[c->nclosed].y, &c->closed[c->nclosed].m,
		    &c->closed[c->nclosed].d)) {
			item = span_trim(item);
			snprintf(err, errsz, "logs.closed_days: '%.*s' is not MM-DD or YYYY-MM-DD (e.g. 08-13 or 2026-05-01)",
			    (int)(item.len > 40 ? 40 : item.len), item.p);
			return MAMORI_E_INVAL;
		}
		c->nclosed++;
	}
	return MAMORI_OK;
}

int
detect_hours_new(struct detect_hours **out, const struct detect_hours_conf *c)
{
	struct detect_hours *h = calloc(1, sizeof(*h));
	if (!h)
		return MAMORI_E_NOMEM;
	h->c = *c;
	*out = h;
	return MAMORI_OK;
}

void
detect_hours_free(struct detect_hours *h)
{
	free(h);
}

const struct alert_rule *
detect_hours_rule(void)
{
	return &rule;
}

/* Local weekday (0 = Sunday), minute of the day and day number of a UTC time. */
static void
local_time(const struct detect_hours_conf *c, int64_t ts_ms, int *wday, int *min, int64_t *days)
{
	int64_t t = ts_ms / 1000 + (int64_t)c->tz_min * 60;
	int64_t day = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	*min = (int)((t - day * 86400) / 60);
	*wday = (int)(((day + 4) % 7 + 7) % 7);	/* 1970-01-01 was a Thursday */
	*days = day;
}

/* Why a local day is a day off besides its weekday, or NULL. */
static const char *
day_off(const struct detect_hours_conf *c, int64_t days)
{
	int y, m, d;
	decode_civil_from_days(days, &y, &m, &d);
	for (size_t i = 0; i < c->nclosed; i++)
		if (c->closed[i].m == m && c->closed[i].d == d && (!c->closed[i].y || c->closed[i].y == y))
			return "a company day off (logs.closed_days)";
	if (c->year_end && ((m == 12 && d >= 29) || (m == 1 && d <= 3)))
		return "the year-end break (年末年始)";
	if (c->holidays) {
		struct holiday_jp h = holiday_jp(y, m, d);
		if (h.kind != HOLIDAY_JP_NONE)
			return h.en;
	}
	return NULL;
}

/* Outside business hours; *why names a day off that is not a weekend. */
static bool
off_hours(const struct detect_hours_conf *c, int64_t ts_ms, int *wday, int *min, const char **why)
{
	int64_t days;
	local_time(c, ts_ms, wday, min, &days);
	*why = NULL;
	if (!(c->days & (1u << *wday)))
		return true;
	if ((*why = day_off(c, days)) != NULL)
		return true;
	if (c->start_min < c->end_min)
		return *min < c->start_min || *min >= c->end_min;
	return *min < c->start_min && *min >= c->end_min;
}

static bool
admin_name(const struct detect_hours_conf *c, struct span user)
{
	/* "DOMAIN\user" and "user@domain" name the same account */
	size_t bs = span_find(user, '\\');
	if (bs < user.len)
		user = (struct span){ user.p + bs + 1, user.len - bs - 1 };
	size_t at = span_find(user, '@');
	if (at < user.len)
		user.len = at;
	if (span_eq(user, "root") || span_eq_nocase(user, "administrator") ||
	    span_eq_nocase(user, "administrateur") || span_eq_nocase(user, "administrador"))
		return true;
	for (size_t i = 0; i < c->nadmins; i++)
		if (span_eq(user, c->admins[i]))
			return true;
	return false;
}

static bool
fresh(struct detect_hours *h, struct span user, int64_t now)
{
	uint64_t k = window_hash(11, user) | 1;
	for (size_t i = 0; i < RING; i++) {
		if (h->fired[i].key != k)
			continue;
		if (now >= h->fired[i].ts && now - h->fired[i].ts < SUPPRESS_MS)
			return false;
		h->fired[i].ts = now;
		return true;
	}
	h->fired[h->next_fired] = (struct fired){ k, now };
	h->next_fired = (h->next_fired + 1) % RING;
	return true;
}

static struct logon *
logon_find(struct detect_hours *h, uint64_t key, int64_t now)
{
	for (size_t i = 0; i < RING; i++)
		if (h->logons[i].key == key && now - h->logons[i].ts <= PAIR_MS && h->logons[i].ts - now <= PAIR_MS)
			return &h->logons[i];
	struct logon *l = &h->logons[h->next_logon];
	h->next_logon = (h->next_logon + 1) % RING;
	memset(l, 0, sizeof(*l));
	l->key = key;
	l->ts = now;
	return l;
}

static size_t
raise(struct detect_hours *h, const struct event *ev, const char *ip, int wday, int min,
    const char *why, detect_alert_fn fn, void *arg)
{
	struct span user = { NULL, 0 }, host = { NULL, 0 }, svc = { NULL, 0 };
	char u[DETECT_HOURS_NAME + 1], hn[128];
	event_get(ev, "user.name", &user);
	event_get(ev, "host.name", &host);
	event_get(ev, "service.type", &svc);
	if (!fresh(h, user, ev->ts_ms))
		return 0;
	const struct detect_hours_conf *c = &h->c;
	int tz = c->tz_min < 0 ? -c->tz_min : c->tz_min;
	snprintf(u, sizeof(u), "%.*s", (int)(user.len > DETECT_HOURS_NAME ? DETECT_HOURS_NAME : user.len),
	    user.p ? user.p : "");
	snprintf(hn, sizeof(hn), "%.*s", (int)(host.len > 100 ? 100 : host.len), host.p ? host.p : "");
	int n = snprintf(h->msg, sizeof(h->msg),
	    "administrator '%s' logged in%s%.*s%s%s at %02d:%02d %s (UTC%c%02d:%02d), ", u,
	    svc.len ? " over " : "", (int)(svc.len > 20 ? 20 : svc.len), svc.p ? svc.p : "",
	    ip && ip[0] ? " from " : "", ip ? ip : "", min / 60, min % 60, day_names[wday],
	    c->tz_min < 0 ? '-' : '+', tz / 60, tz % 60);
	if (n > 0 && (size_t)n < sizeof(h->msg)) {
		if (why)
			snprintf(h->msg + n, sizeof(h->msg) - (size_t)n, "on a day off: %s", why);
		else
			snprintf(h->msg + n, sizeof(h->msg) - (size_t)n, "outside business hours %02d:%02d-%02d:%02d",
			    c->start_min / 60, c->start_min % 60, c->end_min / 60, c->end_min % 60);
	}
	struct alert a = {
		.rule = &rule, .severity = rule.severity, .ts_ms = ev->ts_ms,
		.source_ip = ip && ip[0] ? ip : NULL, .user_name = u[0] ? u : NULL,
		.host_name = hn[0] ? hn : NULL, .message = h->msg,
	};
	fn(arg, &a);
	return 1;
}

size_t
detect_hours_event(struct detect_hours *h, const struct event *ev, detect_alert_fn fn, void *arg)
{
	struct span user, ip = { NULL, 0 }, v, id = { NULL, 0 }, host = { NULL, 0 };
	char ips[48] = "";
	int wday, min;
	const char *why;
	if (!ev->ts_ms || !event_get(ev, "user.name", &user) || !user.len)
		return 0;
	bool windows = ev->decoder && !strcmp(ev->decoder, "windows");
	bool priv = windows && event_has(ev, "event.action", "logged-in-special");
	if (!priv) {
		if (!event_has(ev, "event.category", "authentication") ||
		    !event_has(ev, "event.outcome", "success") ||
		    event_has(ev, "event.action", "logged-out") || event_has(ev, "event.action", "su"))
			return 0;
		/* Windows: interactive (2), remote desktop (10), cached (11) logons only */
		if (windows && (!event_has(ev, "event.action", "logged-in") ||
		    !event_get(ev, "winlog.logon.type", &v) ||
		    !(span_eq(v, "2") || span_eq(v, "10") || span_eq(v, "11"))))
			return 0;
	}
	if (!off_hours(&h->c, ev->ts_ms, &wday, &min, &why))
		return 0;
	if (event_get(ev, "source.ip", &ip) || event_get(ev, "source.address", &ip))
		snprintf(ips, sizeof(ips), "%.*s", (int)(ip.len > 47 ? 47 : ip.len), ip.p);
	if (!priv && admin_name(&h->c, user))
		return raise(h, ev, ips, wday, min, why, fn, arg);
	/* Windows: a logon is an administrator's when 4672 names its logon id */
	if (!windows || !event_get(ev, "winlog.logon.id", &id) || !id.len)
		return 0;
	event_get(ev, "host.name", &host);
	struct logon *l = logon_find(h, window_hash(window_hash(13, host), id) | 1, ev->ts_ms);
	if (priv)
		l->priv = true;
	else {
		l->off_hours = true;
		memcpy(l->ip, ips, sizeof(l->ip));
	}
	if (!l->priv || !l->off_hours)
		return 0;
	l->key = 0;	/* one alert per logon */
	return raise(h, ev, l->ip, wday, min, why, fn, arg);
}
