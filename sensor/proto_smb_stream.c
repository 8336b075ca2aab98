/* proto_smb_stream.c - NetBIOS frames of one SMB direction across TCP
 * segments (see the header). */
#include "sensor/proto_smb_stream.h"

#include <stdlib.h>
#include <string.h>

#include "common/err.h"

#define SMB1_KEEP (4 + 32)
/* the shortest SMB1 frame: header, WordCount 0, ByteCount */
#define SMB1_MIN (4 + 32 + 1 + 2)
#define SMB2_LAST_COMMAND 0x12	/* OPLOCK_BREAK */
#define LOOK SMB_STREAM_LOOK
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

static uint32_t
rd16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t
rd32(const uint8_t *p)
{
	return rd16(p) | rd16(p + 2) << 16;
}

/* Whether an SMB frame can start at h, as far as its avail bytes show: a
 * NetBIOS session message of a length such a frame can have, an SMB magic,
 * and the header fields that magic fixes. */
static bool
start_ok(const uint8_t *h, size_t avail)
{
	if (avail == 0)
		return true;
	if (h[0] != 0x00)
		return false;
	if (avail < 4)
		return true;
	uint32_t flen = nb_len(h);
	if (flen < SMB1_MIN || flen > SMB_STREAM_FRAME_MAX)
		return false;
	if (avail < 8)
		return true;
	if (h[5] != 'S' || h[6] != 'M' || h[7] != 'B')
		return false;
	switch (h[4]) {
	case 0xff:	/* SMB1: header, WordCount, the words, ByteCount */
		return avail < 4 + 33 || SMB1_MIN + 2u * h[36] <= flen;
	case 0xfe: {	/* SMB2: StructureSize 64, a command, NextCommand inside */
		uint32_t next = avail >= 28 ? rd32(h + 24) : 0;
		return flen >= 4 + 64 + 2 && (avail < 10 || rd16(h + 8) == 64) &&
		    (avail < 18 || rd16(h + 16) <= SMB2_LAST_COMMAND) &&
		    (!next || (next % 8 == 0 && next >= 64 && next < flen - 4));
	}
	case 0xfd:	/* transform: the encrypted message fills the frame */
		return flen >= 4 + 52 + 64 && (avail < 44 || rd32(h + 40) == flen - 4 - 52) &&
		    (avail < 48 || rd16(h + 46) == 1);
	case 0xfc:	/* compression: a known algorithm, chained or not */
		return flen >= 4 + 16 && (avail < 16 || (rd16(h + 12) <= 5 && rd16(h + 14) <= 1));
	default:
		return false;
	}
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

/* Where the next frame starts is no longer known: scan for it. */
static void
lose(struct smb_stream *st, struct smb_stream_pool *pool, uint32_t window)
{
	forget(st);
	pool->skipped_bytes += st->tail_len;
	st->tail_len = 0;
	st->lost = true;
	st->unproven = 0;
	st->hunt = window;
}

/* Framing lost at a frame boundary: a resync the stream contradicts goes
 * on scanning with what is left of its window, else a new one. */
static void
lose_framing(struct smb_stream *st, struct smb_stream_pool *pool)
{
	if (st->unproven) {
		pool->false_syncs++;
		lose(st, pool, st->hunt);
	} else {
		pool->not_smb++;
		lose(st, pool, SMB_STREAM_HUNT_WINDOW);
	}
}

/* A gap of ahead bytes before this segment. Inside a frame whose length
 * is known, they are counted off it: the next frame still starts where
 * that length says. */
static void
gap(struct smb_stream *st, struct smb_stream_pool *pool, uint32_t ahead)
{
	uint32_t rest = 0;
	pool->gaps++;
	if (!st->lost) {
		if (st->skip)
			rest = st->skip;
		else if (st->want && st->frame_len)
			rest = st->frame_len - st->have;
	}
	forget(st);
	if (rest && ahead < rest)
		st->skip = rest - ahead;
	else if (!rest || ahead > rest)
		lose(st, pool, SMB_STREAM_HUNT_WINDOW);
	/* ahead == rest: the segment starts the next frame */
}

/* n more bytes of the window judged: counted when that uses it up */
static void
spend(struct smb_stream *st, struct smb_stream_pool *pool, size_t n)
{
	if (n && (st->hunt -= (uint32_t)n) == 0)
		pool->scan_exhausted++;
}

static void
resync(struct smb_stream *st, struct smb_stream_pool *pool, uint8_t unproven)
{
	pool->resynced++;
	st->lost = false;
	st->unproven = unproven;
}

/* At a frame boundary: false when no frame starts at h. After a resync,
 * frames must also look like SMB's until two have shown their magic. */
static bool
boundary_ok(struct smb_stream *st, const uint8_t *h, size_t avail)
{
	if (!nb_type_ok(h[0]))
		return false;
	if (!st->unproven)
		return true;
	if (!start_ok(h, avail))
		return false;
	if (avail >= 8)
		st->unproven--;
	return true;
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

/* Reads frames from *off while the framing is known: 0 when the segment is
 * used up, MAMORI_E_PARSE with *off where no frame starts. */
static int
parse(struct smb_stream *st, struct smb_stream_pool *pool, struct span seg, size_t *off,
    smb_stream_fn *each, void *ctx)
{
	const uint8_t *b = (const uint8_t *)seg.p;
	int rc = continue_frame(st, pool, seg, off, each, ctx);
	if (rc <= 0)
		return rc;
	size_t start = *off;
	while (seg.len - *off >= 4) {
		if (!boundary_ok(st, b + *off, seg.len - *off)) {
			if (*off > start)
				each(ctx, (struct span){ seg.p + start, *off - start });
			return MAMORI_E_PARSE;
		}
		uint32_t flen = nb_len(b + *off);
		if (flen > seg.len - *off)
			break;
		*off += flen;
	}
	bool in_place = false;
	if (*off < seg.len && !cut_frame(st, pool, b + *off, seg.len - *off, &in_place))
		lose(st, pool, SMB_STREAM_HUNT_WINDOW);	/* no room to learn its length */
	size_t end = in_place ? seg.len : *off;
	if (end > start)
		each(ctx, (struct span){ seg.p + start, end - start });
	*off = seg.len;
	return MAMORI_OK;
}

/* A frame start at h, judged on LOOK bytes (fewer where a segment start is
 * all that is checked): the frame's length, or 0. */
static uint32_t
candidate(const uint8_t *h, size_t avail)
{
	return avail >= 8 && h[0] == 0x00 && start_ok(h, avail) ? nb_len(h) : 0;
}

/* While lost, with bytes kept from the segments before: judges the frame
 * starts among them now that this segment follows. 1 when one is found
 * (read on from it: the segment continues its frame), 0 when none (the
 * tail is empty), -1 when the segment is too short to tell (it joined the
 * tail). */
static int
hunt_tail(struct smb_stream *st, struct smb_stream_pool *pool, struct span seg,
    smb_stream_fn *each, void *ctx)
{
	uint8_t w[2 * LOOK];
	size_t t = st->tail_len, add = seg.len < LOOK ? seg.len : LOOK, m = t + add, j = 0;
	size_t lim = t < st->hunt ? t : st->hunt;
	memcpy(w, st->tail, t);
	memcpy(w + t, seg.p, add);
	for (; j < lim && m - j >= LOOK; j++) {
		/* the frame must outlast the tail: the tail is read as its start */
		if (candidate(w + j, m - j) >= LOOK) {
			pool->skipped_bytes += j;
			spend(st, pool, j);
			resync(st, pool, 2);
			size_t o = 0;
			st->tail_len = 0;
			if (parse(st, pool, (struct span){ (const char *)w + j, t - j }, &o, each, ctx) < 0)
				lose_framing(st, pool);	/* not expected: the tail is inside the frame */
			return st->lost ? 0 : 1;
		}
	}
	spend(st, pool, j);
	if (j < t && st->hunt && m - j < LOOK) {
		pool->skipped_bytes += j;
		st->tail_len = (uint8_t)(m - j);
		memmove(st->tail, w + j, m - j);
		return -1;
	}
	pool->skipped_bytes += t;
	st->tail_len = 0;
	return 0;
}

/* While lost: looks for a frame start from *off. True with *off at it (or
 * the frame begun in the tail and read so far), false when the segment is
 * used up. Within the window every byte is judged; past it, only where a
 * segment starts. */
static bool
hunt(struct smb_stream *st, struct smb_stream_pool *pool, struct span seg, size_t *off,
    smb_stream_fn *each, void *ctx)
{
	const uint8_t *b = (const uint8_t *)seg.p;
	size_t len = seg.len, i = *off;
	if (st->tail_len) {
		int r = hunt_tail(st, pool, seg, each, ctx);
		if (r)
			return r > 0;
	}
	if (!st->hunt) {
		if (i == 0 && candidate(b, len)) {
			resync(st, pool, 2);
			return true;
		}
		pool->skipped_bytes += len - i;
		return false;
	}
	size_t end = len >= LOOK ? len - LOOK + 1 : 0;	/* judged now */
	bool out = end > i && end - i > st->hunt;
	if (out)
		end = i + st->hunt;
	while (i < end) {
		/* the magic's 'S' first: memchr is the fast part */
		const uint8_t *sp = memchr(b + i + 5, 'S', end - i);
		if (!sp)
			break;
		size_t at = (size_t)(sp - b) - 5;
		i = at + 1;
		uint32_t flen = candidate(b + at, len - at);
		if (!flen)
			continue;
		size_t next = at + flen;
		if (next + 8 <= len && !start_ok(b + next, len - next)) {
			pool->false_syncs++;	/* the frame after it says otherwise */
			continue;
		}
		pool->skipped_bytes += at - *off;
		spend(st, pool, at - *off);
		*off = at;
		resync(st, pool, next + 8 <= len ? 0 : 2);
		return true;
	}
	if (out) {
		pool->skipped_bytes += len - *off;
		spend(st, pool, st->hunt);
		return false;
	}
	size_t keep = end > *off ? end : *off;	/* not judged yet: the tail */
	spend(st, pool, keep - *off);
	pool->skipped_bytes += keep - *off;
	st->tail_len = (uint8_t)(len - keep);
	memcpy(st->tail, b + keep, len - keep);
	return false;
}

/* A new direction's first bytes: SMB framing, or lost. */
static bool
fresh_start(const uint8_t *b, size_t len)
{
	if (b[0] >= 0x81 && b[0] <= 0x85)
		return true;
	return b[0] == 0x00 && start_ok(b, len);
}

int
proto_smb_stream_feed(struct smb_stream *st, struct smb_stream_pool *pool, uint32_t seq,
    struct span seg, smb_stream_fn *each, void *ctx)
{
	size_t off = 0;
	int rc = MAMORI_OK;
	if (!pool->cap)
		pool->cap = SMB_STREAM_GLOBAL_CAP;
	if (seg.len == 0)
		return MAMORI_OK;
	if (!st->on) {
		st->on = true;
		if (!fresh_start((const uint8_t *)seg.p, seg.len)) {
			pool->not_smb++;
			lose(st, pool, SMB_STREAM_HUNT_WINDOW);
			rc = MAMORI_E_PARSE;
		}
	} else if (seq != st->next_seq) {
		uint32_t behind = st->next_seq - seq;
		if (behind < RETRANSMIT_WINDOW) {
			if (seg.len <= behind)
				return MAMORI_OK;	/* a retransmission */
			seg.p += behind;	/* overlaps: its new end only */
			seg.len -= behind;
			seq = st->next_seq;
		} else {
			gap(st, pool, seq - st->next_seq);
		}
	}
	st->next_seq = seq + (uint32_t)seg.len;
	while (off < seg.len) {
		if (st->lost && !hunt(st, pool, seg, &off, each, ctx))
			break;
		if (parse(st, pool, seg, &off, each, ctx) == 0)
			break;
		lose_framing(st, pool);
		rc = MAMORI_E_PARSE;
	}
	if (st->buf && !st->want)	/* nothing kept: give the memory back */
		free_buf(st, pool);
	return rc;
}
