/* proto_smb_stream.c - NetBIOS frames of one SMB direction across TCP
 * segments (see the header). */
#include "sensor/proto_smb_stream.h"

#include <stdlib.h>
#include <string.h>

#include "common/err.h"

#define SMB1_KEEP (4 + 32)
/* enough of a frame to tell what it is: NetBIOS header, SMB2 up to the command */
#define PEEK (4 + 14)	/* the NetBIOS header and SMB1's own: all smb1 reads */
/* a sequence number this far behind the expected one is a new stream, not
 * a retransmission */
#define RETRANSMIT_WINDOW (1u << 20)

static uint32_t
nb_len(const uint8_t *h)
{
	return 4 + ((uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3]);
}

/* 0x00 session message; 0x81..0x85 session request, answers, keep-alive */
static bool
nb_type_ok(uint8_t t)
{
	return t == 0x00 || (t >= 0x81 && t <= 0x85);
}

static uint32_t
min32(uint32_t a, size_t b)
{
	return b < a ? (uint32_t)b : a;
}

/* How much of a frame of flen bytes to keep, from its first avail bytes at
 * h: the commands the detectors read, whole up to the cap; 0 for what
 * nobody reads. What cannot be seen yet is kept. */
static uint32_t
keep_len(struct smb_stream_pool *pool, const uint8_t *h, size_t avail, uint32_t flen)
{
	if (h[0] != 0x00)
		return 0;
	if (avail < 8)
		return min32(SMB_STREAM_FLOW_CAP, flen);
	if (h[5] != 'S' || h[6] != 'M' || h[7] != 'B')
		return 0;
	if (h[4] == 0xff)
		return min32(SMB1_KEEP, flen);
	if (h[4] != 0xfe)
		return 0;	/* encrypted or compressed: nothing to read */
	if (avail >= 4 + 14) {
		unsigned cmd = (unsigned)h[16] | (unsigned)h[17] << 8;
		if (cmd != 3 && cmd != 5 && cmd != 17)	/* TREE_CONNECT, CREATE, SET_INFO */
			return 0;
	}
	if (flen > SMB_STREAM_FLOW_CAP)
		pool->over_flow_cap++;
	return min32(SMB_STREAM_FLOW_CAP, flen);
}

static void
forget(struct smb_stream *st)
{
	st->skip = st->want = st->have = st->frame_len = 0;
	st->peek = false;
}

static void
free_buf(struct smb_stream *st, struct smb_stream_pool *pool)
{
	if (st->buf) {
		free(st->buf);
		st->buf = NULL;
		pool->bytes -= SMB_STREAM_FLOW_CAP;
	}
}

void
proto_smb_stream_release(struct smb_stream *st, struct smb_stream_pool *pool)
{
	free_buf(st, pool);
	forget(st);
}

/* Continues the frame the last segment cut: 0 when the segment is used up,
 * 1 when bytes remain (at a frame boundary), MAMORI_E_PARSE. */
static int
continue_frame(struct smb_stream *st, struct smb_stream_pool *pool, struct span seg, size_t *off,
    smb_stream_fn *each, void *ctx)
{
	const uint8_t *b = (const uint8_t *)seg.p;
	for (;;) {
		size_t left = seg.len - *off;
		if (st->skip) {
			uint32_t n = min32(st->skip, left);
			st->skip -= n;
			*off += n;
			if (st->skip)
				return 0;
			continue;
		}
		if (!st->want)
			return left ? 1 : 0;
		uint32_t n = min32(st->want - st->have, left);
		memcpy(st->buf + st->have, b + *off, n);
		st->have += n;
		*off += n;
		if (st->have < st->want)
			return 0;
		if (st->peek) {	/* the headers were cut: now they are here */
			if (!st->frame_len) {
				if (!nb_type_ok(st->buf[0])) {
					forget(st);
					return MAMORI_E_PARSE;
				}
				st->frame_len = nb_len(st->buf);
				if (st->have < PEEK && st->frame_len > st->have) {
					st->want = min32(PEEK, st->frame_len);
					continue;
				}
			}
			st->peek = false;
			st->want = keep_len(pool, st->buf, st->have, st->frame_len);
			if (st->want <= st->have) {
				uint32_t keep = st->want;
				st->skip = st->frame_len - st->have;
				st->want = st->have = st->frame_len = 0;
				if (keep) {
					pool->reassembled++;
					each(ctx, (struct span){ (const char *)st->buf, keep });
				}
			}
			continue;
		}
		uint32_t keep = st->want;
		pool->reassembled++;
		st->skip = st->frame_len - st->want;
		st->want = st->have = st->frame_len = 0;
		each(ctx, (struct span){ (const char *)st->buf, keep });
	}
}

/* The frame the segment cuts at off: read in place (clipped) when what the
 * detectors need is there, else kept. False when it cannot be followed. */
static bool
cut_frame(struct smb_stream *st, struct smb_stream_pool *pool, const uint8_t *h, size_t avail,
    bool *in_place)
{
	uint32_t flen = 0, want = 4;
	bool decided = false;
	if (avail >= 4) {
		flen = nb_len(h);
		want = min32(PEEK, flen);
		if (avail >= PEEK || flen <= avail) {
			want = keep_len(pool, h, avail, flen);
			decided = true;
			if (want <= avail) {
				*in_place = true;
				st->skip = flen - (uint32_t)avail;
				return true;
			}
		}
	}
	/* too little to tell: take the headers first, then decide */
	st->peek = !decided;
	if (!st->buf) {
		if (pool->bytes + SMB_STREAM_FLOW_CAP > pool->cap || !(st->buf = malloc(SMB_STREAM_FLOW_CAP))) {
			pool->over_global_cap++;
			if (!flen)
				return false;
			st->skip = flen - (uint32_t)avail;	/* read clipped, as without the buffer */
			*in_place = true;
			return true;
		}
		pool->bytes += SMB_STREAM_FLOW_CAP;
	}
	memcpy(st->buf, h, avail);
	st->have = (uint32_t)avail;
	st->want = want;
	st->frame_len = flen;
	return true;
}

int
proto_smb_stream_feed(struct smb_stream *st, struct smb_stream_pool *pool, uint32_t seq,
    struct span seg, smb_stream_fn *each, void *ctx)
{
	const uint8_t *b = (const uint8_t *)seg.p;
	size_t off = 0;
	int rc = MAMORI_OK;
	if (!pool->cap)
		pool->cap = SMB_STREAM_GLOBAL_CAP;
	if (seg.len == 0)
		return MAMORI_OK;
	if (st->on && seq != st->next_seq) {
		uint32_t behind = st->next_seq - seq;
		if (behind < RETRANSMIT_WINDOW && seg.len <= behind)
			return MAMORI_OK;	/* a retransmission */
		pool->gaps++;
		forget(st);
	}
	st->on = true;
	st->next_seq = seq + (uint32_t)seg.len;
	rc = continue_frame(st, pool, seg, &off, each, ctx);
	if (rc <= 0) {
		if (rc < 0) {
			pool->not_smb++;
			st->on = false;
		}
		goto out;
	}
	size_t start = off;
	while (seg.len - off >= 4) {
		if (!nb_type_ok(b[off])) {
			pool->not_smb++;
			forget(st);
			st->on = false;
			each(ctx, (struct span){ seg.p + start, seg.len - start });
			rc = MAMORI_E_PARSE;
			goto out;
		}
		uint32_t flen = nb_len(b + off);
		if (flen > seg.len - off)
			break;
		off += flen;
	}
	bool in_place = false;
	if (off < seg.len && !cut_frame(st, pool, b + off, seg.len - off, &in_place))
		st->on = false;	/* lost the framing: the next segment starts afresh */
	size_t end = in_place ? seg.len : off;
	if (end > start)
		each(ctx, (struct span){ seg.p + start, end - start });
out:
	if (st->buf && !st->want)	/* nothing kept: give the memory back */
		free_buf(st, pool);
	return rc;
}
