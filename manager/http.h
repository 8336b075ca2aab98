/*
 * http.h - the manager's HTTPS front: libmicrohttpd with its GnuTLS
 * backend, TLS 1.3 only, bounded in every dimension (connections, header
 * bytes, body bytes, time). It knows nothing of routes or sessions: each
 * complete request goes to one handler, which fills a response.
 *
 * libmicrohttpd rather than civetweb or h2o: it is in Debian 12 and kept
 * (1.0 made its parser RFC 9112-strict; audited in 2017 and again for
 * MHD2), embeds without a framework, and does TLS, thread pools and
 * per-IP limits itself (research/ecosystem.md section 3).
 */
#ifndef MAMORI_MANAGER_HTTP_H
#define MAMORI_MANAGER_HTTP_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "common/log.h"

struct http_server;

struct http_request {
	const char *method;
	const char *path;	/* without the query string */
	const char *ip;		/* the client's address as text */
	const char *body;	/* NUL terminated; body_len excludes the NUL */
	size_t body_len;
	void *conn;		/* for http_header() */
	const struct http_server *server;
};

#define HTTP_COOKIE_MAX 256

struct http_response {
	int status;
	const char *content_type;	/* NULL: application/json */
	char *body;			/* malloc(), freed by http */
	size_t len;
	char set_cookie[HTTP_COOKIE_MAX];	/* empty: none */
	int retry_after;		/* seconds; 0: no header */
	const char *allow;		/* for 405 */
	const char *csp;		/* NULL: the API's "default-src 'none'" */
	char disposition[128];		/* Content-Disposition; empty: none */
	/*
	 * Slow work (a PDF): when the handler sets later, the connection waits
	 * suspended while later(later_arg, resp) runs in a thread of its own
	 * and fills this response, which is then sent; the server's threads
	 * keep answering others meanwhile. later owns later_arg. The handler
	 * bounds how many run at once.
	 */
	void (*later)(void *arg, struct http_response *resp);
	void *later_arg;
};

typedef void (*http_handler_fn)(void *ctx, const struct http_request *req,
    struct http_response *resp);

struct http_config {
	struct sockaddr_storage addr;
	socklen_t addrlen;
	const char *cert_pem, *key_pem;
	size_t max_body;		/* bigger bodies get 413 */
	size_t max_header;		/* request line and headers; bigger gets 431 */
	unsigned max_connections;
	unsigned max_per_ip;
	unsigned timeout_s;		/* idle connection timeout */
	unsigned threads;
	http_handler_fn handler;
	void *ctx;
	const struct log *log;
};

/* Responses by status code, and requests refused before the handler. */
struct http_stats {
	atomic_ulong status[600];
	atomic_ulong too_large;
	atomic_ulong bad_length;
	atomic_ulong oom;
};

/* "127.0.0.1:8443", "[::1]:8443" or ":8443" (all IPv4 addresses). Port 0: any free port. */
int http_parse_listen(const char *text, struct sockaddr_storage *ss, socklen_t *len);

int http_start(const struct http_config *cfg, struct http_server **out,
    char *err, size_t errsz);
/* The bound port (the real one when 0 was asked for). */
unsigned http_port(const struct http_server *s);
const struct http_stats *http_server_stats(const struct http_server *s);
unsigned http_connections(const struct http_server *s);
/* A request header by name (case-insensitive), or NULL. */
const char *http_header(const struct http_request *req, const char *name);
/* A query-string argument by name (decoded), or NULL. */
const char *http_query(const struct http_request *req, const char *name);
/* Sets a JSON body (takes ownership of text from json_dumps / malloc). */
void http_set_body(struct http_response *resp, int status, char *text);
/* {"error": code, "message": message} with status. */
void http_error(struct http_response *resp, int status, const char *code,
    const char *message);
/* Waits for the running later() jobs, then stops. */
void http_stop(struct http_server *s);

#endif
