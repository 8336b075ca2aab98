#include "manager/notify_msg.h"

#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/err.h"

#define FIELD_MAX 1024		/* one what / why / action / host, cleaned */

static const struct i18n_text severity_word[] = {
	{ "info", "情報" }, { "low", "低" }, { "medium", "中" }, { "high", "高" },
	{ "critical", "緊急" },
};

static const char *
sev_word(enum lang l, int s)
{
	return i18n_pick(l, severity_word[s < 0 || s > 4 ? 0 : s]);
}

void
notify_msg_clean(const char *in, char *out, size_t outsz)
{
	/* Markup characters become their full-width forms: Slack, Teams and
	 * Chatwork read < > [ ] & as links, mentions and tags. */
	static const struct { char c; const char *wide; } wide[] = {
		{ '<', "＜" }, { '>', "＞" }, { '[', "［" }, { ']', "］" }, { '&', "＆" },
	};
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)(in ? in : ""); *p; p++) {
		const char *rep = NULL;
		char one[2] = { (char)*p, '\0' };
		for (size_t i = 0; i < sizeof(wide) / sizeof(wide[0]); i++)
			if ((char)*p == wide[i].c)
				rep = wide[i].wide;
		if (!rep)
			rep = *p < 0x20 || *p == 0x7f ? " " : one;
		size_t k = strlen(rep);
		if (n + k >= outsz)
			break;
		memcpy(out + n, rep, k);
		n += k;
	}
	/* Never end inside a UTF-8 sequence. */
	size_t end = n;
	while (end > 0 && ((unsigned char)out[end - 1] & 0xc0) == 0x80)
		end--;
	if (end > 0 && ((unsigned char)out[end - 1] & 0x80)) {
		unsigned char lead = (unsigned char)out[end - 1];
		size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
		n = n - (end - 1) == need ? n : end - 1;
	}
	if (outsz)
		out[n < outsz ? n : outsz - 1] = '\0';
}

/* Appends to the text; past the cap the text is cut (on a UTF-8 boundary). */
__attribute__((format(printf, 2, 3)))
static void
put(struct notify_msg *m, const char *fmt, ...)
{
	size_t room = sizeof(m->text) - m->len;
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(m->text + m->len, room, fmt, ap);
	va_end(ap);
	if (k < 0)
		return;
	if ((size_t)k < room) {
		m->len += (size_t)k;
		return;
	}
	size_t n = sizeof(m->text) - 1;
	while (n > 0 && ((unsigned char)m->text[n] & 0xc0) == 0x80)
		n--;
	m->text[n] = '\0';
	m->len = n;
}

int
notify_msg_init(struct notify_msg *m, const struct store_notify_channel *ch,
    const char *public_url, bool digest)
{
	memset(m, 0, sizeof(*m));
	m->lang = strcmp(ch->lang, "en") == 0 ? LANG_EN : LANG_JA;
	m->digest = digest;
	m->utc_offset_min = ch->utc_offset_min;
	notify_msg_clean(public_url, m->base, sizeof(m->base));
	size_t n = strlen(m->base);
	while (n > 0 && m->base[n - 1] == '/')
		m->base[--n] = '\0';
	snprintf(m->link, sizeof(m->link), "%s/#/alerts", m->base);
	m->alerts = json_array();
	return m->alerts ? MAMORI_OK : MAMORI_E_NOMEM;
}

void
notify_msg_release(struct notify_msg *m)
{
	json_decref(m->alerts);
	m->alerts = NULL;
}

static void
local_time(int64_t ms, int off_min, char *out, size_t outsz)
{
	time_t t = (time_t)(ms / 1000 + (int64_t)off_min * 60);
	struct tm tm;
	if (!gmtime_r(&t, &tm) || strftime(out, outsz, "%Y-%m-%d %H:%M", &tm) == 0)
		snprintf(out, outsz, "?");
}

struct words {
	char what[FIELD_MAX], why[FIELD_MAX], action[FIELD_MAX], host[256];
};

/* The engine's text in the recipient's language; the other language, then
 * the rule, when an imported alert lacks it. */
static void
words_of(const struct store_alert_row *r, enum lang l, json_t *body, struct words *w)
{
	json_t *text = json_object_get(body, "mamori.text");
	json_t *mine = json_object_get(text, i18n_code(l));
	json_t *other = json_object_get(text, l == LANG_JA ? "en" : "ja");
	const char *keys[] = { "what", "why", "action" };
	char *outs[] = { w->what, w->why, w->action };
	for (int i = 0; i < 3; i++) {
		const char *s = json_string_value(json_object_get(mine, keys[i]));
		if (!s || !*s)
			s = json_string_value(json_object_get(other, keys[i]));
		notify_msg_clean(s ? s : "", outs[i], FIELD_MAX);
	}
	if (!w->what[0]) {
		const char *name = json_string_value(json_object_get(body, "rule.name"));
		notify_msg_clean(name && *name ? name : r->rule_id, w->what, FIELD_MAX);
	}
	if (!w->action[0])
		snprintf(w->action, FIELD_MAX, "%s", i18n_pick(l, (struct i18n_text){
		    "Open the alert on the dashboard for the details.",
		    "ダッシュボードで警告の詳細を確認してください。" }));
	notify_msg_clean(r->host_name[0] ? r->host_name : "-", w->host, sizeof(w->host));
}

static int
add_json(struct notify_msg *m, const struct store_alert_row *r, json_t *body,
    const struct words *w, const char *link)
{
	json_t *v = json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:I, s:I, s:s, s:{s:s, s:s, s:s}}",
	    "id", (json_int_t)r->id, "severity", severity_word[r->severity < 0 || r->severity > 4 ?
	    0 : r->severity].en, "host", r->host_name, "rule_id", r->rule_id,
	    "count", (json_int_t)r->count, "state", r->state, "first_ts", (json_int_t)r->first_ts,
	    "last_ts", (json_int_t)r->last_ts, "link", link,
	    "text", "what", w->what, "why", w->why, "action", w->action);
	if (!v)
		return MAMORI_E_NOMEM;
	json_object_set(v, "alert", body ? body : json_null());
	return json_array_append_new(m->alerts, v) == 0 ? MAMORI_OK : MAMORI_E_NOMEM;
}

int
notify_msg_add(struct notify_msg *m, const struct store_alert_row *r)
{
	struct words *w = calloc(1, sizeof(*w));
	json_t *body = json_loads(r->body, 0, NULL);
	char link[640], first[32], last[32];
	enum lang l = m->lang;
	int rc = MAMORI_E_NOMEM;
	if (!w)
		goto out;
	words_of(r, l, body, w);
	snprintf(link, sizeof(link), "%s/#/alerts/%lld", m->base, (long long)r->id);
	m->n++;
	if ((rc = add_json(m, r, body, w, link)) != MAMORI_OK)
		goto out;
	const char *sev = sev_word(l, r->severity);
	if (m->digest) {
		/* Room for the footer: entries stop well before the cap. */
		if (m->listed >= NOTIFY_MSG_DIGEST_LIST || m->len + 4 * FIELD_MAX > sizeof(m->text) - 1024)
			goto out;
		m->listed++;
		put(m, l == LANG_JA ? "%d. 【%s】%s\n   ホスト: %s / 回数: %lld 回\n   今すぐやること: %s\n   %s\n\n" :
		    "%d. [%s] %s\n   Host: %s / seen %lld times\n   What to do now: %s\n   %s\n\n",
		    m->listed, sev, w->what, w->host, (long long)r->count, w->action, link);
		goto out;
	}
	snprintf(m->link, sizeof(m->link), "%s", link);
	snprintf(m->title, sizeof(m->title), "[mamori] %s: %.400s", sev, w->what);
	local_time(r->first_ts, m->utc_offset_min, first, sizeof(first));
	local_time(r->last_ts, m->utc_offset_min, last, sizeof(last));
	int oh = abs(m->utc_offset_min) / 60, om = abs(m->utc_offset_min) % 60;
	char sign = m->utc_offset_min < 0 ? '-' : '+';
	if (l == LANG_JA)
		put(m, "【緊急度: %s】%s\n\nなぜ重要か: %s\n今すぐやること: %s\n\n"
		    "ホスト: %s\n回数: %lld 回（最初 %s、最後 %s、UTC%c%02d:%02d）\n詳細: %s\n",
		    sev, w->what, w->why, w->action, w->host, (long long)r->count, first, last,
		    sign, oh, om, link);
	else
		put(m, "[%s] %s\n\nWhy it matters: %s\nWhat to do now: %s\n\n"
		    "Host: %s\nSeen: %lld times (first %s, last %s, UTC%c%02d:%02d)\nDetails: %s\n",
		    sev, w->what, w->why, w->action, w->host, (long long)r->count, first, last,
		    sign, oh, om, link);
out:
	json_decref(body);
	free(w);
	return rc;
}

int
notify_msg_test(struct notify_msg *m)
{
	m->test = true;
	m->n = 0;
	snprintf(m->title, sizeof(m->title), "%s", i18n_pick(m->lang, (struct i18n_text){
	    "[mamori] test notification", "[mamori] テスト通知" }));
	put(m, "%s\n%s\n", i18n_pick(m->lang, (struct i18n_text){
	    "This is a test message from mamori. If you can read it, this channel works.",
	    "mamori からのテスト通知です。これが届いていれば、この通知先は正しく設定されています。" }),
	    m->link);
	return MAMORI_OK;
}

int
notify_msg_finish(struct notify_msg *m)
{
	if (!m->digest || m->test)
		return MAMORI_OK;
	enum lang l = m->lang;
	snprintf(m->title, sizeof(m->title), l == LANG_JA ? "[mamori] まとめ: 警告 %d 件" :
	    "[mamori] digest: %d alerts", m->n);
	int more = m->n - m->listed;
	if (more > 0)
		put(m, l == LANG_JA ? "ほか %d 件はダッシュボードで確認してください: %s\n" :
		    "%d more on the dashboard: %s\n", more, m->link);
	else
		put(m, l == LANG_JA ? "一覧: %s\n" : "All alerts: %s\n", m->link);
	char head[256];
	int k = snprintf(head, sizeof(head), l == LANG_JA ?
	    "前回のまとめ以降の警告 %d 件をお知らせします。\n\n" :
	    "%d alerts since the last digest.\n\n", m->n);
	if (k < 0 || (size_t)k >= sizeof(head))
		return MAMORI_E_LIMIT;
	size_t hk = (size_t)k;
	size_t keep = m->len + hk < sizeof(m->text) ? m->len : sizeof(m->text) - 1 - hk;
	while (keep > 0 && ((unsigned char)m->text[keep] & 0xc0) == 0x80)
		keep--;
	memmove(m->text + hk, m->text, keep);
	memcpy(m->text, head, hk);
	m->len = hk + keep;
	m->text[m->len] = '\0';
	return MAMORI_OK;
}

/* json_dumps into *out; the value is released. */
static int
dump(json_t *v, char **out, size_t *len)
{
	*out = v ? json_dumps(v, JSON_COMPACT) : NULL;
	json_decref(v);
	if (!*out)
		return MAMORI_E_NOMEM;
	*len = strlen(*out);
	return MAMORI_OK;
}

static int
slack_json(const struct notify_msg *m, char **out, size_t *len)
{
	/* Slack reads & < > as markup in "text" and wants them escaped. */
	size_t cap = m->len * 5 + 1, n = 0;
	char *esc = malloc(cap);
	if (!esc)
		return MAMORI_E_NOMEM;
	for (const char *p = m->text; *p; p++) {
		const char *rep = *p == '&' ? "&amp;" : *p == '<' ? "&lt;" : *p == '>' ? "&gt;" : NULL;
		size_t k = rep ? strlen(rep) : 1;
		memcpy(esc + n, rep ? rep : p, k);
		n += k;
	}
	esc[n] = '\0';
	int rc = dump(json_pack("{s:s}", "text", esc), out, len);
	free(esc);
	return rc;
}

/* A Teams Workflows webhook ("When a Teams webhook request is received",
 * "Post card in a chat or channel") takes an Adaptive Card in a message. */
static int
teams_json(const struct notify_msg *m, char **out, size_t *len)
{
	json_t *body = json_array();
	json_array_append_new(body, json_pack("{s:s, s:s, s:s, s:b}", "type", "TextBlock",
	    "text", m->title, "weight", "Bolder", "wrap", 1));
	char *copy = strdup(m->text);
	if (!copy || !body) {
		free(copy);
		json_decref(body);
		return MAMORI_E_NOMEM;
	}
	/* One block per line: Teams joins the lines of one block. */
	for (char *line = copy, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (*line)
			json_array_append_new(body, json_pack("{s:s, s:s, s:b}", "type", "TextBlock",
			    "text", line, "wrap", 1));
	}
	free(copy);
	json_t *card = json_pack("{s:s, s:s, s:s, s:o, s:[{s:s, s:s, s:s}]}",
	    "$schema", "http://adaptivecards.io/schemas/adaptive-card.json", "type", "AdaptiveCard",
	    "version", "1.4", "body", body, "actions", "type", "Action.OpenUrl",
	    "title", i18n_pick(m->lang, (struct i18n_text){ "Open on the dashboard", "ダッシュボードで開く" }),
	    "url", m->link);
	return dump(json_pack("{s:s, s:[{s:s, s:n, s:o}]}", "type", "message", "attachments",
	    "contentType", "application/vnd.microsoft.card.adaptive", "contentUrl", "content", card),
	    out, len);
}

static int
line_json(const struct notify_msg *m, const struct store_notify_channel *ch, char **out,
    size_t *len)
{
	char text[NOTIFY_MSG_LINE_MAX + 1];
	/* Bytes bound characters from above, so the cut keeps within LINE's limit. */
	size_t n = m->len < NOTIFY_MSG_LINE_MAX ? m->len : NOTIFY_MSG_LINE_MAX;
	while (n > 0 && n < m->len && ((unsigned char)m->text[n] & 0xc0) == 0x80)
		n--;
	memcpy(text, m->text, n);
	text[n] = '\0';
	return dump(json_pack("{s:s, s:[{s:s, s:s}]}", "to", ch->target, "messages",
	    "type", "text", "text", text), out, len);
}

/* Form encoding of a field (what curl_easy_escape does): RFC 3986's
 * unreserved characters stay, every other byte is %XX. */
static char *
form_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out = malloc(n * 3 + 1), *p = out;
	if (!out)
		return NULL;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~') {
			*p++ = (char)c;
		} else {
			*p++ = '%';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 15];
		}
	}
	*p = '\0';
	return out;
}

static int
chatwork_form(const struct notify_msg *m, char **out, size_t *len)
{
	size_t cap = m->len + strlen(m->title) + 64;
	char *msg = malloc(cap);
	if (!msg)
		return MAMORI_E_NOMEM;
	snprintf(msg, cap, "[info][title]%s[/title]%s[/info]", m->title, m->text);
	char *enc = form_escape(msg);
	free(msg);
	if (!enc)
		return MAMORI_E_NOMEM;
	size_t k = strlen(enc) + 6;
	*out = malloc(k);
	if (*out)
		snprintf(*out, k, "body=%s", enc);
	free(enc);
	if (!*out)
		return MAMORI_E_NOMEM;
	*len = strlen(*out);
	return MAMORI_OK;
}

static int
webhook_json(const struct notify_msg *m, char **out, size_t *len)
{
	return dump(json_pack("{s:s, s:s, s:b, s:b, s:s, s:s, s:s, s:O}", "source", "mamori",
	    "lang", i18n_code(m->lang), "digest", m->digest, "test", m->test, "title", m->title,
	    "text", m->text, "link", m->link, "alerts", m->alerts), out, len);
}

/* RFC 2047 encoded words of at most 45 bytes (60 in base64), cut on
 * UTF-8 boundaries, folded onto continuation lines. */
static int
mail_subject(const char *s, char *out, size_t outsz)
{
	size_t n = strlen(s), at = 0, o = 0;
	while (at < n) {
		size_t k = n - at > 45 ? 45 : n - at;
		while (k > 0 && at + k < n && ((unsigned char)s[at + k] & 0xc0) == 0x80)
			k--;
		if (k == 0)
			return MAMORI_E_PARSE;
		char b64[128];
		sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)s + at, k,
		    sodium_base64_VARIANT_ORIGINAL);
		int w = snprintf(out + o, outsz - o, "%s=?UTF-8?B?%s?=", at ? "\r\n " : "", b64);
		if (w < 0 || (size_t)w >= outsz - o)
			return MAMORI_E_LIMIT;
		o += (size_t)w;
		at += k;
	}
	return MAMORI_OK;
}

static bool
address_ok(const char *a)
{
	return *a && strchr(a, '@') && strcspn(a, " \t\r\n<>,;\"()") == strlen(a);
}

static int
mail_message(const struct notify_msg *m, const struct store_notify_channel *ch, int64_t now_ms,
    char **out, size_t *len)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
		"Aug", "Sep", "Oct", "Nov", "Dec" };
	char subject[2048], date[64];
	if (!address_ok(ch->sender) || !address_ok(ch->target))
		return MAMORI_E_INVAL;
	int rc = mail_subject(m->title, subject, sizeof(subject));
	if (rc != MAMORI_OK)
		return rc;
	time_t t = (time_t)(now_ms / 1000);
	struct tm tm;
	if (!gmtime_r(&t, &tm))
		return MAMORI_E_INVAL;
	/* Day and month names by hand: strftime would follow the locale. */
	snprintf(date, sizeof(date), "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday],
	    tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	size_t b64len = sodium_base64_ENCODED_LEN(m->len, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = malloc(b64len);
	size_t cap = b64len + b64len / 76 * 2 + 8 * 1024 + sizeof(subject);
	char *msg = malloc(cap);
	if (!b64 || !msg) {
		free(b64);
		free(msg);
		return MAMORI_E_NOMEM;
	}
	sodium_bin2base64(b64, b64len, (const unsigned char *)m->text, m->len,
	    sodium_base64_VARIANT_ORIGINAL);
	const char *domain = strchr(ch->sender, '@') + 1;
	int k = snprintf(msg, cap, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\n"
	    "Message-ID: <mamori.%lld.%lld@%s>\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n"
	    "Auto-Submitted: auto-generated\r\n\r\n",
	    ch->sender, ch->target, subject, date, (long long)ch->id, (long long)now_ms, domain);
	if (k < 0 || (size_t)k >= cap - b64len - b64len / 76 * 2 - 4) {
		free(b64);
		free(msg);
		return MAMORI_E_LIMIT;
	}
	size_t o = (size_t)k;
	size_t bl = strlen(b64);
	for (size_t i = 0; i < bl; i += 76) {
		size_t w = bl - i > 76 ? 76 : bl - i;
		memcpy(msg + o, b64 + i, w);
		o += w;
		msg[o++] = '\r';
		msg[o++] = '\n';
	}
	msg[o] = '\0';
	free(b64);
	*out = msg;
	*len = o;
	return MAMORI_OK;
}

int
notify_msg_payload(const struct notify_msg *m, const struct store_notify_channel *ch,
    int64_t now_ms, char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	if (strcmp(ch->kind, "slack") == 0)
		return slack_json(m, out, len);
	if (strcmp(ch->kind, "teams") == 0)
		return teams_json(m, out, len);
	if (strcmp(ch->kind, "line") == 0)
		return line_json(m, ch, out, len);
	if (strcmp(ch->kind, "chatwork") == 0)
		return chatwork_form(m, out, len);
	if (strcmp(ch->kind, "webhook") == 0)
		return webhook_json(m, out, len);
	if (strcmp(ch->kind, "smtp") == 0)
		return mail_message(m, ch, now_ms, out, len);
	return MAMORI_E_INVAL;
}
