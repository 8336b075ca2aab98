/* sensor_tls.c - hellos, certificates and the handshake buffers of flows. */
#include "sensor/sensor_tls.h"

#include <stdlib.h>

#include "common/err.h"
#include "sensor/eve_event.h"
#include "sensor/proto_x509.h"
#include "sensor/sensor.h"

/* A segment captured ahead of the one a hello starts in: the server's data
 * before its ServerHello was read, after the client's hello; or the
 * client's first data past its first byte (known from its SYN) before
 * that byte came, the rest of a ClientHello cut in two. */
static bool
early(const struct flow *f, bool to_server, const struct pkt *p)
{
	if (to_server) {
		uint32_t ahead = p->tcp_seq - (f->isn_ts + 1);
		return !(f->done & FLOW_DONE_TLS_CH) && f->syn_seen && !f->data_ts &&
		    ahead > 0 && ahead < TLS_STREAM_FLOW_CAP &&
		    (!f->tls || f->tls->dir[0].state == TLS_STREAM_OFF);
	}
	return (f->done & (FLOW_DONE_TLS_CH | FLOW_DONE_TLS_SH)) == FLOW_DONE_TLS_CH &&
	    (!f->tls || f->tls->dir[1].state == TLS_STREAM_OFF);
}

bool
sensor_tls_wants(const struct flow *f, bool to_server, const struct pkt *p)
{
	if (f->tls && f->tls->dir[to_server ? 0 : 1].state == TLS_STREAM_ON)
		return true;
	return proto_tls_is_handshake(p->payload) || early(f, to_server, p);
}

/* A parsed (or failed) hello: event and indicators. False when the flow's
 * TLS is not worth reading further. */
static bool
hello(struct sensor *s, struct flow *f, const struct pkt *p, bool to_server, int rc,
    const struct tls_hello *h)
{
	f->done |= to_server ? FLOW_DONE_TLS_CH : FLOW_DONE_TLS_SH;
	if (rc != 0 || h->client != to_server) {
		sensor_anomaly(s, p, ANOM_TLS_MALFORMED, f);
		return false;
	}
	if (f->app != APP_RDP)	/* RDP continues in TLS: keep what it is */
		f->app = APP_TLS;
	s->st.tls++;
	eve_event_tls(&s->eve, f, p, h);
	if (h->client) {
		if (h->sni[0])
			detect_ioc_domain(s, f, p, span_from_cstr(h->sni), "TLS SNI");
		detect_ioc_ja3(s, f, p, h);
		detect_c2_tls(s, f, p, h);
		return false;
	}
	if (f->tls)
		f->tls->version = h->version;
	/* TLS 1.3 encrypts the certificate */
	return h->version >= 0x0300 && h->version < 0x0304;
}

static void
certificate(struct sensor *s, struct flow *f, const struct pkt *p, struct span der)
{
	struct x509_info x;
	if (proto_x509_parse(der, &x, &s->digests) != 0) {
		sensor_anomaly(s, p, ANOM_TLS_BAD_CERT, f);
		return;
	}
	s->st.tls_certs++;
	eve_event_tls_cert(&s->eve, f, p, f->tls ? f->tls->version : 0, &x);
	detect_ioc_cert(s, f, p, &x);
}

/* Handles the buffered messages; false when the buffer is no longer needed. */
static bool
messages(struct sensor *s, struct flow *f, const struct pkt *p, bool to_server,
    struct tls_stream *st)
{
	uint8_t bit = to_server ? FLOW_DONE_TLS_CH : FLOW_DONE_TLS_SH;
	for (;;) {
		uint8_t type;
		struct span m;
		int rc = proto_tls_stream_msg(st, st->used, &type, &m);
		if (rc == MAMORI_E_NOTFOUND)
			return st->state == TLS_STREAM_ON;
		if (type == TLS_HS_CLIENT_HELLO || type == TLS_HS_SERVER_HELLO) {
			if (rc == MAMORI_E_LIMIT)
				return st->state == TLS_STREAM_ON;
			st->used += (uint32_t)m.len;
			if (f->done & bit)
				continue;	/* read from the segment already */
			struct tls_hello h;
			int hrc = proto_tls_parse_hello_msg(m, &h, &s->digests);
			if (!hello(s, f, p, to_server, hrc, &h))
				return false;
			continue;
		}
		if (type == TLS_HS_CERTIFICATE && !to_server) {
			struct span der;
			int crc = proto_tls_leaf_cert(m, &der);
			if (crc == MAMORI_E_LIMIT && rc == MAMORI_E_LIMIT && st->state == TLS_STREAM_ON)
				return true;	/* the leaf continues in the next segment */
			if (crc == 0)
				certificate(s, f, p, der);
			else if (crc != MAMORI_E_LIMIT || rc == 0)
				sensor_anomaly(s, p, ANOM_TLS_BAD_CERT, f);
			/* else the buffer ended (gap, cap) before the leaf did: counted there */
			return false;
		}
		return false;	/* past the part of the handshake we read */
	}
}

void
sensor_tls_segment(struct sensor *s, struct flow *f, const struct pkt *p, bool to_server)
{
	int d = to_server ? 0 : 1;
	uint8_t bit = to_server ? FLOW_DONE_TLS_CH : FLOW_DONE_TLS_SH;
	struct tls_stream *st = f->tls ? &f->tls->dir[d] : NULL;
	if (!st || st->state == TLS_STREAM_OFF) {
		if (f->done & bit)
			return;
		if (!proto_tls_is_handshake(p->payload)) {
			if (!early(f, to_server, p))
				return;
			if (!f->tls && !(f->tls = calloc(1, sizeof(*f->tls)))) {
				s->tls_pool.hold_dropped++;
				return;
			}
			proto_tls_stream_hold_early(&f->tls->dir[d], &s->tls_pool, p->tcp_seq, p->payload);
			return;
		}
		/* the common case: the whole hello in this segment, no copy */
		struct tls_hello h;
		int rc = proto_tls_parse_hello(p->payload, &h, &s->digests);
		if (rc != MAMORI_E_LIMIT && !hello(s, f, p, to_server, rc, &h)) {
			if (st && st->nheld)	/* held early, not needed now */
				proto_tls_stream_release(st, &s->tls_pool);
			return;
		}
		/* a hello cut by the segment, or a ServerHello whose certificate
		 * follows: buffer this direction */
		if (!f->tls && !(f->tls = calloc(1, sizeof(*f->tls)))) {
			s->tls_pool.over_global_cap++;
			return;
		}
		if (rc == 0)
			f->tls->version = h.version;
		st = &f->tls->dir[d];
	} else if (st->state != TLS_STREAM_ON) {
		return;
	}
	proto_tls_stream_feed(st, &s->tls_pool, p->tcp_seq, p->payload);
	if (!messages(s, f, p, to_server, st) || st->state != TLS_STREAM_ON)
		proto_tls_stream_release(st, &s->tls_pool);
}

void
sensor_tls_flow_end(struct sensor *s, struct flow *f)
{
	if (!f->tls)
		return;
	for (int d = 0; d < 2; d++)
		if (f->tls->dir[d].buf || f->tls->dir[d].nheld)
			proto_tls_stream_release(&f->tls->dir[d], &s->tls_pool);
	free(f->tls);
	f->tls = NULL;
}
