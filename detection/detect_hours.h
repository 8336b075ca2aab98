/*
 * detect_hours.h - an administrator logged in outside business hours.
 *
 * A successful login (SSH, console, VPN, Windows 4624 of type 2/10/11)
 * by an administrator account: root or Administrator, a name in the admin
 * list, or on Windows a logon that got special privileges (4672 with the
 * same logon id). "Outside" means outside the business hours on a business
 * day, in a fixed UTC offset (Japan has no daylight saving time). Days
 * off are the non-business weekdays, Japan's public holidays, the year-end
 * break and the company's own closed days (each can be turned off).
 *
 * State is a fixed ring of recent Windows logons (to pair 4624 with 4672)
 * and of recent alerts (one alert per account per 10 minutes).
 */
#ifndef MAMORI_DETECTION_DETECT_HOURS_H
#define MAMORI_DETECTION_DETECT_HOURS_H

#include <stdbool.h>
#include <stddef.h>

#include "detection/alert.h"
#include "detection/detect_builtin.h"
#include "detection/event.h"

#define DETECT_HOURS_ADMINS 32
#define DETECT_HOURS_NAME 64
#define DETECT_HOURS_CLOSED 64

struct detect_hours_conf {
	int start_min, end_min;		/* minutes after midnight; end may be < start (overnight) */
	unsigned days;			/* bit 0 = Sunday .. bit 6 = Saturday */
	int tz_min;			/* offset from UTC in minutes (+540 = JST) */
	size_t nadmins;
	char admins[DETECT_HOURS_ADMINS][DETECT_HOURS_NAME];
	/* days off besides the non-business weekdays */
	bool holidays;			/* Japan's public holidays (holiday_jp.h) */
	bool year_end;			/* Dec 29 - Jan 3 */
	size_t nclosed;
	struct { int y, m, d; } closed[DETECT_HOURS_CLOSED];	/* y 0 = every year */
};

struct detect_hours;

/*
 * Fills c from the settings' text: hours "08:00-20:00", days "mon-fri" or
 * "mon,tue,sat", tz "+09:00", admins "alice,bob" (may be empty). On a bad
 * value returns MAMORI_E_INVAL and err names it.
 */
int detect_hours_conf_parse(struct detect_hours_conf *c, const char *hours, const char *days,
    const char *tz, const char *admins, char *err, size_t errsz);
/*
 * Days off (after detect_hours_conf_parse, which turns holidays and the
 * year-end break on): closed is "MM-DD" (every year) or "YYYY-MM-DD",
 * comma-separated, at most DETECT_HOURS_CLOSED. MAMORI_E_INVAL names a bad one.
 */
int detect_hours_conf_days_off(struct detect_hours_conf *c, bool holidays, bool year_end,
    const char *closed, char *err, size_t errsz);
int detect_hours_new(struct detect_hours **out, const struct detect_hours_conf *c);
void detect_hours_free(struct detect_hours *h);
/* Looks at one event; returns the number of alerts raised. */
size_t detect_hours_event(struct detect_hours *h, const struct event *ev, detect_alert_fn fn, void *arg);
const struct alert_rule *detect_hours_rule(void);

#endif
