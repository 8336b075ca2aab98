/*
 * syslog_server.h - a syslog receiver for appliances that can only send
 * syslog (VPN gateways, firewalls, NAS): UDP (one message per datagram),
 * TCP and TLS over TCP (RFC 5425) with RFC 6587 framing (syslog_frame.h).
 * Messages (RFC 3164 or 5424) go to the caller as lines, one log_source
 * per UDP listener and per connection, so the decoders read them like
 * lines of a file.
 *
 * Limits: max_conns TCP/TLS connections at a time (more are accepted and
 * closed at once, counted), max_msg bytes per message (longer ones are
 * dropped and counted), connections idle for idle_s seconds or without a
 * finished TLS handshake after 10 s are closed. A UDP flood is read at
 * most SYSLOG_UDP_BURST datagrams per wake-up so TCP senders are served
 * too; what the kernel drops beyond its buffer is not seen here.
 */
#ifndef MAMORI_AGENT_SYSLOG_SERVER_H
#define MAMORI_AGENT_SYSLOG_SERVER_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/log_source.h"

#define SYSLOG_MAX_LISTEN 8
#define SYSLOG_UDP_BURST 256

enum syslog_proto { SYSLOG_UDP, SYSLOG_TCP, SYSLOG_TLS };

struct syslog_listen {
	enum syslog_proto proto;
	const char *addr;	/* "ADDR:PORT", "[V6]:PORT"; port 0 = any free port */
};

struct syslog_server_opts {
	struct syslog_listen listen[SYSLOG_MAX_LISTEN];
	size_t nlisten;
	const char *tls_cert_pem, *tls_key_pem;	/* needed for SYSLOG_TLS */
	size_t max_conns;	/* 0 = 256 */
	size_t max_msg;		/* 0 = LOG_MAX_LINE */
	int idle_s;		/* 0 = 600 */
	log_line_fn on_line;
	log_notice_fn on_notice;
	void *arg;
};

struct syslog_server_stats {
	uint64_t messages, bytes;
	uint64_t oversize, malformed;	/* dropped */
	uint64_t conns, conns_refused, conns_idle_closed, tls_failures;
};

struct syslog_server;

/* Binds every listener; err says which one failed. */
int syslog_server_new(const struct syslog_server_opts *o, int year, int month,
    struct syslog_server **out, char *err, size_t errsz);
void syslog_server_free(struct syslog_server *s);
/* "udp 127.0.0.1:5514" of listener i after binding (the real port), or NULL. */
const char *syslog_server_bound(const struct syslog_server *s, size_t i);
/* How many descriptors syslog_server_pollfds may fill. */
size_t syslog_server_max_fds(const struct syslog_server *s);
/* Descriptors to poll: fills at most max, returns how many. */
size_t syslog_server_pollfds(struct syslog_server *s, struct pollfd *pfd, size_t max);
/* After poll(): handles what those descriptors reported. */
void syslog_server_handle(struct syslog_server *s, const struct pollfd *pfd, size_t n);
/* At the end: closes every connection (a last unterminated message is handed out). */
void syslog_server_close_all(struct syslog_server *s);
/* Closes idle connections; call on a timer. */
void syslog_server_tick(struct syslog_server *s);
void syslog_server_stats(const struct syslog_server *s, struct syslog_server_stats *st);

#endif
