/* proto_tls_stream.c - in-order TLS handshake bytes across TCP segments. */
#include "sensor/proto_tls_stream.h"

#include <stdlib.h>
#include <string.h>

#include "common/err.h"

#define FIRST_ALLOC 4096
#define CT_HANDSHAKE 22

static int
end(struct tls_stream *st, int rc)
{
	st->state = TLS_STREAM_ENDED;
	return rc;
}

/* Room for n more bytes, growing by doubling within both caps. */
static int
reserve(struct tls_stream *st, struct tls_stream_pool *pool, size_t n)
{
	size_t want = (size_t)st->len + n;
	if (want <= st->cap)
		return MAMORI_OK;
	if (want > TLS_STREAM_FLOW_CAP) {
		pool->over_flow_cap++;
		return MAMORI_E_LIMIT;
	}
	size_t ncap = st->cap ? (size_t)st->cap * 2 : FIRST_ALLOC;
	while (ncap < want)
		ncap *= 2;
	if (ncap > TLS_STREAM_FLOW_CAP)
		ncap = TLS_STREAM_FLOW_CAP;
	size_t gcap = pool->cap ? pool->cap : TLS_STREAM_GLOBAL_CAP;
	if (pool->bytes - st->cap + ncap > gcap) {
		pool->over_global_cap++;
		return MAMORI_E_LIMIT;
	}
	uint8_t *nb = realloc(st->buf, ncap);
	if (!nb)
		return MAMORI_E_NOMEM;
	pool->bytes = pool->bytes - st->cap + ncap;
	st->buf = nb;
	st->cap = (uint32_t)ncap;
	return MAMORI_OK;
}

int
proto_tls_stream_feed(struct tls_stream *st, struct tls_stream_pool *pool, uint32_t seq,
    struct span data)
{
	if (st->state == TLS_STREAM_ENDED)
		return MAMORI_E_PARSE;
	if (st->state == TLS_STREAM_OFF) {
		st->state = TLS_STREAM_ON;
		st->next_seq = seq;
		pool->started++;
	}
	/* sequence numbers wrap: compare by signed distance */
	int32_t d = (int32_t)(seq - st->next_seq);
	if (d > 0) {
		if (++st->ahead <= TLS_STREAM_MAX_AHEAD) {
			pool->skipped_ahead++;
			return MAMORI_OK;
		}
		pool->gaps++;
		return end(st, MAMORI_E_PARSE);
	}
	size_t skip = (size_t)-(int64_t)d;
	if (skip >= data.len)
		return MAMORI_OK;	/* all seen before */
	const uint8_t *p = (const uint8_t *)data.p + skip;
	size_t n = data.len - skip;
	st->next_seq += (uint32_t)n;
	while (n) {
		if (st->rec_left == 0) {
			size_t h = 5 - st->hdr_have;
			if (h > n)
				h = n;
			memcpy(st->hdr + st->hdr_have, p, h);
			st->hdr_have = (uint8_t)(st->hdr_have + h);
			p += h;
			n -= h;
			if (st->hdr_have < 5)
				break;
			st->hdr_have = 0;
			if (st->hdr[0] != CT_HANDSHAKE || st->hdr[1] != 3) {
				pool->not_handshake++;
				return end(st, MAMORI_E_PARSE);
			}
			st->rec_left = (uint16_t)(st->hdr[3] << 8 | st->hdr[4]);
			continue;
		}
		size_t take = st->rec_left < n ? st->rec_left : n;
		int rc = reserve(st, pool, take);
		if (rc != 0)
			return end(st, rc);
		memcpy(st->buf + st->len, p, take);
		st->len += (uint32_t)take;
		st->rec_left = (uint16_t)(st->rec_left - take);
		p += take;
		n -= take;
	}
	return MAMORI_OK;
}

int
proto_tls_stream_msg(const struct tls_stream *st, uint32_t off, uint8_t *type, struct span *msg)
{
	if (off + 4 > st->len || off + 4 < off)
		return MAMORI_E_NOTFOUND;
	const uint8_t *b = st->buf + off;
	size_t need = 4 + ((size_t)b[1] << 16 | (size_t)b[2] << 8 | b[3]);
	size_t have = st->len - off;
	*type = b[0];
	msg->p = (const char *)b;
	msg->len = have < need ? have : need;
	return have < need ? MAMORI_E_LIMIT : MAMORI_OK;
}

void
proto_tls_stream_release(struct tls_stream *st, struct tls_stream_pool *pool)
{
	pool->bytes -= st->cap;
	free(st->buf);
	st->buf = NULL;
	st->len = st->cap = 0;
	st->state = TLS_STREAM_ENDED;
}
