/*
 * t_detect_country.c - the new-country rule with a fake lookup: baseline,
 * one alert per new (account, country), what is not a login, the pairs
 * handed out to be kept and loaded back after a restart, and the bounded
 * table.
 */
#include <string.h>

#include "detection/detect_country.h"
#include "tests/tap.h"

static int
fake(void *arg, const char *ip, char cc[3])
{
	(void)arg;
	if (!strncmp(ip, "203.0.113.", 10))
		memcpy(cc, "JP", 3);
	else if (!strncmp(ip, "198.51.100.", 11))
		memcpy(cc, "US", 3);
	else if (!strncmp(ip, "2001:db8:", 9))
		memcpy(cc, "DE", 3);
	else
		return -1;
	return 0;
}

static void
count(void *arg, const struct alert *a)
{
	(*(size_t *)arg)++;
	ok(!strcmp(a->rule->id, "mamori.auth.new_country") && strstr(a->message, "country ") &&
	    a->rule->what.ja && a->source_ip && a->user_name, "alert: %s", a->message);
}

/* What on_seen hands out, as "user:CC " pairs. */
static char seen[256];

static void
keep(void *arg, const char *user, const char *cc, int64_t ts_ms)
{
	(void)arg;
	size_t n = strlen(seen);
	snprintf(seen + n, sizeof(seen) - n, "%s:%s@%lld ", user, cc, (long long)ts_ms);
}

static size_t
login(struct detect_country *d, const char *user, const char *ip, const char *outcome)
{
	struct event ev;
	size_t n = 0;
	event_reset(&ev);
	ev.ts_ms = 1741136400000;
	event_set_cstr(&ev, "event.category", "authentication");
	event_set_cstr(&ev, "event.outcome", outcome);
	event_set_cstr(&ev, "user.name", user);
	event_set_cstr(&ev, "source.ip", ip);
	detect_country_event(d, &ev, count, &n);
	return n;
}

int
main(void)
{
	struct detect_country *d;
	char u[32];
	if (detect_country_new(&d, 0, fake, NULL))
		return 1;
	is_int(login(d, "tanaka", "203.0.113.7", "success"), 0, "first country is the baseline");
	is_int(login(d, "tanaka", "198.51.100.1", "failure"), 0, "a failed login from US: nothing");
	is_int(login(d, "tanaka", "10.0.0.1", "success"), 0, "unknown (private) address: nothing");
	is_int(login(d, "tanaka", "not-an-ip", "success"), 0, "not an address: no lookup");
	is_int(login(d, "tanaka", "198.51.100.1", "success"), 1, "US: alert");
	is_int(login(d, "tanaka", "198.51.100.2", "success"), 0, "US again: once per pair");
	is_int(login(d, "tanaka", "2001:db8::5", "success"), 1, "IPv6 from DE: alert");
	is_int(login(d, "sato", "198.51.100.3", "success"), 0, "another account's baseline is its own");
	detect_country_free(d);
	is_int(detect_country_event(NULL, NULL, count, NULL), 0, "off (no database): nothing");

	/* Kept and loaded back: a restart knows the baseline and the countries seen. */
	if (detect_country_new(&d, 0, fake, NULL))
		return 1;
	detect_country_on_seen(d, keep, NULL);
	login(d, "tanaka", "203.0.113.7", "success");
	login(d, "tanaka", "203.0.113.8", "success");
	login(d, "tanaka", "198.51.100.1", "success");
	is_str(seen, "tanaka:JP@1741136400000 tanaka:US@1741136400000 ",
	    "each pair seen for the first time is handed out once, the baseline too");
	detect_country_free(d);
	if (detect_country_new(&d, 0, fake, NULL))
		return 1;
	detect_country_load(d, "tanaka", "JP");
	detect_country_load(d, "tanaka", "US");
	seen[0] = '\0';
	detect_country_on_seen(d, keep, NULL);
	is_int(login(d, "tanaka", "198.51.100.9", "success"), 0, "after a restart: US is not new again");
	is_int(login(d, "tanaka", "2001:db8::1", "success"), 1,
	    "and DE is new (without the load it would be the baseline)");
	is_str(seen, "tanaka:DE@1741136400000 ", "only DE is handed out");
	detect_country_free(d);

	/* 64 slots: 200 accounts overwrite old pairs, counted, never grow */
	if (detect_country_new(&d, 64, fake, NULL))
		return 1;
	for (int i = 0; i < 200; i++) {
		snprintf(u, sizeof(u), "user%d", i);
		login(d, u, "203.0.113.7", "success");
	}
	ok(detect_country_evictions(d) > 0, "full table: %llu overwrites counted",
	    (unsigned long long)detect_country_evictions(d));
	detect_country_free(d);
	return done_testing();
}
