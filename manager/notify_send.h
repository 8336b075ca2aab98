/*
 * notify_send.h - delivers one notification with libcurl: e-mail over SMTP
 * with STARTTLS required (or SMTPS), and HTTPS POSTs to Slack, Teams
 * Workflows, LINE's Messaging API, Chatwork and a generic webhook (signed
 * with HMAC-SHA256 of the body). Plain http:// is accepted only for a
 * loopback address (a local relay or a test receiver); certificates are
 * always checked unless tls_insecure is configured explicitly.
 */
#ifndef MAMORI_MANAGER_NOTIFY_SEND_H
#define MAMORI_MANAGER_NOTIFY_SEND_H

#include <stdbool.h>
#include <stddef.h>

#include "storage/store_notify.h"

#define NOTIFY_SEND_LINE_API "https://api.line.me"
#define NOTIFY_SEND_CHATWORK_API "https://api.chatwork.com"
#define NOTIFY_SEND_SIG_HEADER "X-Mamori-Signature"

struct notify_send_opts {
	const char *ca_file;	/* "" or NULL: the system's CAs */
	bool insecure;		/* skip certificate checks (tests only) */
	long timeout_s;
};

/*
 * Sends payload (from notify_msg_payload) on the channel. retry_key, when
 * not NULL, is a UUID the receiver may use to drop a repeat (LINE's
 * X-Line-Retry-Key). On failure err says why (HTTP status, curl's reason).
 */
int notify_send(const struct store_notify_channel *ch, const struct notify_send_opts *o,
    const char *payload, size_t len, const char *retry_key, char *err, size_t errsz);

/* "sha256=" and the hex HMAC-SHA256 of body under key (72 bytes with NUL). */
int notify_send_signature(const char *key, const char *body, size_t len, char out[72]);
/* A UUID (version 4 layout) derived from seed, the same for the same seed. */
void notify_send_retry_key(const char *seed, char out[37]);
/* Whether a channel's URL (or mail server) is one mamori will send to;
 * err says why not. */
int notify_send_check(const struct store_notify_channel *ch, char *err, size_t errsz);

#endif
