/* fuzz_notify_msg.c - a stored alert body (imported JSON, so anyone who can
 * import shapes it) and its host name turned into every channel's message:
 * text, digest, payloads, mail with encoded subject. Every payload must be
 * built or refused cleanly, and JSON payloads must parse back. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "manager/notify_channel.h"
#include "manager/notify_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
one(const struct store_notify_channel *base, const struct store_alert_row *r, bool digest)
{
	static const char *const kinds[] = { "slack", "teams", "line", "chatwork", "webhook", "smtp" };
	struct store_notify_channel *ch = malloc(sizeof(*ch));
	struct notify_msg *m = malloc(sizeof(*m));
	if (!ch || !m)
		abort();
	*ch = *base;
	if (notify_msg_init(m, ch, "https://m.example:8443/", digest) != MAMORI_OK)
		abort();
	notify_msg_add(m, r);
	if (digest)
		notify_msg_add(m, r);
	notify_msg_finish(m);
	if (m->len >= sizeof(m->text) || strlen(m->text) != m->len)
		__builtin_trap();
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		char *p = NULL;
		size_t n = 0;
		snprintf(ch->kind, sizeof(ch->kind), "%s", kinds[i]);
		if (notify_msg_payload(m, ch, 1796601600000LL, &p, &n) == MAMORI_OK && i != 3 && i != 5) {
			json_t *v = json_loadb(p, n, 0, NULL);
			if (!v)
				__builtin_trap();
			json_decref(v);
		}
		free(p);
	}
	notify_msg_release(m);
	free(m);
	free(ch);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The first line is the host name, the rest the body. */
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	char *nl = strchr(buf, '\n');
	const char *host = nl ? buf : "";
	const char *body = nl ? nl + 1 : buf;
	if (nl)
		*nl = '\0';
	struct store_alert_row r = { .id = 7, .host_name = host, .source = "logs", .rule_id = "r",
		.severity = (int)(size % 7) - 1, .first_ts = 1796601600000LL, .last_ts = 1796601600000LL,
		.count = 3, .source_ip = "", .user_name = "", .message = "", .state = "new", .body = body };
	struct store_notify_channel *ch = malloc(sizeof(*ch));
	if (!ch)
		abort();
	notify_channel_defaults(ch);
	snprintf(ch->target, sizeof(ch->target), "owner@example.jp");
	snprintf(ch->sender, sizeof(ch->sender), "mamori@example.jp");
	one(ch, &r, false);
	snprintf(ch->lang, sizeof(ch->lang), "en");
	ch->utc_offset_min = -14 * 60;
	one(ch, &r, true);
	free(ch);
	free(buf);
	return 0;
}
