#include "agent/agent_http.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "common/err.h"

#define HEAD_MAX (16 * 1024)

int
agent_http_init(struct agent_http *h, const char *url, const char *pin,
    int timeout_s, char *err, size_t errsz)
{
	const char *p, *end;
	memset(h, 0, sizeof(*h));
	h->fd = -1;
	h->timeout_s = timeout_s > 0 ? timeout_s : 30;
	if (strncmp(url, "https://", 8) != 0) {
		snprintf(err, errsz, "the manager address must start with https://");
		return MAMORI_E_INVAL;
	}
	p = url + 8;
	end = p + strcspn(p, "/");
	if (end[0] == '/' && end[1] != '\0') {
		snprintf(err, errsz, "the manager address takes no path");
		return MAMORI_E_INVAL;
	}
	const char *hs = p, *he, *port = NULL;
	if (*p == '[') {
		hs = p + 1;
		if (!(he = memchr(p, ']', (size_t)(end - p)))) {
			snprintf(err, errsz, "unclosed [ in the manager address");
			return MAMORI_E_INVAL;
		}
		if (he + 1 < end && he[1] == ':')
			port = he + 2;
	} else {
		he = memchr(p, ':', (size_t)(end - p));
		if (he)
			port = he + 1;
		else
			he = end;
	}
	size_t hl = (size_t)(he - hs), pl = port ? (size_t)(end - port) : 0;
	if (hl == 0 || hl >= sizeof(h->host) || (port && (pl == 0 || pl > 5 ||
	    strspn(port, "0123456789") < pl))) {
		snprintf(err, errsz, "the manager address is https://HOST:PORT");
		return MAMORI_E_INVAL;
	}
	memcpy(h->host, hs, hl);
	if (port)
		memcpy(h->port, port, pl);
	else
		snprintf(h->port, sizeof(h->port), "8443");
	if (pin)
		snprintf(h->pin, sizeof(h->pin), "%s", pin);
	if (!(h->ctx = SSL_CTX_new(TLS_client_method())) ||
	    !SSL_CTX_set_min_proto_version(h->ctx, TLS1_3_VERSION)) {
		snprintf(err, errsz, "cannot set up TLS");
		agent_http_release(h);
		return MAMORI_E_NOMEM;
	}
	/* The chain is not checked against a CA: the pinned fingerprint is the
	 * trust (checked after every handshake, before any request). */
	SSL_CTX_set_verify(h->ctx, SSL_VERIFY_NONE, NULL);
	return MAMORI_OK;
}

void
agent_http_close(struct agent_http *h)
{
	if (h->ssl) {
		SSL_shutdown(h->ssl);
		SSL_free(h->ssl);
		h->ssl = NULL;
	}
	if (h->fd >= 0)
		close(h->fd);
	h->fd = -1;
}

void
agent_http_release(struct agent_http *h)
{
	agent_http_close(h);
	if (h->ctx)
		SSL_CTX_free(h->ctx);
	h->ctx = NULL;
}

void
agent_http_answer_free(struct agent_http_answer *ans)
{
	free(ans->body);
	memset(ans, 0, sizeof(*ans));
}

static int
fingerprint(SSL *ssl, char out[AGENT_HTTP_FP_LEN])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	X509 *cert = SSL_get1_peer_certificate(ssl);
	if (!cert)
		return MAMORI_E_PERM;
	int ok = X509_digest(cert, EVP_sha256(), md, &n);
	X509_free(cert);
	if (!ok || n != 32)
		return MAMORI_E_PERM;
	for (unsigned i = 0; i < n; i++)
		snprintf(out + i * 3, AGENT_HTTP_FP_LEN - i * 3, "%02X%s", md[i], i + 1 < n ? ":" : "");
	return MAMORI_OK;
}

static int
connect_tls(struct agent_http *h, char *err, size_t errsz)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL, *ai;
	struct timeval tv = { .tv_sec = h->timeout_s };
	int one = 1, gai;
	unsigned char tmp[16];

	if ((gai = getaddrinfo(h->host, h->port, &hints, &res)) != 0) {
		snprintf(err, errsz, "cannot resolve %s: %s", h->host, gai_strerror(gai));
		return MAMORI_E_IO;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		h->fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (h->fd < 0)
			continue;
		/* SO_SNDTIMEO bounds connect() too on Linux. */
		setsockopt(h->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(h->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		setsockopt(h->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (connect(h->fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		snprintf(err, errsz, "cannot connect to %s:%s: %s", h->host, h->port, strerror(errno));
		close(h->fd);
		h->fd = -1;
	}
	freeaddrinfo(res);
	if (h->fd < 0)
		return MAMORI_E_IO;
	if (!(h->ssl = SSL_new(h->ctx)) || !SSL_set_fd(h->ssl, h->fd)) {
		snprintf(err, errsz, "out of memory");
		agent_http_close(h);
		return MAMORI_E_NOMEM;
	}
	if (inet_pton(AF_INET, h->host, tmp) != 1 && inet_pton(AF_INET6, h->host, tmp) != 1)
		SSL_set_tlsext_host_name(h->ssl, h->host);
	if (SSL_connect(h->ssl) != 1) {
		unsigned long e = ERR_get_error();
		snprintf(err, errsz, "TLS 1.3 handshake with %s:%s failed: %s", h->host, h->port,
		    e ? ERR_reason_error_string(e) : "connection closed");
		ERR_clear_error();
		agent_http_close(h);
		return MAMORI_E_IO;
	}
	if (fingerprint(h->ssl, h->seen) != MAMORI_OK) {
		snprintf(err, errsz, "the manager sent no certificate");
		agent_http_close(h);
		return MAMORI_E_PERM;
	}
	if (h->pin[0] && strcasecmp(h->pin, h->seen) != 0) {
		snprintf(err, errsz, "the manager's certificate changed: expected SHA-256 %s, got %s; "
		    "refusing to send (if the manager really got a new certificate, enrol again)",
		    h->pin, h->seen);
		agent_http_close(h);
		return MAMORI_E_PERM;
	}
	return MAMORI_OK;
}

static bool
write_all(SSL *ssl, const void *buf, size_t len)
{
	const char *p = buf;
	while (len) {
		size_t n = 0;
		if (SSL_write_ex(ssl, p, len, &n) != 1)
			return false;
		p += n;
		len -= n;
	}
	return true;
}

/* Reads an answer; *got_any tells a dead keep-alive connection (nothing
 * came back) from a broken answer. */
static int
read_answer(struct agent_http *h, struct agent_http_answer *ans, bool *got_any,
    bool *close_after, char *err, size_t errsz)
{
	char *buf = malloc(HEAD_MAX + 1), *eoh = NULL, *line;
	size_t have = 0, n, clen = 0;
	bool has_len = false;
	int rc = MAMORI_E_IO;

	*got_any = false;
	if (!buf)
		return MAMORI_E_NOMEM;
	while (!eoh) {
		if (have == HEAD_MAX) {
			snprintf(err, errsz, "answer headers too long");
			goto out;
		}
		if (SSL_read_ex(h->ssl, buf + have, HEAD_MAX - have, &n) != 1) {
			snprintf(err, errsz, "connection to the manager closed");
			goto out;
		}
		*got_any = true;
		have += n;
		buf[have] = '\0';
		eoh = strstr(buf, "\r\n\r\n");
	}
	*eoh = '\0';
	if (strncmp(buf, "HTTP/1.1 ", 9) != 0 || strspn(buf + 9, "0123456789") != 3) {
		snprintf(err, errsz, "not an HTTP/1.1 answer");
		goto out;
	}
	ans->status = (buf[9] - '0') * 100 + (buf[10] - '0') * 10 + (buf[11] - '0');
	for (line = strstr(buf, "\r\n"); line; line = strstr(line, "\r\n")) {
		line += 2;
		if (strncasecmp(line, "Content-Length:", 15) == 0) {
			char *e = NULL;
			errno = 0;
			unsigned long long v = strtoull(line + 15, &e, 10);
			if (errno || v > AGENT_HTTP_ANSWER_MAX) {
				snprintf(err, errsz, "answer too long");
				goto out;
			}
			clen = (size_t)v;
			has_len = true;
		} else if (strncasecmp(line, "Connection:", 11) == 0 && strstr(line, "close")) {
			*close_after = true;
		} else if (strncasecmp(line, "Retry-After:", 12) == 0) {
			long v = strtol(line + 12, NULL, 10);
			ans->retry_after = v > 0 && v < 86400 ? (int)v : 0;
		}
	}
	if (!has_len) {
		snprintf(err, errsz, "answer without Content-Length");
		goto out;
	}
	size_t body_have = have - (size_t)(eoh + 4 - buf);
	if (body_have > clen) {
		snprintf(err, errsz, "answer longer than its Content-Length");
		goto out;
	}
	if (!(ans->body = malloc(clen + 1)))
		goto out;
	memcpy(ans->body, eoh + 4, body_have);
	while (body_have < clen) {
		if (SSL_read_ex(h->ssl, ans->body + body_have, clen - body_have, &n) != 1) {
			snprintf(err, errsz, "answer cut short");
			goto out;
		}
		body_have += n;
	}
	ans->body[clen] = '\0';
	ans->len = clen;
	rc = MAMORI_OK;
out:
	free(buf);
	if (rc != MAMORI_OK)
		agent_http_answer_free(ans);
	return rc;
}

int
agent_http_request(struct agent_http *h, const char *method, const char *path,
    const char *headers, const void *body, size_t len, struct agent_http_answer *ans,
    char *err, size_t errsz)
{
	char head[2048];
	int rc;

	memset(ans, 0, sizeof(*ans));
	int hn = snprintf(head, sizeof(head), "%s %s HTTP/1.1\r\nHost: %s%s%s:%s\r\n"
	    "Content-Length: %zu\r\nConnection: keep-alive\r\nUser-Agent: mamori-agent/%s\r\n%s\r\n",
	    method, path, strchr(h->host, ':') ? "[" : "", h->host,
	    strchr(h->host, ':') ? "]" : "", h->port, len, MAMORI_VERSION, headers ? headers : "");
	if (hn < 0 || (size_t)hn >= sizeof(head)) {
		snprintf(err, errsz, "request headers too long");
		return MAMORI_E_LIMIT;
	}
	/* A kept-alive connection may have been closed by the manager (idle
	 * timeout, restart): then connect again once. Resending is safe: the
	 * manager stores a batch once however often it arrives. */
	for (int attempt = 0; attempt < 2; attempt++) {
		bool fresh = h->ssl == NULL, got_any = false, close_after = false;
		if (fresh && (rc = connect_tls(h, err, errsz)) != MAMORI_OK)
			return rc;
		if (!write_all(h->ssl, head, (size_t)hn) || (len && !write_all(h->ssl, body, len))) {
			snprintf(err, errsz, "sending to the manager failed");
			ERR_clear_error();
			agent_http_close(h);
			if (fresh)
				return MAMORI_E_IO;
			continue;
		}
		rc = read_answer(h, ans, &got_any, &close_after, err, errsz);
		ERR_clear_error();
		if (rc != MAMORI_OK || close_after)
			agent_http_close(h);
		if (rc == MAMORI_OK || fresh || got_any)
			return rc;
	}
	return MAMORI_E_IO;
}
