/* proto_tls_stream.c - TLS handshake bytes across TCP segments, put in
 * order from a few held out-of-order segments. */
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

/* Room for n more bytes, growing by doubling within both caps (the held
 * segments count against the per-flow cap). */
static int
reserve(struct tls_stream *st, struct tls_stream_pool *pool, size_t n)
{
	size_t want = (size_t)st->len + n;
	if (want <= st->cap)
		return MAMORI_OK;
	size_t fcap = TLS_STREAM_FLOW_CAP - st->held_bytes;
	if (want > fcap) {
		pool->over_flow_cap++;
		return MAMORI_E_LIMIT;
	}
	size_t ncap = st->cap ? (size_t)st->cap * 2 : FIRST_ALLOC;
	while (ncap < want)
		ncap *= 2;
	if (ncap > fcap)
		ncap = fcap;
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

/* Appends the bytes of a segment that starts at or before next_seq. */
static int
take(struct tls_stream *st, struct tls_stream_pool *pool, uint32_t seq, struct span data)
{
	size_t skip = (size_t)-(int64_t)(int32_t)(seq - st->next_seq);
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
		size_t k = st->rec_left < n ? st->rec_left : n;
		int rc = reserve(st, pool, k);
		if (rc != 0)
			return end(st, rc);
		memcpy(st->buf + st->len, p, k);
		st->len += (uint32_t)k;
		st->rec_left = (uint16_t)(st->rec_left - k);
		p += k;
		n -= k;
	}
	return MAMORI_OK;
}

/* Keeps a copy of a segment past the gap, within the hold and both caps. */
static int
hold(struct tls_stream *st, struct tls_stream_pool *pool, uint32_t seq, struct span data)
{
	for (unsigned i = 0; i < st->nheld; i++)
		if (st->held[i].seq == seq && st->held[i].len >= data.len)
			return MAMORI_OK;	/* a held segment sent again */
	size_t gcap = pool->cap ? pool->cap : TLS_STREAM_GLOBAL_CAP;
	if (data.len == 0)
		return MAMORI_OK;
	if (st->nheld == TLS_STREAM_HOLD ||
	    (size_t)st->cap + st->held_bytes + data.len > TLS_STREAM_FLOW_CAP ||
	    pool->bytes + data.len > gcap) {
		pool->hold_dropped++;
		return MAMORI_E_LIMIT;
	}
	uint8_t *copy = malloc(data.len);
	if (!copy) {
		pool->hold_dropped++;
		return MAMORI_E_LIMIT;
	}
	memcpy(copy, data.p, data.len);
	st->held[st->nheld++] = (struct tls_held){ copy, seq, (uint32_t)data.len };
	st->held_bytes += (uint32_t)data.len;
	pool->bytes += data.len;
	pool->held++;
	return MAMORI_OK;
}

/* Takes held segment i out of the hold; the caller frees its data. */
static struct tls_held
unhold(struct tls_stream *st, struct tls_stream_pool *pool, unsigned i)
{
	struct tls_held h = st->held[i];
	st->held[i] = st->held[--st->nheld];
	st->held_bytes -= h.len;
	pool->bytes -= h.len;
	return h;
}

int
proto_tls_stream_hold_early(struct tls_stream *st, struct tls_stream_pool *pool, uint32_t seq,
    struct span data)
{
	if (st->state != TLS_STREAM_OFF) {
		pool->hold_dropped++;
		return MAMORI_E_LIMIT;
	}
	return hold(st, pool, seq, data);
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
	if ((int32_t)(seq - st->next_seq) > 0) {
		if (hold(st, pool, seq, data) == 0)
			return MAMORI_OK;
		pool->gaps++;
		return end(st, MAMORI_E_PARSE);
	}
	int rc = take(st, pool, seq, data);
	/* held segments the gap before them no longer separates */
	while (rc == 0 && st->nheld) {
		unsigned i = 0;
		while (i < st->nheld && (int32_t)(st->held[i].seq - st->next_seq) > 0)
			i++;
		if (i == st->nheld)
			break;
		struct tls_held h = unhold(st, pool, i);
		uint32_t before = st->next_seq;
		rc = take(st, pool, h.seq, (struct span){ (const char *)h.data, h.len });
		if (st->next_seq != before)
			pool->reordered++;
		else
			pool->hold_unused++;
		free(h.data);
	}
	return rc;
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
	while (st->nheld) {
		struct tls_held h = unhold(st, pool, 0);
		pool->hold_unused++;
		free(h.data);
	}
	st->len = st->cap = 0;
	st->state = TLS_STREAM_ENDED;
}
