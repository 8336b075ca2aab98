/* crontab.c - crontab(5) entries and systemd .timer schedules. */
#include "agent/crontab.h"

#include <string.h>

#include "common/err.h"

static const char *const keywords[] = {
	"@reboot", "@yearly", "@annually", "@monthly", "@weekly", "@daily",
	"@midnight", "@hourly",
};

static const char *const timer_keys[] = {
	"OnCalendar", "OnBootSec", "OnStartupSec", "OnActiveSec",
	"OnUnitActiveSec", "OnUnitInactiveSec",
};

bool
crontab_name_ok(const char *name)
{
	if (!*name)
		return false;
	for (const char *p = name; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* A time field: digits, names (jan, mon), '*', ',', '-', '/'. */
static bool
time_field(struct span w)
{
	for (size_t i = 0; i < w.len; i++) {
		char c = w.p[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || c == '*' || c == ',' || c == '-' ||
		    c == '/'))
			return false;
	}
	return w.len > 0;
}

/* NAME=value (cron's load_env): the first word, ended by whitespace or
 * '=', followed by '='. Quoted names are allowed. */
static bool
env_line(struct span l)
{
	size_t i = 0;
	if (i < l.len && (l.p[i] == '"' || l.p[i] == '\'')) {
		char q = l.p[i++];
		while (i < l.len && l.p[i] != q)
			i++;
		if (i == l.len)
			return false;
		i++;
	} else {
		while (i < l.len && !is_space(l.p[i]) && l.p[i] != '=')
			i++;
		if (i == 0)
			return false;
	}
	while (i < l.len && is_space(l.p[i]))
		i++;
	return i < l.len && l.p[i] == '=';
}

static int
add_job(struct arena *a, struct vec *jobs, const char *source, struct span sched,
    struct span user, const char *fixed_user, struct span cmd)
{
	struct inv_job *j = vec_push(a, jobs);
	if (!j)
		return MAMORI_E_LIMIT;
	j->kind = arena_strdup(a, "cron");
	j->source = arena_strdup(a, source);
	j->schedule = arena_spandup(a, sched);
	j->user = user.len ? arena_spandup(a, user) :
	    fixed_user ? arena_strdup(a, fixed_user) : NULL;
	j->command = arena_spandup(a, cmd);
	if (!j->kind || !j->source || !j->schedule || !j->command ||
	    (!j->user && (user.len || fixed_user)))
		return MAMORI_E_NOMEM;
	return MAMORI_OK;
}

int
crontab_parse(struct arena *a, struct span text, const char *source,
    bool system, const char *user, struct vec *jobs, size_t *bad)
{
	struct cursor c;
	struct span line;
	cursor_init(&c, text.p, text.len);
	while (cursor_line(&c, &line)) {
		struct span l = span_trim(line), w, rest, who = { NULL, 0 };
		if (l.len == 0 || l.p[0] == '#' || env_line(l))
			continue;
		rest = l;
		span_next_word(&rest, &w);
		const char *sched_start = w.p;
		if (w.p[0] == '@') {
			bool known = false;
			for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
				known |= span_eq_nocase(w, keywords[i]);
			if (!known) {
				(*bad)++;
				continue;
			}
		} else {
			bool ok = time_field(w);
			for (int i = 1; ok && i < 5; i++)
				ok = span_next_word(&rest, &w) && time_field(w);
			if (!ok) {
				(*bad)++;
				continue;
			}
		}
		struct span sched = { sched_start, (size_t)(w.p + w.len - sched_start) };
		if (system && !span_next_word(&rest, &who)) {
			(*bad)++;
			continue;
		}
		rest = span_trim(rest);
		if (rest.len == 0) {
			(*bad)++;
			continue;
		}
		int rc = add_job(a, jobs, source, sched, who, system ? NULL : user, rest);
		if (rc)
			return rc;
	}
	return MAMORI_OK;
}

int
crontab_parse_timer(struct arena *a, struct span text, char **schedule,
    char **unit)
{
	struct cursor c;
	struct span line;
	bool in_timer = false;
	char *sched = NULL;
	*schedule = NULL;
	*unit = NULL;
	cursor_init(&c, text.p, text.len);
	while (cursor_line(&c, &line)) {
		struct span l = span_trim(line), key, val;
		if (l.len == 0 || l.p[0] == '#' || l.p[0] == ';')
			continue;
		if (l.p[0] == '[') {
			in_timer = span_eq(l, "[Timer]");
			continue;
		}
		if (!in_timer || !span_split(l, '=', &key, &val))
			continue;
		key = span_trim(key);
		val = span_trim(val);
		if (span_eq(key, "Unit")) {
			if (!(*unit = arena_spandup(a, val)))
				return MAMORI_E_NOMEM;
			continue;
		}
		bool timer = false;
		for (size_t i = 0; i < sizeof(timer_keys) / sizeof(timer_keys[0]); i++)
			timer |= span_eq(key, timer_keys[i]);
		/* A schedule longer than this is not for people to read. */
		if (!timer || (sched && strlen(sched) > 1024))
			continue;
		if (val.len == 0) {
			sched = NULL;
			continue;
		}
		sched = sched ? arena_printf(a, "%s; %.*s=%.*s", sched, (int)key.len,
		    key.p, (int)val.len, val.p) : arena_printf(a, "%.*s=%.*s",
		    (int)key.len, key.p, (int)val.len, val.p);
		if (!sched)
			return MAMORI_E_NOMEM;
	}
	*schedule = sched;
	return MAMORI_OK;
}
