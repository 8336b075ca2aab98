/*
 * notify_msg.h - the text of a notification and its shape on each channel.
 *
 * A message is plain text in the recipient's language: what happened, why
 * it matters and what to do now (the ja/en text the engine wrote into the
 * alert), the host, how often it was seen and a link to the alert on the
 * dashboard (PUBLIC_URL/#/alerts/ID). A digest lists many alerts, one
 * short entry each, in one message. Fields that came from outside (host
 * names, rule text of an imported alert) lose control characters and
 * markup brackets so they cannot forge lines, mentions or links.
 * Pure: no I/O, the time is an argument.
 */
#ifndef MAMORI_MANAGER_NOTIFY_MSG_H
#define MAMORI_MANAGER_NOTIFY_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/i18n.h"
#include "storage/store_alert.h"
#include "storage/store_notify.h"

#define NOTIFY_MSG_TEXT_MAX (16 * 1024)
#define NOTIFY_MSG_DIGEST_LIST 50	/* entries listed; the rest are counted */
#define NOTIFY_MSG_LINE_MAX 5000	/* LINE's limit for one text message */

struct json_t;

struct notify_msg {
	enum lang lang;
	bool digest;
	int utc_offset_min;
	char base[512];		/* public URL without a trailing slash */
	int n, listed;
	bool test;
	char title[512];
	char link[640];		/* the one alert's link, or the alert list's */
	char text[NOTIFY_MSG_TEXT_MAX];
	size_t len;
	struct json_t *alerts;	/* for the generic webhook */
};

/* digest: many alerts in one message. */
int notify_msg_init(struct notify_msg *m, const struct store_notify_channel *ch,
    const char *public_url, bool digest);
int notify_msg_add(struct notify_msg *m, const struct store_alert_row *r);
/* A test message for `notify channel test`. */
int notify_msg_test(struct notify_msg *m);
/* Titles and the digest's header; call after the last add. */
int notify_msg_finish(struct notify_msg *m);
void notify_msg_release(struct notify_msg *m);

/*
 * The request body for the channel's kind (malloc'd, NUL-terminated):
 * slack, teams, line, webhook: JSON; chatwork: a form; smtp: the whole
 * RFC 5322 message (now_ms gives its Date and Message-ID).
 */
int notify_msg_payload(const struct notify_msg *m, const struct store_notify_channel *ch,
    int64_t now_ms, char **out, size_t *len);

/* Text as the notification shows it: no control characters, no < > [ ] &. */
void notify_msg_clean(const char *in, char *out, size_t outsz);

#endif
