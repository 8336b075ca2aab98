#include "detection/alert.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/err.h"

const char *
alert_severity_name(enum alert_severity s)
{
	static const char *const names[] = { "info", "low", "medium", "high", "critical" };
	return (unsigned)s <= ALERT_CRITICAL ? names[s] : "info";
}

const char *
alert_ir_step_name(enum alert_ir_step s)
{
	static const char *const names[] = { "detect", "report", "recover" };
	return (unsigned)s <= IR_RECOVER ? names[s] : "detect";
}

/* Strings from logs and packets may be invalid UTF-8: keep them readable
 * with the bad bytes replaced rather than dropping the field. */
static json_t *
text(const char *s)
{
	if (!s)
		return json_null();
	json_t *j = json_string(s);
	if (j)
		return j;
	size_t n = strlen(s);
	char *c = malloc(n + 1);
	if (!c)
		return json_null();
	for (size_t i = 0; i <= n; i++)
		c[i] = ((unsigned char)s[i] & 0x80) ? '?' : s[i];
	j = json_string(c);
	free(c);
	return j ? j : json_null();
}

static void
iso8601(int64_t ts_ms, char *buf, size_t n)
{
	time_t t = (time_t)(ts_ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	size_t k = strftime(buf, n, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + k, n - k, ".%03dZ", (int)(ts_ms % 1000 + 1000) % 1000);
}

static json_t *
lang_text(const struct alert_rule *r, enum lang l)
{
	return json_pack("{s:s, s:s, s:s}", "what", i18n_pick(l, r->what),
	    "why", i18n_pick(l, r->why), "action", i18n_pick(l, r->action));
}

json_t *
alert_to_json(const struct alert *a)
{
	char ts[40];
	json_t *o = json_object();
	if (!o)
		return NULL;
	iso8601(a->ts_ms, ts, sizeof(ts));
	json_object_set_new(o, "@timestamp", json_string(ts));
	json_object_set_new(o, "event.kind", json_string("alert"));
	json_object_set_new(o, "event.severity", json_integer((int)a->severity + 1));
	json_object_set_new(o, "severity", json_string(alert_severity_name(a->severity)));
	json_object_set_new(o, "rule.id", json_string(a->rule->id));
	json_object_set_new(o, "rule.name", json_string(a->rule->name));
	if (a->source_ip)
		json_object_set_new(o, "source.ip", text(a->source_ip));
	if (a->user_name)
		json_object_set_new(o, "user.name", text(a->user_name));
	if (a->host_name)
		json_object_set_new(o, "host.name", text(a->host_name));
	json_object_set_new(o, "message", text(a->message ? a->message : a->rule->what.en));
	json_object_set_new(o, "mamori.ir_step", json_string(alert_ir_step_name(a->rule->ir_step)));
	json_object_set_new(o, "mamori.text", json_pack("{s:o, s:o}",
	    "en", lang_text(a->rule, LANG_EN), "ja", lang_text(a->rule, LANG_JA)));
	if (a->extra)
		json_object_update(o, a->extra);
	return o;
}

int
alert_write_ndjson(const struct alert *a, FILE *out)
{
	json_t *o = alert_to_json(a);
	if (!o)
		return MAMORI_E_NOMEM;
	int rc = json_dumpf(o, out, JSON_COMPACT) == 0 && fputc('\n', out) != EOF ?
	    MAMORI_OK : MAMORI_E_IO;
	json_decref(o);
	return rc;
}

void
alert_print_text(const struct alert *a, enum lang lang, FILE *out)
{
	static const struct i18n_text sev[] = {
		{ "info", "情報" }, { "low", "低" }, { "medium", "中" },
		{ "high", "高" }, { "critical", "緊急" },
	};
	char ts[40];
	iso8601(a->ts_ms, ts, sizeof(ts));
	fprintf(out, "[%s] %s  %s (%s)\n", i18n_pick(lang, sev[a->severity]),
	    i18n_pick(lang, a->rule->what), ts, a->rule->id);
	if (a->message) {
		fputs("  ", out);
		for (const unsigned char *p = (const unsigned char *)a->message; *p; p++)
			fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, out);
		fputc('\n', out);
	}
	fprintf(out, "  %s %s\n", lang == LANG_JA ? "なぜ問題か:" : "Why:",
	    i18n_pick(lang, a->rule->why));
	fprintf(out, "  %s %s\n", lang == LANG_JA ? "今すぐやること:" : "Do now:",
	    i18n_pick(lang, a->rule->action));
}
