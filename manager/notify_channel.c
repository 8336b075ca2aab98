#include "manager/notify_channel.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "manager/notify_send.h"

static const char *const severities[] = { "info", "low", "medium", "high", "critical" };

void
notify_channel_defaults(struct store_notify_channel *ch)
{
	memset(ch, 0, sizeof(*ch));
	ch->tenant_id = 1;
	snprintf(ch->lang, sizeof(ch->lang), "ja");
	ch->min_severity = 3;
	ch->quiet_start = ch->quiet_end = -1;
	ch->utc_offset_min = 9 * 60;
	ch->digest_at = -1;
}

/* "HH:MM" to minutes of the day; -1 if not. */
static int
hhmm(const char *s, size_t n)
{
	if (n != 5 || s[2] != ':' || strspn(s, "0123456789") != 2 || strspn(s + 3, "0123456789") != 2)
		return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	return h < 24 && m < 60 ? h * 60 + m : -1;
}

static int
text_field(char *out, size_t outsz, const char *v)
{
	size_t n = strlen(v);
	if (n >= outsz)
		return MAMORI_E_LIMIT;
	memcpy(out, v, n + 1);
	return MAMORI_OK;
}

int
notify_channel_set(struct store_notify_channel *ch, const char *key, const char *v,
    char *err, size_t errsz)
{
	size_t n = strlen(v);
	int rc = MAMORI_OK;
	if (strcmp(key, "name") == 0) {
		if (n == 0 || n > STORE_NOTIFY_NAME_MAX || strspn(v,
		    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != n) {
			snprintf(err, errsz, "a channel name is 1 to %d letters, digits, '.', '_' or '-'",
			    STORE_NOTIFY_NAME_MAX);
			return MAMORI_E_INVAL;
		}
		return text_field(ch->name, sizeof(ch->name), v);
	}
	if (strcmp(key, "kind") == 0) {
		const char *kinds[] = { "smtp", "slack", "teams", "line", "chatwork", "webhook" };
		for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
			if (strcmp(v, kinds[i]) == 0)
				return text_field(ch->kind, sizeof(ch->kind), v);
		snprintf(err, errsz, "the kind is smtp, slack, teams, line, chatwork or webhook");
		return MAMORI_E_INVAL;
	}
	struct { const char *key; char *field; } texts[] = {
		{ "target", ch->target }, { "server", ch->server }, { "from", ch->sender },
		{ "user", ch->username }, { "secret", ch->secret },
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		if (strcmp(key, texts[i].key) != 0)
			continue;
		if ((rc = text_field(texts[i].field, STORE_NOTIFY_FIELD_MAX + 1, v)) != MAMORI_OK)
			snprintf(err, errsz, "%s is at most %d bytes", key, STORE_NOTIFY_FIELD_MAX);
		return rc;
	}
	if (strcmp(key, "lang") == 0) {
		if (strcmp(v, "ja") != 0 && strcmp(v, "en") != 0) {
			snprintf(err, errsz, "the language is ja or en");
			return MAMORI_E_INVAL;
		}
		return text_field(ch->lang, sizeof(ch->lang), v);
	}
	if (strcmp(key, "min_severity") == 0) {
		for (int i = 0; i < 5; i++)
			if (strcmp(v, severities[i]) == 0) {
				ch->min_severity = i;
				return MAMORI_OK;
			}
		snprintf(err, errsz, "the minimum severity is info, low, medium, high or critical");
		return MAMORI_E_INVAL;
	}
	if (strcmp(key, "quiet") == 0) {
		const char *dash = strchr(v, '-');
		int s = dash ? hhmm(v, (size_t)(dash - v)) : -1;
		int e = dash ? hhmm(dash + 1, strlen(dash + 1)) : -1;
		if (n == 0) {
			ch->quiet_start = ch->quiet_end = -1;
			return MAMORI_OK;
		}
		if (s < 0 || e < 0 || s == e) {
			snprintf(err, errsz, "quiet hours are HH:MM-HH:MM in local time, such as 22:00-07:00");
			return MAMORI_E_INVAL;
		}
		ch->quiet_start = s;
		ch->quiet_end = e;
		return MAMORI_OK;
	}
	if (strcmp(key, "quiet_critical") == 0) {
		if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0) {
			snprintf(err, errsz, "quiet_critical is yes or no");
			return MAMORI_E_INVAL;
		}
		ch->quiet_critical = strcmp(v, "yes") == 0;
		return MAMORI_OK;
	}
	if (strcmp(key, "digest") == 0) {
		int m = n ? hhmm(v, n) : -1;
		if (n && m < 0) {
			snprintf(err, errsz, "the digest time is HH:MM in local time (empty: send at once)");
			return MAMORI_E_INVAL;
		}
		ch->digest_at = m;
		return MAMORI_OK;
	}
	if (strcmp(key, "utc_offset") == 0) {
		int m = n == 6 && (v[0] == '+' || v[0] == '-') ? hhmm(v + 1, 5) : -1;
		if (m < 0 || m > 14 * 60) {
			snprintf(err, errsz, "the UTC offset is +HH:MM or -HH:MM, such as +09:00");
			return MAMORI_E_INVAL;
		}
		ch->utc_offset_min = v[0] == '-' ? -m : m;
		return MAMORI_OK;
	}
	snprintf(err, errsz, "unknown channel setting '%.60s'", key);
	return MAMORI_E_INVAL;
}

int
notify_channel_check(const struct store_notify_channel *ch, char *err, size_t errsz)
{
	if (!ch->name[0] || !ch->kind[0] || !ch->target[0]) {
		snprintf(err, errsz, "a channel needs a name, a kind and a target");
		return MAMORI_E_INVAL;
	}
	return notify_send_check(ch, err, errsz);
}

static void
minute_text(int m, char *out, size_t outsz)
{
	if (m < 0)
		snprintf(out, outsz, "%s", "");
	else
		snprintf(out, outsz, "%02d:%02d", m / 60, m % 60);
}

json_t *
notify_channel_json(const struct store_notify_channel *ch, const struct store_notify_counts *c)
{
	char qs[16], qe[16], dg[16], quiet[40], off[24];
	minute_text(ch->quiet_start, qs, sizeof(qs));
	minute_text(ch->quiet_end, qe, sizeof(qe));
	minute_text(ch->digest_at, dg, sizeof(dg));
	snprintf(quiet, sizeof(quiet), "%s%s%s", qs, qs[0] ? "-" : "", qe);
	/* Slack and Teams URLs are their secret: only the host is shown. */
	char target[STORE_NOTIFY_FIELD_MAX + 8];
	snprintf(target, sizeof(target), "%s", ch->target);
	if (strcmp(ch->kind, "slack") == 0 || strcmp(ch->kind, "teams") == 0) {
		char *host = strstr(target, "://");
		char *path = host ? strchr(host + 3, '/') : NULL;
		if (path)
			snprintf(path, sizeof(target) - (size_t)(path - target), "/...");
	}
	int a = ch->utc_offset_min < 0 ? -ch->utc_offset_min : ch->utc_offset_min;
	snprintf(off, sizeof(off), "%c%02d:%02d", ch->utc_offset_min < 0 ? '-' : '+', a / 60, a % 60);
	json_t *v = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:b, s:s, s:s, s:I}",
	    "id", (json_int_t)ch->id, "name", ch->name, "kind", ch->kind, "target", target,
	    "server", ch->server, "from", ch->sender, "user", ch->username,
	    "has_secret", ch->secret[0] != '\0', "lang", ch->lang,
	    "min_severity", severities[ch->min_severity < 0 || ch->min_severity > 4 ? 0 : ch->min_severity],
	    "quiet_critical", ch->quiet_critical, "quiet", quiet, "digest", dg,
	    "created_at", (json_int_t)ch->created_at);
	if (v)
		json_object_set_new(v, "utc_offset", json_string(off));
	if (v && c)
		json_object_set_new(v, "deliveries", json_pack("{s:I, s:I, s:I, s:I}",
		    "pending", (json_int_t)c->pending, "sent", (json_int_t)c->sent,
		    "skipped", (json_int_t)c->skipped, "failed", (json_int_t)c->failed));
	return v;
}

struct list_ctx {
	struct db *db;
	json_t *arr;
};

static int
list_one(void *ctx, const struct store_notify_channel *ch)
{
	struct list_ctx *l = ctx;
	struct store_notify_counts n;
	int rc = store_notify_counts(l->db, ch->id, &n);
	if (rc != MAMORI_OK)
		return rc;
	json_t *v = notify_channel_json(ch, &n);
	return v && json_array_append_new(l->arr, v) == 0 ? 0 : MAMORI_E_NOMEM;
}

int
notify_channel_list_json(struct db *db, int64_t tenant_id, json_t **out)
{
	struct list_ctx l = { .db = db, .arr = json_array() };
	int rc = l.arr ? store_notify_channel_list(db, tenant_id, list_one, &l) : MAMORI_E_NOMEM;
	if (rc != MAMORI_OK) {
		json_decref(l.arr);
		l.arr = NULL;
	}
	*out = l.arr;
	return rc;
}
