#include "manager/notify_send.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "common/lib_curl.h"

#define URL_MAX 2048
#define REPLY_MAX 512		/* what we keep of a receiver's answer, for the error */

struct reply {
	char text[REPLY_MAX + 1];
	size_t len;
};

struct upload {
	const char *data;
	size_t len, at;
};

static size_t
reply_cb(char *p, size_t size, size_t nmemb, void *ctx)
{
	struct reply *r = ctx;
	size_t n = size * nmemb;
	size_t k = REPLY_MAX - r->len < n ? REPLY_MAX - r->len : n;
	memcpy(r->text + r->len, p, k);
	r->len += k;
	r->text[r->len] = '\0';
	return n;
}

static size_t
upload_cb(char *p, size_t size, size_t nmemb, void *ctx)
{
	struct upload *u = ctx;
	size_t k = size * nmemb < u->len - u->at ? size * nmemb : u->len - u->at;
	memcpy(p, u->data + u->at, k);
	u->at += k;
	return k;
}

static bool
loopback(const char *host)
{
	return strcmp(host, "127.0.0.1") == 0 || strcmp(host, "localhost") == 0 ||
	    strcmp(host, "[::1]") == 0 || strcmp(host, "::1") == 0;
}

static bool
printable(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

/* The URL a channel posts to (or the mail server's). */
static int
url_of(const struct store_notify_channel *ch, char *url, size_t urlsz)
{
	const char *base = ch->server[0] ? ch->server : NULL;
	int n;
	if (strcmp(ch->kind, "line") == 0)
		n = snprintf(url, urlsz, "%s/v2/bot/message/push", base ? base : NOTIFY_SEND_LINE_API);
	else if (strcmp(ch->kind, "chatwork") == 0)
		n = snprintf(url, urlsz, "%s/v2/rooms/%s/messages", base ? base : NOTIFY_SEND_CHATWORK_API,
		    ch->target);
	else if (strcmp(ch->kind, "smtp") == 0)
		n = snprintf(url, urlsz, "%s", ch->server);
	else
		n = snprintf(url, urlsz, "%s", ch->target);
	return n < 0 || (size_t)n >= urlsz ? MAMORI_E_LIMIT : MAMORI_OK;
}

int
notify_send_check(const struct store_notify_channel *ch, char *err, size_t errsz)
{
	char url[URL_MAX];
	char *scheme = NULL, *host = NULL;
	struct lib_curl cu;
	int rc = lib_curl_open(&cu, err, errsz);
	if (rc != MAMORI_OK)
		return rc;
	rc = MAMORI_E_INVAL;
	CURLU *u = cu.url();
	bool mail = strcmp(ch->kind, "smtp") == 0;

	if (!printable(ch->target) || !printable(ch->server) || !printable(ch->secret) ||
	    !printable(ch->sender) || !printable(ch->username)) {
		snprintf(err, errsz, "control characters in a channel field");
		goto out;
	}
	if (strcmp(ch->kind, "chatwork") == 0 && strspn(ch->target, "0123456789") != strlen(ch->target)) {
		snprintf(err, errsz, "a Chatwork target is the room id (digits)");
		goto out;
	}
	if ((strcmp(ch->kind, "line") == 0 || strcmp(ch->kind, "chatwork") == 0) && !ch->secret[0]) {
		snprintf(err, errsz, "%s needs its access token as the secret", ch->kind);
		goto out;
	}
	if (mail && (!ch->sender[0] || !strchr(ch->sender, '@') || !strchr(ch->target, '@'))) {
		snprintf(err, errsz, "e-mail needs a From address (sender) and a recipient address (target)");
		goto out;
	}
	if (url_of(ch, url, sizeof(url)) != MAMORI_OK || !u ||
	    cu.url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    cu.url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    cu.url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		snprintf(err, errsz, "'%.200s' is not a URL%s", url, mail ? " (smtp://host:587)" : "");
		goto out;
	}
	if (mail ? strcmp(scheme, "smtp") != 0 && strcmp(scheme, "smtps") != 0 :
	    strcmp(scheme, "https") != 0 && !(strcmp(scheme, "http") == 0 && loopback(host))) {
		snprintf(err, errsz, mail ? "the mail server is smtp:// (STARTTLS) or smtps://" :
		    "webhooks are https:// (http:// only to this machine)");
		goto out;
	}
	rc = MAMORI_OK;
out:
	cu.free(scheme);
	cu.free(host);
	cu.url_cleanup(u);
	return rc;
}

int
notify_send_signature(const char *key, const char *body, size_t len, char out[72])
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	if (crypto_auth_hmacsha256_init(&st, (const unsigned char *)key, strlen(key)) != 0 ||
	    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len) != 0 ||
	    crypto_auth_hmacsha256_final(&st, mac) != 0)
		return MAMORI_E_INVAL;
	memcpy(out, "sha256=", 7);
	sodium_bin2hex(out + 7, 65, mac, sizeof(mac));
	return MAMORI_OK;
}

void
notify_send_retry_key(const char *seed, char out[37])
{
	unsigned char h[16];
	char hex[33];
	crypto_generichash(h, sizeof(h), (const unsigned char *)seed, strlen(seed), NULL, 0);
	h[6] = (unsigned char)((h[6] & 0x0f) | 0x40);
	h[8] = (unsigned char)((h[8] & 0x3f) | 0x80);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

static struct curl_slist *
append(const struct lib_curl *cu, struct curl_slist *l, const char *h, bool *ok)
{
	struct curl_slist *t = *ok ? cu->slist_append(l, h) : NULL;
	if (!t)
		*ok = false;
	return t ? t : l;
}

static struct curl_slist *
headers_of(const struct lib_curl *cu, const struct store_notify_channel *ch, const char *payload,
    size_t len,
    const char *retry_key)
{
	char h[URL_MAX], sig[72] = "";
	struct curl_slist *l = NULL;
	bool ok = true, form = strcmp(ch->kind, "chatwork") == 0;
	l = append(cu, l, form ? "Content-Type: application/x-www-form-urlencoded" :
	    "Content-Type: application/json; charset=utf-8", &ok);
	if (strcmp(ch->kind, "line") == 0) {
		snprintf(h, sizeof(h), "Authorization: Bearer %s", ch->secret);
		l = append(cu, l, h, &ok);
		if (retry_key) {
			snprintf(h, sizeof(h), "X-Line-Retry-Key: %s", retry_key);
			l = append(cu, l, h, &ok);
		}
	} else if (form) {
		snprintf(h, sizeof(h), "X-ChatWorkToken: %s", ch->secret);
		l = append(cu, l, h, &ok);
	} else if (strcmp(ch->kind, "webhook") == 0 && ch->secret[0]) {
		ok = ok && notify_send_signature(ch->secret, payload, len, sig) == MAMORI_OK;
		snprintf(h, sizeof(h), NOTIFY_SEND_SIG_HEADER ": %s", sig);
		l = append(cu, l, h, &ok);
	}
	explicit_bzero(h, sizeof(h));
	if (!ok) {
		cu->slist_free_all(l);
		return NULL;
	}
	return l;
}

int
notify_send(const struct store_notify_channel *ch, const struct notify_send_opts *o,
    const char *payload, size_t len, const char *retry_key, char *err, size_t errsz)
{
	char url[URL_MAX], cerr[CURL_ERROR_SIZE] = "", from[STORE_NOTIFY_FIELD_MAX + 3];
	struct reply reply = { .len = 0 };
	struct upload up = { .data = payload, .len = len };
	struct curl_slist *hdr = NULL, *rcpt = NULL;
	struct lib_curl cu;
	bool mail = strcmp(ch->kind, "smtp") == 0;
	int rc = notify_send_check(ch, err, errsz);
	if (rc != MAMORI_OK || (rc = lib_curl_open(&cu, err, errsz)) != MAMORI_OK)
		return rc;
	if ((rc = url_of(ch, url, sizeof(url))) != MAMORI_OK) {
		snprintf(err, errsz, "URL too long");
		return rc;
	}
	CURL *c = cu.easy_init();
	if (!c) {
		snprintf(err, errsz, "libcurl failed to start");
		return MAMORI_E_NOMEM;
	}
	cu.easy_setopt(c, CURLOPT_URL, url);
	cu.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	cu.easy_setopt(c, CURLOPT_TIMEOUT, o->timeout_s > 0 ? o->timeout_s : 20L);
	cu.easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	cu.easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	cu.easy_setopt(c, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	cu.easy_setopt(c, CURLOPT_PROTOCOLS_STR, mail ? "smtp,smtps" : "https,http");
	cu.easy_setopt(c, CURLOPT_USERAGENT, "mamori/" MAMORI_VERSION);
	if (o->ca_file && *o->ca_file)
		cu.easy_setopt(c, CURLOPT_CAINFO, o->ca_file);
	if (o->insecure) {
		cu.easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
		cu.easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (mail) {
		snprintf(from, sizeof(from), "<%s>", ch->sender);
		/* STARTTLS or nothing: the message must not travel in clear text. */
		cu.easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
		cu.easy_setopt(c, CURLOPT_MAIL_FROM, from);
		rcpt = cu.slist_append(NULL, ch->target);
		cu.easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
		cu.easy_setopt(c, CURLOPT_READFUNCTION, upload_cb);
		cu.easy_setopt(c, CURLOPT_READDATA, &up);
		cu.easy_setopt(c, CURLOPT_UPLOAD, 1L);
		cu.easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
		if (ch->username[0]) {
			cu.easy_setopt(c, CURLOPT_USERNAME, ch->username);
			cu.easy_setopt(c, CURLOPT_PASSWORD, ch->secret);
		}
	} else {
		hdr = headers_of(&cu, ch, payload, len, retry_key);
		cu.easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
		cu.easy_setopt(c, CURLOPT_POSTFIELDS, payload);
		cu.easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
		cu.easy_setopt(c, CURLOPT_WRITEFUNCTION, reply_cb);
		cu.easy_setopt(c, CURLOPT_WRITEDATA, &reply);
	}
	if ((!mail && !hdr) || (mail && !rcpt)) {
		snprintf(err, errsz, "out of memory");
		rc = MAMORI_E_NOMEM;
		goto out;
	}
	CURLcode cc = cu.easy_perform(c);
	long status = 0;
	cu.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (cc != CURLE_OK) {
		snprintf(err, errsz, "%s", cerr[0] ? cerr : cu.easy_strerror(cc));
		rc = cc == CURLE_OPERATION_TIMEDOUT ? MAMORI_E_TIMEOUT : MAMORI_E_IO;
	} else if (!mail && (status < 200 || status > 299)) {
		for (char *p = reply.text; *p; p++)
			if ((unsigned char)*p < 0x20)
				*p = ' ';
		snprintf(err, errsz, "HTTP %ld: %.200s", status, reply.text);
		rc = MAMORI_E_IO;
	}
out:
	cu.slist_free_all(hdr);
	cu.slist_free_all(rcpt);
	cu.easy_cleanup(c);
	return rc;
}
