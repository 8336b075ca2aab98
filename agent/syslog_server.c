#include "agent/syslog_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "agent/syslog_frame.h"
#include "common/err.h"
#include "common/monotime.h"

#define SL_NAME 128
#define SL_ADDR 64		/* "[v6]:port" */
#define SL_UDP_MAX 65536		/* largest UDP payload */
#define SL_READ_CHUNK 16384
#define SL_HANDSHAKE_MS 10000

struct sl_listener {
	enum syslog_proto proto;
	int fd;
	char name[SL_NAME];		/* "udp 127.0.0.1:5514" */
	struct log_source src;		/* UDP: all its datagrams */
};

struct sl_conn {
	int fd;
	SSL *ssl;
	bool closing;
	bool got_data;			/* TLS: the handshake got as far as data */
	short events;			/* what to poll for next */
	int64_t since_ms, last_ms;
	struct syslog_frame fr;
	char name[SL_NAME];		/* "syslog tls from 10.0.0.5:51234" */
	struct log_source src;
};

struct syslog_server {
	struct sl_listener l[SYSLOG_MAX_LISTEN];
	size_t nl;
	struct sl_conn **conns;
	size_t nconns, max_conns;
	SSL_CTX *tls;
	size_t max_msg;
	int idle_s, year, month;
	char *udpbuf;
	struct sl_conn *cur;		/* connection whose bytes are being framed */
	log_line_fn on_line;
	log_notice_fn on_notice;
	void *arg;
	struct syslog_server_stats st;	/* closed connections' frame counts included */
};

static void
addr_name(const struct sockaddr_storage *sa, char *out, size_t outsz)
{
	char host[INET6_ADDRSTRLEN] = "?";
	unsigned port = 0;
	if (sa->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
		port = ntohs(in->sin_port);
		snprintf(out, outsz, "%s:%u", host, port);
	} else if (sa->ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		port = ntohs(in6->sin6_port);
		snprintf(out, outsz, "[%s]:%u", host, port);
	} else {
		snprintf(out, outsz, "?");
	}
}

/* One message out of a datagram or frame into the pipeline. */
static void
message(struct syslog_server *s, struct log_source *src, struct span in)
{
	struct span msg;
	if (!syslog_frame_message(in, &msg)) {
		s->st.malformed++;
		return;
	}
	s->st.messages++;
	src->lineno++;
	s->on_line(s->arg, src, msg, false);
}

static void
on_frame(void *arg, struct span m)
{
	struct syslog_server *s = arg;
	message(s, &s->cur->src, m);
}

static void
conn_close(struct syslog_server *s, struct sl_conn *c)
{
	if (c->closing)
		return;
	s->cur = c;
	syslog_frame_end(&c->fr, on_frame, s);
	s->st.oversize += c->fr.st.oversize;
	s->st.malformed += c->fr.st.malformed;
	s->st.bytes += c->fr.st.bytes;
	c->closing = true;
}

static void
conn_free(struct sl_conn *c)
{
	if (c->ssl)
		SSL_free(c->ssl);
	if (c->fd >= 0)
		close(c->fd);
	syslog_frame_release(&c->fr);
	free(c);
}

static void
conn_read(struct syslog_server *s, struct sl_conn *c)
{
	char buf[SL_READ_CHUNK];

	c->events = POLLIN;
	for (;;) {
		ssize_t n;
		if (c->ssl) {
			ERR_clear_error();
			int r = SSL_read(c->ssl, buf, sizeof(buf));
			if (r <= 0) {
				int e = SSL_get_error(c->ssl, r);
				if (e == SSL_ERROR_WANT_READ)
					return;
				if (e == SSL_ERROR_WANT_WRITE) {
					c->events = POLLOUT;
					return;
				}
				if (e != SSL_ERROR_ZERO_RETURN && !c->got_data && !SSL_is_init_finished(c->ssl))
					s->st.tls_failures++;
				conn_close(s, c);
				return;
			}
			n = r;
		} else {
			n = read(c->fd, buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
				return;
			if (n <= 0) {
				conn_close(s, c);
				return;
			}
		}
		c->last_ms = monotime_ms();
		c->got_data = true;
		s->cur = c;
		syslog_frame_feed(&c->fr, buf, (size_t)n, on_frame, s);
	}
}

static void
accept_conns(struct syslog_server *s, struct sl_listener *l)
{
	for (;;) {
		struct sockaddr_storage sa;
		socklen_t sl = sizeof(sa);
		char peer[SL_ADDR];
		int fd = accept4(l->fd, (struct sockaddr *)&sa, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;	/* EAGAIN, or a connection reset before accept */
		if (s->nconns >= s->max_conns) {
			s->st.conns_refused++;
			close(fd);
			continue;
		}
		struct sl_conn *c = calloc(1, sizeof(*c));
		if (!c || syslog_frame_init(&c->fr, s->max_msg) != MAMORI_OK ||
		    (l->proto == SYSLOG_TLS && !(c->ssl = SSL_new(s->tls)))) {
			s->st.conns_refused++;
			if (c) {
				c->fd = fd;
				conn_free(c);
			} else {
				close(fd);
			}
			continue;
		}
		c->fd = fd;
		c->events = POLLIN;
		if (c->ssl) {
			SSL_set_fd(c->ssl, fd);
			SSL_set_accept_state(c->ssl);
		}
		c->since_ms = c->last_ms = monotime_ms();
		addr_name(&sa, peer, sizeof(peer));
		snprintf(c->name, sizeof(c->name), "syslog %s from %s", l->proto == SYSLOG_TLS ? "tls" : "tcp",
		    peer);
		c->src.name = c->name;
		decoder_ctx_init(&c->src.dc, s->year, s->month);
		s->conns[s->nconns++] = c;
		s->st.conns++;
	}
}

static void
read_udp(struct syslog_server *s, struct sl_listener *l)
{
	for (int k = 0; k < SYSLOG_UDP_BURST; k++) {
		ssize_t n = recv(l->fd, s->udpbuf, SL_UDP_MAX, MSG_TRUNC | MSG_DONTWAIT);
		if (n < 0)
			return;
		s->st.bytes += (uint64_t)n;
		if ((size_t)n > s->max_msg) {
			s->st.oversize++;
			continue;
		}
		message(s, &l->src, (struct span){ s->udpbuf, (size_t)n });
	}
}

size_t
syslog_server_max_fds(const struct syslog_server *s)
{
	return s->nl + s->max_conns;
}

size_t
syslog_server_pollfds(struct syslog_server *s, struct pollfd *pfd, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < s->nl && n < max; i++, n++)
		pfd[n] = (struct pollfd){ .fd = s->l[i].fd, .events = POLLIN };
	for (size_t i = 0; i < s->nconns && n < max; i++, n++)
		pfd[n] = (struct pollfd){ .fd = s->conns[i]->fd, .events = s->conns[i]->events };
	return n;
}

static void
compact(struct syslog_server *s)
{
	size_t k = 0;
	for (size_t i = 0; i < s->nconns; i++) {
		if (s->conns[i]->closing)
			conn_free(s->conns[i]);
		else
			s->conns[k++] = s->conns[i];
	}
	s->nconns = k;
}

void
syslog_server_handle(struct syslog_server *s, const struct pollfd *pfd, size_t n)
{
	size_t nc = s->nconns;	/* accepted below are not in pfd yet */
	for (size_t i = 0; i < n; i++) {
		if (!pfd[i].revents)
			continue;
		if (i < s->nl) {
			struct sl_listener *l = &s->l[i];
			if (l->proto == SYSLOG_UDP)
				read_udp(s, l);
			else
				accept_conns(s, l);
		} else if (i - s->nl < nc) {
			struct sl_conn *c = s->conns[i - s->nl];
			if (pfd[i].revents & (POLLIN | POLLOUT | POLLHUP | POLLERR))
				conn_read(s, c);
		}
	}
	compact(s);
}

void
syslog_server_tick(struct syslog_server *s)
{
	int64_t now = monotime_ms();
	for (size_t i = 0; i < s->nconns; i++) {
		struct sl_conn *c = s->conns[i];
		if (c->ssl && !c->got_data && !SSL_is_init_finished(c->ssl) &&
		    now - c->since_ms > SL_HANDSHAKE_MS) {
			s->st.tls_failures++;
			conn_close(s, c);
		} else if (now - c->last_ms > (int64_t)s->idle_s * 1000) {
			s->st.conns_idle_closed++;
			conn_close(s, c);
		}
	}
	compact(s);
}

/* Binds "ADDR:PORT" (ADDR may be [v6] or empty for any). */
static int
bind_one(struct syslog_server *s, const struct syslog_listen *ls, struct sl_listener *l,
    char *err, size_t errsz)
{
	static const char *const pname[] = { "udp", "tcp", "tls" };
	char host[256], port[16];
	const char *colon = strrchr(ls->addr, ':');
	struct addrinfo hints = { 0 }, *ai = NULL;
	struct sockaddr_storage sa;
	socklen_t sl = sizeof(sa);
	int one = 1, rc = MAMORI_E_INVAL;

	l->fd = -1;
	l->proto = ls->proto;
	if (!colon || strlen(colon + 1) >= sizeof(port) || (size_t)(colon - ls->addr) >= sizeof(host)) {
		snprintf(err, errsz, "%s: give ADDRESS:PORT", ls->addr);
		return MAMORI_E_INVAL;
	}
	memcpy(host, ls->addr, (size_t)(colon - ls->addr));
	host[colon - ls->addr] = '\0';
	memcpy(port, colon + 1, strlen(colon + 1) + 1);
	if (host[0] == '[' && strlen(host) >= 2 && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host) - 2);
		host[strlen(host) - 2] = '\0';
	}
	hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
	hints.ai_socktype = ls->proto == SYSLOG_UDP ? SOCK_DGRAM : SOCK_STREAM;
	int g = getaddrinfo(host[0] ? host : NULL, port, &hints, &ai);
	if (g != 0) {
		snprintf(err, errsz, "%s: %s", ls->addr, gai_strerror(g));
		return MAMORI_E_INVAL;
	}
	l->fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (l->fd < 0)
		goto sys;
	setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ls->proto == SYSLOG_UDP) {
		int rcv = 4 * 1024 * 1024;	/* absorbs bursts; best effort */
		setsockopt(l->fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	}
	if (bind(l->fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
	    (ls->proto != SYSLOG_UDP && listen(l->fd, 128) != 0) ||
	    getsockname(l->fd, (struct sockaddr *)&sa, &sl) != 0)
		goto sys;
	char where[SL_ADDR];
	addr_name(&sa, where, sizeof(where));
	snprintf(l->name, sizeof(l->name), "%s %s", pname[ls->proto], where);
	l->src.name = l->name;
	decoder_ctx_init(&l->src.dc, s->year, s->month);
	rc = MAMORI_OK;
	goto out;
sys:
	snprintf(err, errsz, "%s %s: %s", pname[ls->proto], ls->addr, strerror(errno));
	rc = MAMORI_E_IO;
out:
	freeaddrinfo(ai);
	return rc;
}

static int
tls_setup(struct syslog_server *s, const char *cert_pem, const char *key_pem, char *err, size_t errsz)
{
	BIO *b = NULL;
	X509 *x = NULL;
	EVP_PKEY *k = NULL;
	int rc = MAMORI_E_INVAL;

	if (!cert_pem || !key_pem) {
		snprintf(err, errsz, "TLS needs a certificate and key");
		return MAMORI_E_INVAL;
	}
	if (!(s->tls = SSL_CTX_new(TLS_server_method())))
		return MAMORI_E_NOMEM;
	SSL_CTX_set_min_proto_version(s->tls, TLS1_2_VERSION);
	/* no session tickets: senders keep one long connection, and a ticket
	 * written after the handshake fails when a sender closes early */
	SSL_CTX_set_num_tickets(s->tls, 0);
	if (!(b = BIO_new_mem_buf(cert_pem, -1)) || !(x = PEM_read_bio_X509(b, NULL, NULL, NULL)) ||
	    SSL_CTX_use_certificate(s->tls, x) != 1) {
		snprintf(err, errsz, "TLS certificate is not a PEM certificate");
		goto out;
	}
	X509 *extra;
	while ((extra = PEM_read_bio_X509(b, NULL, NULL, NULL)))
		if (SSL_CTX_add_extra_chain_cert(s->tls, extra) != 1)
			X509_free(extra);
	ERR_clear_error();
	BIO_free(b);
	if (!(b = BIO_new_mem_buf(key_pem, -1)) || !(k = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL)) ||
	    SSL_CTX_use_PrivateKey(s->tls, k) != 1 || SSL_CTX_check_private_key(s->tls) != 1) {
		snprintf(err, errsz, "TLS key is not a PEM key of the certificate");
		goto out;
	}
	rc = MAMORI_OK;
out:
	BIO_free(b);
	X509_free(x);
	EVP_PKEY_free(k);
	return rc;
}

int
syslog_server_new(const struct syslog_server_opts *o, int year, int month,
    struct syslog_server **out, char *err, size_t errsz)
{
	struct syslog_server *s = calloc(1, sizeof(*s));
	bool need_tls = false;
	int rc = MAMORI_E_NOMEM;

	*out = NULL;
	snprintf(err, errsz, "out of memory");
	if (!s)
		return MAMORI_E_NOMEM;
	s->max_conns = o->max_conns ? o->max_conns : 256;
	s->max_msg = o->max_msg ? o->max_msg : LOG_MAX_LINE;
	s->idle_s = o->idle_s > 0 ? o->idle_s : 600;
	s->year = year;
	s->month = month;
	s->on_line = o->on_line;
	s->on_notice = o->on_notice;
	s->arg = o->arg;
	if (!(s->conns = calloc(s->max_conns, sizeof(*s->conns))) || !(s->udpbuf = malloc(SL_UDP_MAX)))
		goto out;
	for (size_t i = 0; i < o->nlisten; i++)
		need_tls |= o->listen[i].proto == SYSLOG_TLS;
	if (need_tls && (rc = tls_setup(s, o->tls_cert_pem, o->tls_key_pem, err, errsz)) != MAMORI_OK)
		goto out;
	for (size_t i = 0; i < o->nlisten && i < SYSLOG_MAX_LISTEN; i++) {
		if ((rc = bind_one(s, &o->listen[i], &s->l[i], err, errsz)) != MAMORI_OK) {
			if (s->l[i].fd >= 0)
				close(s->l[i].fd);
			goto out;
		}
		s->nl++;
	}
	*out = s;
	s = NULL;
	rc = MAMORI_OK;
out:
	syslog_server_free(s);
	return rc;
}

void
syslog_server_close_all(struct syslog_server *s)
{
	for (size_t i = 0; i < s->nconns; i++)
		conn_close(s, s->conns[i]);
	compact(s);
}

void
syslog_server_free(struct syslog_server *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nconns; i++)
		conn_free(s->conns[i]);
	for (size_t i = 0; i < s->nl; i++)
		close(s->l[i].fd);
	SSL_CTX_free(s->tls);
	free(s->conns);
	free(s->udpbuf);
	free(s);
}

const char *
syslog_server_bound(const struct syslog_server *s, size_t i)
{
	return i < s->nl ? s->l[i].name : NULL;
}

void
syslog_server_stats(const struct syslog_server *s, struct syslog_server_stats *st)
{
	*st = s->st;
	for (size_t i = 0; i < s->nconns; i++) {
		if (s->conns[i]->closing)
			continue;
		st->oversize += s->conns[i]->fr.st.oversize;
		st->malformed += s->conns[i]->fr.st.malformed;
		st->bytes += s->conns[i]->fr.st.bytes;
	}
}
