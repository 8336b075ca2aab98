/* t_notify.c - notification routing (severity, quiet hours in local time,
 * critical passing, the daily digest's slot, backoff), message text in
 * both languages with the link, digests with a cap, cleaning of outside
 * text, and each channel's payload shape (JSON, form, RFC 5322 mail with
 * encoded subject), the HMAC signature (RFC 4231 vector) and channel
 * settings from text. */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "manager/notify_channel.h"
#include "manager/notify_msg.h"
#include "manager/notify_route.h"
#include "manager/notify_send.h"
#include "tests/tap.h"

/* 2026-12-07 00:00:00 UTC = 09:00 in Japan. */
#define DAY0 1796601600000LL
#define H(h) ((int64_t)(h) * 3600 * 1000)
#define MIN(m) ((int64_t)(m) * 60 * 1000)

static const char body_ja_en[] =
    "{\"event.kind\":\"alert\",\"severity\":\"high\",\"rule.id\":\"mamori.bruteforce.ssh\","
    "\"mamori.text\":{\"en\":{\"what\":\"Password guessing on SSH\",\"why\":\"Someone tries passwords.\","
    "\"action\":\"Block the address.\"},\"ja\":{\"what\":\"SSH へのパスワード総当たり\","
    "\"why\":\"誰かがパスワードを試しています。\",\"action\":\"送信元を遮断してください。\"}}}";

static struct store_alert_row
row(int64_t id, int sev, const char *host, const char *body)
{
	return (struct store_alert_row){ .id = id, .host_name = host, .source = "logs",
		.rule_id = "mamori.bruteforce.ssh", .severity = sev, .first_ts = DAY0,
		.last_ts = DAY0 + MIN(5), .count = 7, .source_ip = "", .user_name = "",
		.message = "m", .state = "new", .body = body };
}

static void
test_route(void)
{
	struct store_notify_channel ch;
	notify_channel_defaults(&ch);
	ch.created_at = DAY0 - H(1);
	is_int(notify_route_local_minute(DAY0, 540), 9 * 60, "00:00 UTC is 09:00 in Japan");
	is_int(notify_route_local_minute(DAY0 - MIN(1), 0), 1439, "a minute before midnight");
	is_int(notify_route_local_minute(DAY0, -300), 19 * 60, "UTC-05:00");
	is_int(notify_route_alert(&ch, 2, DAY0), NOTIFY_ROUTE_DROP, "medium is below high: dropped");
	is_int(notify_route_alert(&ch, 3, DAY0), NOTIFY_ROUTE_SEND, "high: sent at once");

	ch.quiet_start = 22 * 60;
	ch.quiet_end = 7 * 60;	/* wraps midnight, local time */
	int64_t jst_2330 = DAY0 + H(14) + MIN(30), jst_0659 = DAY0 + H(22) - MIN(1);
	int64_t jst_0700 = DAY0 + H(22), jst_2159 = DAY0 + H(13) - MIN(1);
	ok(notify_route_quiet(&ch, jst_2330), "23:30 is quiet");
	ok(notify_route_quiet(&ch, jst_0659), "06:59 is quiet");
	ok(!notify_route_quiet(&ch, jst_0700), "07:00 is not");
	ok(!notify_route_quiet(&ch, jst_2159), "21:59 is not");
	is_int(notify_route_alert(&ch, 3, jst_2330), NOTIFY_ROUTE_HOLD, "high waits in quiet hours");
	is_int(notify_route_alert(&ch, 4, jst_2330), NOTIFY_ROUTE_SEND, "critical passes quiet hours");
	ch.quiet_critical = true;
	is_int(notify_route_alert(&ch, 4, jst_2330), NOTIFY_ROUTE_HOLD, "unless the channel holds critical too");
	ch.quiet_critical = false;
	ch.quiet_start = 12 * 60;
	ch.quiet_end = 13 * 60;	/* lunch, no wrap */
	ok(notify_route_quiet(&ch, DAY0 + H(3) + MIN(30)) && !notify_route_quiet(&ch, DAY0 + H(4)),
	    "12:00-13:00 is quiet at 12:30, not at 13:00");

	notify_channel_defaults(&ch);
	ch.created_at = DAY0;	/* 09:00 JST */
	ch.digest_at = 18 * 60;
	is_int(notify_route_alert(&ch, 3, DAY0), NOTIFY_ROUTE_DIGEST, "high goes to the digest");
	is_int(notify_route_alert(&ch, 4, DAY0), NOTIFY_ROUTE_SEND, "critical does not wait for it");
	is_int(notify_route_digest_slot(&ch, DAY0 + H(9) + MIN(1)), DAY0 + H(9), "18:01 JST: today's 18:00");
	is_int(notify_route_digest_slot(&ch, DAY0 + H(8)), DAY0 + H(9) - H(24), "17:00 JST: yesterday's");
	ok(!notify_route_digest_due(&ch, DAY0 + H(8)), "not due before the first 18:00 after creation");
	ok(notify_route_digest_due(&ch, DAY0 + H(9)), "due at 18:00");
	ch.last_digest = DAY0 + H(9) + MIN(1);
	ok(!notify_route_digest_due(&ch, DAY0 + H(20)), "not twice on one day");
	ok(notify_route_digest_due(&ch, DAY0 + H(33)), "due the next day");
	is_int(notify_route_backoff_ms(1), MIN(1), "first retry after a minute");
	is_int(notify_route_backoff_ms(3), MIN(4), "doubling");
	is_int(notify_route_backoff_ms(20), MIN(60), "at most an hour");
}

static void
test_text(void)
{
	struct store_notify_channel ch;
	struct notify_msg *m = malloc(sizeof(*m));
	notify_channel_defaults(&ch);
	struct store_alert_row r = row(42, 3, "web<1>\n", body_ja_en);

	notify_msg_init(m, &ch, "https://mamori.example.jp:8443/", false);
	is_int(notify_msg_add(m, &r), MAMORI_OK, "add one alert");
	notify_msg_finish(m);
	ok(strstr(m->text, "【緊急度: 高】SSH へのパスワード総当たり") != NULL, "Japanese headline with severity");
	ok(strstr(m->text, "今すぐやること: 送信元を遮断してください。") != NULL, "what to do now, in Japanese");
	ok(strstr(m->text, "https://mamori.example.jp:8443/#/alerts/42") != NULL, "the link, without a double slash");
	ok(strstr(m->text, "回数: 7 回") != NULL, "the count");
	ok(strstr(m->text, "最初 2026-12-07 09:00") != NULL, "times in the recipient's local time");
	ok(strstr(m->text, "ホスト: web＜1＞ \n") != NULL, "a host name cannot carry markup or a line break");
	is_str(m->title, "[mamori] 高: SSH へのパスワード総当たり", "title");
	notify_msg_release(m);

	snprintf(ch.lang, sizeof(ch.lang), "en");
	notify_msg_init(m, &ch, "https://m.example", false);
	notify_msg_add(m, &r);
	ok(strstr(m->text, "What to do now: Block the address.") && strstr(m->text, "Seen: 7 times"),
	    "English text");
	notify_msg_release(m);

	/* An imported alert without mamori.text still says something useful. */
	struct store_alert_row bare = row(5, 1, "", "{\"rule.name\":\"Odd login\"}");
	notify_msg_init(m, &ch, "https://m.example", false);
	notify_msg_add(m, &bare);
	ok(strstr(m->text, "[low] Odd login") && strstr(m->text, "Open the alert on the dashboard"),
	    "fallback to the rule name and a generic action");
	notify_msg_release(m);

	char out[32];
	notify_msg_clean("a[To:1]&b\x1b", out, sizeof(out));
	is_str(out, "a［To:1］＆b ", "brackets, ampersand and control characters");
	notify_msg_clean("ああああ", out, 8);
	is_str(out, "ああ", "a cut never splits a character");
	free(m);
}

static void
test_digest(void)
{
	struct store_notify_channel ch;
	struct notify_msg *m = malloc(sizeof(*m));
	notify_channel_defaults(&ch);
	notify_msg_init(m, &ch, "https://m.example", true);
	for (int i = 1; i <= 3; i++) {
		struct store_alert_row r = row(i, 3, "pc", body_ja_en);
		notify_msg_add(m, &r);
	}
	notify_msg_finish(m);
	is_str(m->title, "[mamori] まとめ: 警告 3 件", "digest title counts the alerts");
	ok(strncmp(m->text, "前回のまとめ以降の警告 3 件", strlen("前回のまとめ以降の警告 3 件")) == 0,
	    "digest header first");
	ok(strstr(m->text, "3. 【高】") && strstr(m->text, "#/alerts/3\n"), "one entry per alert with its link");
	is_int(json_array_size(m->alerts), 3, "three alerts for the webhook");
	notify_msg_release(m);

	notify_msg_init(m, &ch, "https://m.example", true);
	for (int i = 1; i <= 80; i++) {
		struct store_alert_row r = row(i, 3, "pc", body_ja_en);
		notify_msg_add(m, &r);
	}
	notify_msg_finish(m);
	is_int(m->listed, NOTIFY_MSG_DIGEST_LIST, "a long digest lists at most the cap");
	ok(strstr(m->text, "ほか 30 件") != NULL, "and counts the rest");
	ok(m->len < NOTIFY_MSG_TEXT_MAX, "within the text cap");
	notify_msg_release(m);
	free(m);
}

static json_t *
payload_json(struct notify_msg *m, struct store_notify_channel *ch, const char *kind)
{
	char *p = NULL;
	size_t n = 0;
	snprintf(ch->kind, sizeof(ch->kind), "%s", kind);
	if (notify_msg_payload(m, ch, DAY0, &p, &n) != MAMORI_OK)
		return NULL;
	json_t *v = json_loadb(p, n, 0, NULL);
	free(p);
	return v;
}

static void
test_payloads(void)
{
	struct store_notify_channel ch;
	struct notify_msg *m = malloc(sizeof(*m));
	notify_channel_defaults(&ch);
	snprintf(ch.target, sizeof(ch.target), "U1");
	snprintf(ch.sender, sizeof(ch.sender), "mamori@example.jp");
	struct store_alert_row r = row(9, 4, "nas", body_ja_en);
	notify_msg_init(m, &ch, "https://m.example", false);
	notify_msg_add(m, &r);
	notify_msg_finish(m);

	json_t *v = payload_json(m, &ch, "slack");
	ok(v && strstr(json_string_value(json_object_get(v, "text")), "【緊急度: 緊急】"), "Slack: text");
	json_decref(v);
	v = payload_json(m, &ch, "teams");
	json_t *att = json_array_get(json_object_get(v, "attachments"), 0);
	is_str(json_string_value(json_object_get(att, "contentType")),
	    "application/vnd.microsoft.card.adaptive", "Teams: an Adaptive Card attachment");
	json_t *card = json_object_get(att, "content");
	is_str(json_string_value(json_object_get(card, "type")), "AdaptiveCard", "Teams: card type");
	is_str(json_string_value(json_object_get(json_array_get(json_object_get(card, "actions"), 0), "url")),
	    "https://m.example/#/alerts/9", "Teams: a button to the alert");
	json_decref(v);
	v = payload_json(m, &ch, "line");
	is_str(json_string_value(json_object_get(v, "to")), "U1", "LINE: to");
	is_str(json_string_value(json_object_get(json_array_get(json_object_get(v, "messages"), 0), "type")),
	    "text", "LINE: a text message");
	json_decref(v);
	v = payload_json(m, &ch, "webhook");
	json_t *a = json_array_get(json_object_get(v, "alerts"), 0);
	ok(json_integer_value(json_object_get(a, "id")) == 9 &&
	    strcmp(json_string_value(json_object_get(a, "severity")), "critical") == 0 &&
	    json_is_object(json_object_get(a, "alert")), "webhook: the alert with its stored JSON");
	json_decref(v);

	char *p = NULL;
	size_t n = 0;
	snprintf(ch.kind, sizeof(ch.kind), "chatwork");
	notify_msg_payload(m, &ch, DAY0, &p, &n);
	ok(p && strncmp(p, "body=%5Binfo%5D%5Btitle%5D", 26) == 0 && !strchr(p, ' '), "Chatwork: an encoded form");
	free(p);
	snprintf(ch.kind, sizeof(ch.kind), "smtp");
	snprintf(ch.target, sizeof(ch.target), "owner@example.jp");
	is_int(notify_msg_payload(m, &ch, DAY0, &p, &n), MAMORI_OK, "mail message");
	ok(p && strstr(p, "Subject: =?UTF-8?B?") && strstr(p, "\r\n =?UTF-8?B?"),
	    "mail: a long subject in several encoded words");
	ok(p && strstr(p, "Date: Mon, 07 Dec 2026 00:00:00 +0000\r\n"), "mail: the date");
	ok(p && strstr(p, "Content-Transfer-Encoding: base64\r\n") && strstr(p, "\r\n\r\n"), "mail: base64 body");
	bool short_lines = true;
	for (char *l = p ? strstr(p, "\r\n\r\n") + 4 : NULL; l && *l; l = strstr(l, "\r\n") + 2)
		short_lines &= strstr(l, "\r\n") - l <= 76;
	ok(p && short_lines, "mail: body lines of at most 76 characters");
	free(p);
	snprintf(ch.target, sizeof(ch.target), "owner@example.jp\r\nBcc: x@y");
	is_int(notify_msg_payload(m, &ch, DAY0, &p, &n), MAMORI_E_INVAL, "mail: no header injection");
	notify_msg_release(m);
	free(m);
}

static void
test_send_helpers(void)
{
	char sig[72], key[37], key2[37], err[256];
	const char *data = "what do ya want for nothing?";
	notify_send_signature("Jefe", data, strlen(data), sig);
	is_str(sig, "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	    "HMAC-SHA256 (RFC 4231 test case 2)");
	notify_send_retry_key("a", key);
	notify_send_retry_key("a", key2);
	ok(strcmp(key, key2) == 0 && strlen(key) == 36 && key[14] == '4', "retry key: stable UUID v4 layout");

	struct store_notify_channel ch;
	notify_channel_defaults(&ch);
	ok(notify_channel_set(&ch, "kind", "webhook", err, sizeof(err)) == MAMORI_OK &&
	    notify_channel_set(&ch, "name", "ops", err, sizeof(err)) == MAMORI_OK, "set kind and name");
	notify_channel_set(&ch, "target", "https://hooks.example.jp/x", err, sizeof(err));
	is_int(notify_channel_check(&ch, err, sizeof(err)), MAMORI_OK, "https is fine");
	notify_channel_set(&ch, "target", "http://hooks.example.jp/x", err, sizeof(err));
	is_int(notify_channel_check(&ch, err, sizeof(err)), MAMORI_E_INVAL, "http elsewhere is not");
	notify_channel_set(&ch, "target", "http://127.0.0.1:9/x", err, sizeof(err));
	is_int(notify_channel_check(&ch, err, sizeof(err)), MAMORI_OK, "http to loopback is");
	notify_channel_set(&ch, "target", "file:///etc/passwd", err, sizeof(err));
	is_int(notify_channel_check(&ch, err, sizeof(err)), MAMORI_E_INVAL, "file:// is not");
	notify_channel_set(&ch, "kind", "smtp", err, sizeof(err));
	notify_channel_set(&ch, "target", "owner@example.jp", err, sizeof(err));
	notify_channel_set(&ch, "from", "m@example.jp", err, sizeof(err));
	notify_channel_set(&ch, "server", "http://mail.example.jp", err, sizeof(err));
	is_int(notify_channel_check(&ch, err, sizeof(err)), MAMORI_E_INVAL, "mail needs smtp:// or smtps://");
	notify_channel_set(&ch, "server", "smtp://mail.example.jp:587", err, sizeof(err));
	is_int(notify_channel_check(&ch, err, sizeof(err)), MAMORI_OK, "smtp:// (STARTTLS)");
	is_int(notify_channel_set(&ch, "quiet", "22:00-07:00", err, sizeof(err)), MAMORI_OK, "quiet hours");
	ok(ch.quiet_start == 1320 && ch.quiet_end == 420, "in minutes");
	is_int(notify_channel_set(&ch, "quiet", "25:00-07:00", err, sizeof(err)), MAMORI_E_INVAL, "hour 25");
	is_int(notify_channel_set(&ch, "utc_offset", "-05:30", err, sizeof(err)), MAMORI_OK, "offset");
	is_int(ch.utc_offset_min, -330, "negative offset in minutes");
	is_int(notify_channel_set(&ch, "min_severity", "urgent", err, sizeof(err)), MAMORI_E_INVAL,
	    "unknown severity");
	is_int(notify_channel_set(&ch, "name", "a b", err, sizeof(err)), MAMORI_E_INVAL, "no spaces in names");
}

int
main(void)
{
	if (sodium_init() < 0)
		return 1;
	test_route();
	test_text();
	test_digest();
	test_payloads();
	test_send_helpers();
	return done_testing();
}
