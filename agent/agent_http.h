/*
 * agent_http.h - the agent's HTTPS client to the manager: OpenSSL, TLS 1.3
 * only, HTTP/1.1 with keep-alive, bounded answers.
 *
 * The manager's certificate is usually self-signed, so it is trusted on
 * first use: enrolment records the SHA-256 fingerprint of the certificate
 * it saw (or checks one given with --fingerprint, as printed by mamori
 * serve) and every later connection must present the same certificate,
 * else it is refused before anything is sent.
 */
#ifndef MAMORI_AGENT_AGENT_HTTP_H
#define MAMORI_AGENT_AGENT_HTTP_H

#include <stddef.h>

#define AGENT_HTTP_FP_LEN 96	/* "AB:CD:..." 32 bytes, with the NUL */
#define AGENT_HTTP_ANSWER_MAX (1024 * 1024)

struct ssl_ctx_st;
struct ssl_st;

struct agent_http {
	char host[256], port[8];
	char pin[AGENT_HTTP_FP_LEN];	/* empty: accept and record (enrolment) */
	char seen[AGENT_HTTP_FP_LEN];	/* the fingerprint of this connection */
	int timeout_s;
	int fd;
	struct ssl_ctx_st *ctx;
	struct ssl_st *ssl;
};

struct agent_http_answer {
	int status;
	char *body;		/* malloc(), NUL terminated */
	size_t len;
	int retry_after;	/* seconds, 0 when absent */
};

/* "https://HOST:PORT" or "https://[V6]:PORT" (port 8443 when absent). */
int agent_http_init(struct agent_http *h, const char *url, const char *pin,
    int timeout_s, char *err, size_t errsz);
/*
 * One request; connects (again) when needed. headers: "Name: value" lines
 * each ending in \r\n, or NULL. MAMORI_E_PERM when the certificate is not
 * the pinned one; MAMORI_E_IO when the manager is unreachable or the
 * connection broke (err says which).
 */
int agent_http_request(struct agent_http *h, const char *method, const char *path,
    const char *headers, const void *body, size_t len, struct agent_http_answer *ans,
    char *err, size_t errsz);
void agent_http_answer_free(struct agent_http_answer *ans);
void agent_http_close(struct agent_http *h);
/* Frees the TLS context too. */
void agent_http_release(struct agent_http *h);

#endif
