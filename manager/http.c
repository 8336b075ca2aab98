#include "manager/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "common/err.h"
#include "manager/lib_mhd.h"

/* TLS 1.3 and nothing older; GnuTLS's NORMAL suites within it. */
#define TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3"

struct http_server {
	struct lib_mhd mhd;
	struct MHD_Daemon *d;
	struct http_config cfg;
	struct http_stats stats;
	unsigned port;
	/* later() jobs still running: http_stop waits for none. */
	pthread_mutex_t jobs_lock;
	pthread_cond_t jobs_done;
	unsigned jobs;
};

/* Per-request state between libmicrohttpd's calls. */
struct pending {
	char *body;
	size_t len, cap;
	int reject;		/* status to answer instead of the handler */
	const char *why;
	char ip[INET6_ADDRSTRLEN];
	/* A response filled by a later() job; sent when MHD calls again
	 * after the resume. */
	struct http_response done;
	bool have_done;
	struct http_server *server;
	struct MHD_Connection *conn;
};

int
http_parse_listen(const char *text, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon, *port_s;
	size_t hl;

	memset(ss, 0, sizeof(*ss));
	if (text[0] == '[') {
		const char *close = strchr(text, ']');
		if (!close || close[1] != ':')
			return MAMORI_E_INVAL;
		hl = (size_t)(close - text - 1);
		if (hl >= sizeof(host))
			return MAMORI_E_INVAL;
		memcpy(host, text + 1, hl);
		port_s = close + 2;
	} else {
		if (!(colon = strrchr(text, ':')) || strchr(text, ':') != colon)
			return MAMORI_E_INVAL;
		hl = (size_t)(colon - text);
		if (hl >= sizeof(host))
			return MAMORI_E_INVAL;
		memcpy(host, text, hl);
		port_s = colon + 1;
	}
	host[hl] = '\0';
	char *end = NULL;
	errno = 0;
	unsigned long port = strtoul(port_s, &end, 10);
	if (errno || end == port_s || *end || port > 65535 || *port_s == '-' || *port_s == '+')
		return MAMORI_E_INVAL;
	struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
	if (hl == 0) {
		v4->sin_family = AF_INET;
		v4->sin_addr.s_addr = htonl(INADDR_ANY);
		v4->sin_port = htons((uint16_t)port);
		*len = sizeof(*v4);
	} else if (text[0] != '[' && inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		*len = sizeof(*v4);
	} else if (text[0] == '[' && inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*v6);
	} else {
		return MAMORI_E_INVAL;
	}
	return MAMORI_OK;
}

void
http_set_body(struct http_response *resp, int status, char *text)
{
	free(resp->body);
	resp->status = text ? status : 500;
	resp->body = text;
	resp->len = text ? strlen(text) : 0;
}

void
http_error(struct http_response *resp, int status, const char *code,
    const char *message)
{
	char *buf = malloc(512);
	/* code and message are our own constants: no escaping needed. */
	if (buf)
		snprintf(buf, 512, "{\"error\":\"%s\",\"message\":\"%s\"}\n", code, message);
	http_set_body(resp, status, buf);
	resp->status = status;
}

const char *
http_header(const struct http_request *req, const char *name)
{
	return req->server->mhd.lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *
http_query(const struct http_request *req, const char *name)
{
	return req->server->mhd.lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

static void
client_ip(const struct http_server *s, struct MHD_Connection *c, char *out, size_t outsz)
{
	const union MHD_ConnectionInfo *ci =
	    s->mhd.get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(out, outsz, "?");
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, (socklen_t)outsz);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, (socklen_t)outsz);
}

static enum MHD_Result
send_response(struct http_server *s, struct MHD_Connection *c,
    struct http_response *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char num[32];

	if (r->status < 100 || r->status > 599)
		r->status = 500;
	if (!r->body && r->status != 204)
		http_error(r, r->status, "error", "no body");
	resp = s->mhd.create_response(r->len,
	    r->body ? r->body : (char *)(uintptr_t)"", r->body ? free : NULL);
	if (!resp) {
		free(r->body);
		r->body = NULL;
		atomic_fetch_add(&s->stats.oom, 1);
		return MHD_NO;
	}
	r->body = NULL;	/* owned by the response now */
	s->mhd.add_response_header(resp, "Content-Type",
	    r->content_type ? r->content_type : "application/json; charset=utf-8");
	/* The API is never cached, framed, sniffed or told where it came from. */
	s->mhd.add_response_header(resp, "Cache-Control", "no-store");
	s->mhd.add_response_header(resp, "X-Content-Type-Options", "nosniff");
	s->mhd.add_response_header(resp, "Content-Security-Policy",
	    r->csp ? r->csp : "default-src 'none'; frame-ancestors 'none'");
	s->mhd.add_response_header(resp, "X-Frame-Options", "DENY");
	s->mhd.add_response_header(resp, "Referrer-Policy", "no-referrer");
	s->mhd.add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
	if (r->set_cookie[0])
		s->mhd.add_response_header(resp, "Set-Cookie", r->set_cookie);
	if (r->retry_after > 0) {
		snprintf(num, sizeof(num), "%d", r->retry_after);
		s->mhd.add_response_header(resp, "Retry-After", num);
	}
	if (r->allow)
		s->mhd.add_response_header(resp, "Allow", r->allow);
	if (r->disposition[0])
		s->mhd.add_response_header(resp, "Content-Disposition", r->disposition);
	ret = s->mhd.queue_response(c, (unsigned)r->status, resp);
	s->mhd.destroy_response(resp);
	atomic_fetch_add(&s->stats.status[r->status], 1);
	return ret;
}

static enum MHD_Result
reject(struct http_server *s, struct MHD_Connection *c, const char *method,
    const char *url, struct pending *p)
{
	struct http_response r = { 0 };
	const char *code = p->reject == 413 ? "too_large" : "bad_request";
	log_warn(s->cfg.log, "http: %s %.200s from %s refused with %d: %s", method, url,
	    p->ip, p->reject, p->why);
	http_error(&r, p->reject, code, p->why);
	return send_response(s, c, &r);
}

static void
jobs_add(struct http_server *s, int d)
{
	pthread_mutex_lock(&s->jobs_lock);
	s->jobs = (unsigned)((int)s->jobs + d);
	if (s->jobs == 0)
		pthread_cond_broadcast(&s->jobs_done);
	pthread_mutex_unlock(&s->jobs_lock);
}

/* Fills the response, then wakes the connection. p stays until MHD ends
 * the request, which it cannot do while suspended. */
static void
later_run(struct pending *p)
{
	struct http_server *s = p->server;
	p->done.later(p->done.later_arg, &p->done);
	p->done.later = NULL;
	p->have_done = true;
	s->mhd.resume_connection(p->conn);
	jobs_add(s, -1);
}

/* A job's own thread, niced: the CPU goes to quick requests first. */
static void *
later_thread(void *arg)
{
	id_t tid = (id_t)gettid();
	errno = 0;
	int prio = getpriority(PRIO_PROCESS, tid);
	if (errno == 0 && prio < 10)
		(void)setpriority(PRIO_PROCESS, tid, 10);
	later_run(arg);
	return NULL;
}

static enum MHD_Result
run_later(struct http_server *s, struct MHD_Connection *c, struct pending *p,
    struct http_response *resp)
{
	pthread_attr_t attr;
	pthread_t t;
	p->done = *resp;
	p->server = s;
	p->conn = c;
	jobs_add(s, 1);
	s->mhd.suspend_connection(c);
	bool started = pthread_attr_init(&attr) == 0;
	if (started) {
		started = pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) == 0 &&
		    pthread_create(&t, &attr, later_thread, p) == 0;
		pthread_attr_destroy(&attr);
	}
	/* No thread to be had: the job runs here, as any handler would. */
	if (!started)
		later_run(p);
	return MHD_YES;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_size, void **con_cls)
{
	struct http_server *s = cls;
	struct pending *p = *con_cls;

	if (!p) {
		if (!(p = calloc(1, sizeof(*p)))) {
			atomic_fetch_add(&s->stats.oom, 1);
			return MHD_NO;
		}
		*con_cls = p;
		client_ip(s, c, p->ip, sizeof(p->ip));
		const char *cl = s->mhd.lookup_connection_value(c, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl) {
			char *end = NULL;
			errno = 0;
			unsigned long long n = strtoull(cl, &end, 10);
			if (errno || end == cl || *end || *cl == '-' || *cl == '+') {
				atomic_fetch_add(&s->stats.bad_length, 1);
				p->reject = 400;
				p->why = "bad Content-Length";
			} else if (n > s->cfg.max_body) {
				atomic_fetch_add(&s->stats.too_large, 1);
				p->reject = 413;
				p->why = "request body too large";
			}
		}
		/* Refuse before reading the body; MHD then closes the connection. */
		if (p->reject)
			return reject(s, c, method, url, p);
		return MHD_YES;
	}
	if (p->have_done) {
		p->have_done = false;
		return send_response(s, c, &p->done);
	}
	if (*upload_size) {
		size_t n = *upload_size;
		*upload_size = 0;
		if (p->reject)
			return MHD_YES;	/* discard the rest */
		if (n > s->cfg.max_body - p->len) {
			/* Chunked bodies have no Content-Length to check first. */
			atomic_fetch_add(&s->stats.too_large, 1);
			p->reject = 413;
			p->why = "request body too large";
			free(p->body);
			p->body = NULL;
			return MHD_YES;
		}
		if (p->len + n + 1 > p->cap) {
			size_t cap = p->cap ? p->cap : 1024;
			while (cap < p->len + n + 1)
				cap *= 2;
			char *nb = realloc(p->body, cap);
			if (!nb) {
				atomic_fetch_add(&s->stats.oom, 1);
				return MHD_NO;
			}
			p->body = nb;
			p->cap = cap;
		}
		memcpy(p->body + p->len, upload_data, n);
		p->len += n;
		p->body[p->len] = '\0';
		return MHD_YES;
	}
	if (p->reject)
		return reject(s, c, method, url, p);

	struct http_request req = {
		.method = method,
		.path = url,
		.ip = p->ip,
		.body = p->body ? p->body : "",
		.body_len = p->len,
		.conn = c,
		.server = s,
	};
	struct http_response resp = { .status = 500 };
	(void)version;
	s->cfg.handler(s->cfg.ctx, &req, &resp);
	if (resp.later)
		return run_later(s, c, p, &resp);
	if (resp.status >= 400 && resp.status != 401 && resp.status != 404)
		log_info(s->cfg.log, "http: %s %.200s from %s: %d", method, url, p->ip, resp.status);
	return send_response(s, c, &resp);
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct http_server *s = cls;
	struct pending *p = *con_cls;
	(void)c;
	if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK && p)
		log_info(s->cfg.log, "http: request from %s ended early (code %d)", p->ip, (int)toe);
	if (p) {
		free(p->body);
		free(p);
	}
	*con_cls = NULL;
}

/* libmicrohttpd's own complaints (bad request lines, header overflows, TLS
 * handshake failures) go to our log with the reason. */
static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct http_server *s = cls;
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	log_info(s->cfg.log, "http: %s", msg);
}

int
http_start(const struct http_config *cfg, struct http_server **out,
    char *err, size_t errsz)
{
	struct http_server *s = calloc(1, sizeof(*s));
	*out = NULL;
	if (!s)
		return MAMORI_E_NOMEM;
	s->cfg = *cfg;
	int rc = lib_mhd_open(&s->mhd, err, errsz);
	if (rc != MAMORI_OK) {
		free(s);
		return rc;
	}
	if (pthread_mutex_init(&s->jobs_lock, NULL) != 0) {
		snprintf(err, errsz, "cannot create a mutex");
		free(s);
		return MAMORI_E_NOMEM;
	}
	if (pthread_cond_init(&s->jobs_done, NULL) != 0) {
		pthread_mutex_destroy(&s->jobs_lock);
		snprintf(err, errsz, "cannot create a condition variable");
		free(s);
		return MAMORI_E_NOMEM;
	}
	s->d = s->mhd.start_daemon(MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_TLS |
	    MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME, 0, NULL, NULL, on_request, s,
	    MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)&s->cfg.addr,
	    MHD_OPTION_HTTPS_MEM_CERT, cfg->cert_pem,
	    MHD_OPTION_HTTPS_MEM_KEY, cfg->key_pem,
	    MHD_OPTION_HTTPS_PRIORITIES, TLS_PRIORITIES,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cfg->threads ? cfg->threads : 1),
	    MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->max_per_ip,
	    MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_s,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->max_header,
	    MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
	    MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, s,
	    MHD_OPTION_END);
	if (!s->d) {
		snprintf(err, errsz, "cannot start the HTTPS server (address in use, bad certificate or key?)");
		pthread_cond_destroy(&s->jobs_done);
		pthread_mutex_destroy(&s->jobs_lock);
		free(s);
		return MAMORI_E_IO;
	}
	const union MHD_DaemonInfo *di = s->mhd.get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : 0;
	*out = s;
	return MAMORI_OK;
}

unsigned
http_port(const struct http_server *s)
{
	return s->port;
}

const struct http_stats *
http_server_stats(const struct http_server *s)
{
	return &s->stats;
}

unsigned
http_connections(const struct http_server *s)
{
	const union MHD_DaemonInfo *di = s->mhd.get_daemon_info(s->d,
	    MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
	return di ? di->num_connections : 0;
}

void
http_stop(struct http_server *s)
{
	if (!s)
		return;
	/* A job resumes its connection when done: the daemon must still be there. */
	pthread_mutex_lock(&s->jobs_lock);
	while (s->jobs)
		pthread_cond_wait(&s->jobs_done, &s->jobs_lock);
	pthread_mutex_unlock(&s->jobs_lock);
	s->mhd.stop_daemon(s->d);
	pthread_cond_destroy(&s->jobs_done);
	pthread_mutex_destroy(&s->jobs_lock);
	free(s);
}
