/* defrag.c - fragments into datagrams: an 8-byte-unit bitmap per datagram
 * says which bytes are there (first received wins), one growing buffer
 * holds them. */
#include "sensor/defrag.h"

#include <stdlib.h>
#include <string.h>

#include "common/err.h"

#define UNITS ((DEFRAG_MAX_LEN + 7) / 8 + 1)

struct defrag_dgram {
	struct ip_addr src, dst;
	uint32_t id;
	uint8_t ip_ver, proto;
	uint8_t hdr[60];		/* first fragment's IPv4 header */
	uint8_t hlen;			/* 0 until the first fragment came */
	uint8_t ttl;
	bool have_last;
	uint16_t nfrags;
	uint32_t total;			/* payload length, known from the last fragment */
	uint32_t units_set;
	int64_t first_us;
	uint8_t *buf;
	uint32_t cap;
	uint8_t seen[UNITS / 8 + 1];	/* bit per 8-byte unit received */
};

int
defrag_init(struct defrag *df, defrag_drop_fn on_drop, void *ud)
{
	memset(df, 0, sizeof(*df));
	df->on_drop = on_drop;
	df->ud = ud;
	df->out = malloc(DEFRAG_OUT_MAX);
	return df->out ? MAMORI_OK : MAMORI_E_NOMEM;
}

static void
dgram_remove(struct defrag *df, size_t i)
{
	struct defrag_dgram *d = df->d[i];
	df->bytes -= d->cap;
	free(d->buf);
	free(d);
	df->d[i] = df->d[--df->n];
}

static void
drop(struct defrag *df, size_t i, enum anomaly why, int64_t now_us)
{
	df->dropped++;
	if (df->on_drop)
		df->on_drop(df->ud, df->d[i], why, now_us);
	dgram_remove(df, i);
}

void
defrag_free(struct defrag *df)
{
	while (df->n)
		dgram_remove(df, df->n - 1);
	free(df->out);
	df->out = NULL;
}

void
defrag_dgram_addrs(const struct defrag_dgram *d, struct ip_addr *src, struct ip_addr *dst,
    uint8_t *ip_ver)
{
	*src = d->src;
	*dst = d->dst;
	*ip_ver = d->ip_ver;
}

void
defrag_expire(struct defrag *df, int64_t now_us)
{
	for (size_t i = 0; i < df->n;) {
		if (now_us - df->d[i]->first_us > DEFRAG_TIMEOUT_US)
			drop(df, i, ANOM_DEFRAG_TIMEOUT, now_us);
		else
			i++;
	}
}

static struct defrag_dgram *
find(struct defrag *df, const struct pkt *p, size_t *idx)
{
	for (size_t i = 0; i < df->n; i++) {
		struct defrag_dgram *d = df->d[i];
		if (d->id == p->frag_id && d->ip_ver == p->ip_ver && d->proto == p->ip_proto &&
		    memcmp(d->src.b, p->src.b, 16) == 0 && memcmp(d->dst.b, p->dst.b, 16) == 0) {
			*idx = i;
			return d;
		}
	}
	return NULL;
}

static struct defrag_dgram *
create(struct defrag *df, const struct pkt *p, size_t *idx)
{
	if (df->n == DEFRAG_MAX_DGRAMS) {
		/* make room: the oldest goes */
		size_t old = 0;
		for (size_t i = 1; i < df->n; i++)
			if (df->d[i]->first_us < df->d[old]->first_us)
				old = i;
		drop(df, old, ANOM_DEFRAG_TOO_MANY, p->ts_us);
	}
	struct defrag_dgram *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->src = p->src;
	d->dst = p->dst;
	d->id = p->frag_id;
	d->ip_ver = p->ip_ver;
	d->proto = p->ip_proto;
	d->first_us = p->ts_us;
	*idx = df->n;
	df->d[df->n++] = d;
	return d;
}

static int
reserve(struct defrag *df, struct defrag_dgram *d, uint32_t end)
{
	if (end <= d->cap)
		return MAMORI_OK;
	uint32_t ncap = d->cap ? d->cap : 2048;
	while (ncap < end)
		ncap *= 2;
	if (ncap > DEFRAG_MAX_LEN)
		ncap = DEFRAG_MAX_LEN;
	if (df->bytes - d->cap + ncap > DEFRAG_MAX_BYTES)
		return MAMORI_E_LIMIT;
	uint8_t *nb = realloc(d->buf, ncap);
	if (!nb)
		return MAMORI_E_NOMEM;
	df->bytes = df->bytes - d->cap + ncap;
	d->buf = nb;
	d->cap = ncap;
	return MAMORI_OK;
}

/* The whole datagram into df->out; returns its length. */
static size_t
assemble(struct defrag *df, const struct defrag_dgram *d)
{
	uint8_t *o = df->out;
	size_t h;
	if (d->ip_ver == 4) {
		h = d->hlen;
		memcpy(o, d->hdr, h);
		size_t tot = h + d->total;
		o[2] = (uint8_t)(tot >> 8);
		o[3] = (uint8_t)tot;
		o[6] = o[7] = 0;	/* no more fragments, offset 0 */
	} else {
		h = 40;
		memset(o, 0, 40);
		o[0] = 0x60;
		o[4] = (uint8_t)(d->total >> 8);
		o[5] = (uint8_t)d->total;
		o[6] = d->proto;
		o[7] = d->ttl;
		memcpy(o + 8, d->src.b, 16);
		memcpy(o + 24, d->dst.b, 16);
	}
	if (d->total)
		memcpy(o + h, d->buf, d->total);
	return h + d->total;
}

size_t
defrag_packet(struct defrag *df, const struct pkt *p, enum anomaly *anom)
{
	size_t idx;
	*anom = ANOM_NONE;
	uint32_t off = p->frag_offset;
	uint32_t len = (uint32_t)p->frag_data.len;
	uint32_t end = off + len;
	if (end > DEFRAG_MAX_LEN) {
		*anom = p->ip_ver == 4 ? ANOM_DEFRAG_V4_TOO_LARGE : ANOM_DEFRAG_V6_TOO_LARGE;
		return 0;
	}
	struct defrag_dgram *d = find(df, p, &idx);
	if (!d && !(d = create(df, p, &idx)))
		return 0;
	if (++d->nfrags > DEFRAG_MAX_FRAGS) {
		*anom = ANOM_DEFRAG_TOO_MANY;
		dgram_remove(df, idx);
		df->dropped++;
		return 0;
	}
	if (!p->frag_more) {
		if (d->have_last && d->total != end) {
			*anom = p->ip_ver == 4 ? ANOM_DEFRAG_V4_OVERLAP : ANOM_DEFRAG_V6_OVERLAP;
			return 0;	/* a second, different end: keep the first */
		}
		d->have_last = true;
		d->total = end;
	} else if (len % 8 != 0 || (d->have_last && end > d->total)) {
		/* only the last fragment may end off an 8-byte boundary or go
		 * no further than the end the last one set */
		*anom = p->ip_ver == 4 ? ANOM_DEFRAG_V4_OVERLAP : ANOM_DEFRAG_V6_OVERLAP;
		return 0;
	}
	if (off == 0 && d->hlen == 0) {
		if (p->ip_ver == 4) {
			size_t hl = (size_t)(p->data[p->l3_off] & 0x0f) * 4;
			memcpy(d->hdr, p->data + p->l3_off, hl);
			d->hlen = (uint8_t)hl;
		} else {
			d->hlen = 40;
		}
		d->ttl = p->ttl;
	}
	if (len && reserve(df, d, end) != 0) {
		*anom = ANOM_DEFRAG_TOO_MANY;
		dgram_remove(df, idx);
		df->dropped++;
		return 0;
	}
	bool overlap = false;
	for (uint32_t u = off / 8; u * 8 < end; u++) {
		uint32_t a = u * 8, b = a + 8 < end ? a + 8 : end;
		if (d->seen[u / 8] & (1u << (u % 8))) {
			overlap = true;	/* first received wins: keep what is there */
			continue;
		}
		memcpy(d->buf + a, p->frag_data.p + (a - off), b - a);
		d->seen[u / 8] |= (uint8_t)(1u << (u % 8));
		d->units_set++;
	}
	if (overlap) {
		*anom = p->ip_ver == 4 ? ANOM_DEFRAG_V4_OVERLAP : ANOM_DEFRAG_V6_OVERLAP;
		if (p->ip_ver == 6) {
			dgram_remove(df, idx);
			df->dropped++;
			return 0;
		}
	}
	if (!d->have_last || d->hlen == 0 || d->units_set < (d->total + 7) / 8)
		return 0;
	size_t n = assemble(df, d);
	dgram_remove(df, idx);
	df->reassembled++;
	return n;
}
