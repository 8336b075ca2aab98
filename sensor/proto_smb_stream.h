/*
 * proto_smb_stream.h - one direction of an SMB session cut into NetBIOS
 * frames across TCP segments, for the commands the detectors read (CREATE,
 * TREE_CONNECT, SET_INFO, SMB1 headers) when a segment boundary cuts them.
 *
 * A segment is split into the frames it completes: a frame whose start
 * came in earlier segments is returned from a small buffer once complete,
 * and the frames that begin and end inside the segment are returned in
 * place (no copy). A frame the segment cuts is kept for the next one: at
 * most SMB_STREAM_FLOW_CAP bytes of it (the header and the request body);
 * the rest, and every byte of frames whose SMB2 header shows a command
 * nobody reads (READ, WRITE, IOCTL ...), is skipped by count, so a file
 * copy costs no copying. Bytes go in sequence order: a retransmission is
 * ignored (the new end of an overlapping one is read). A gap (loss or
 * reordering) drops what was kept and is counted; inside a frame whose
 * length is known the missing bytes are counted off it, else the stream
 * is lost: the bytes after the gap are scanned (SMB_STREAM_HUNT_WINDOW of
 * them; past that, only where segments start) for a NetBIOS header of an
 * SMB frame's length followed by an SMB magic and a header that fits it,
 * and read on from there. A candidate the frame after it contradicts is
 * passed over; until two frames have agreed, frame starts are checked as
 * strictly, so a false resync costs at most one frame's bytes (that frame
 * is handed over before the next can contradict it, unless both are in
 * one segment). A new direction whose first bytes are no frame's is
 * scanned the same way. All buffers share SMB_STREAM_GLOBAL_CAP; every
 * cap met is counted in the pool.
 */
#ifndef MAMORI_SENSOR_PROTO_SMB_STREAM_H
#define MAMORI_SENSOR_PROTO_SMB_STREAM_H

#include <stdbool.h>
#include <stdint.h>

#include "common/span.h"

/* A CREATE with a 255-unit name and its create contexts is under 1.5 KiB. */
#define SMB_STREAM_FLOW_CAP 2048
/* All flows together: 1024 directions keeping a frame. */
#define SMB_STREAM_GLOBAL_CAP (2 * 1024 * 1024)
/* Bytes scanned for a frame start after a gap, per direction. */
#define SMB_STREAM_HUNT_WINDOW (64 * 1024)
/* The longest frame a resync believes: SMB 3's largest READ/WRITE (8 MiB)
 * with its headers. */
#define SMB_STREAM_FRAME_MAX (8 * 1024 * 1024 + 4096)
/* Bytes a frame start is judged on (up to a transform header's flags). */
#define SMB_STREAM_LOOK 48

struct smb_stream_pool {
	size_t bytes;			/* buffer memory held now */
	size_t cap;			/* SMB_STREAM_GLOBAL_CAP unless set */
	/* frames completed from the buffer; gaps met; frames longer than the
	 * flow cap (read cut); frames not kept for the global cap; segments
	 * whose start was not SMB's framing (framing lost in sync) */
	uint64_t reassembled, gaps, over_flow_cap, over_global_cap, not_smb;
	/* resumed at a frame start found by the scan; bytes passed over while
	 * lost; candidates the next frame contradicted; scans that used up
	 * the window */
	uint64_t resynced, skipped_bytes, false_syncs, scan_exhausted;
};

struct smb_stream {
	uint8_t *buf;			/* SMB_STREAM_FLOW_CAP bytes, malloc, while used */
	uint32_t next_seq;		/* TCP sequence number of the next byte */
	uint32_t skip;			/* bytes of the current frame still to come, not kept */
	uint32_t want;			/* bytes of the current frame to keep (0: none) */
	uint32_t have;			/* kept so far */
	uint32_t frame_len;		/* the kept frame's full length, header included */
	uint32_t hunt;			/* bytes still to scan for a frame start */
	bool on;			/* next_seq is known */
	bool peek;			/* keeping the headers, to decide what to keep */
	bool lost;			/* where the next frame starts is not known */
	uint8_t unproven;		/* frame starts still to check strictly after a resync */
	uint8_t tail_len;
	uint8_t tail[SMB_STREAM_LOOK - 1];	/* while lost: the last bytes scanned, too
					 * few after them to judge a frame start */
};

/* Both directions of a flow, hung off struct flow while it is SMB. */
struct smb_stream_flow {
	struct smb_stream dir[2];	/* [0] to server, [1] to client */
};

/* Called with whole frames, in stream order (a span may hold several,
 * and its last frame may be cut where what is read was already there). */
typedef void smb_stream_fn(void *ctx, struct span frames);

/*
 * Takes one segment's payload at sequence number seq and calls each with
 * a frame completed from the buffer, then with the frames inside the
 * segment. Returns 0, or MAMORI_E_PARSE when the framing was lost in the
 * segment (the segment's first bytes for a new direction are no SMB
 * frame's, or a frame start was not; each got the frames before it, and
 * the scan for the next frame start begins there).
 */
int proto_smb_stream_feed(struct smb_stream *st, struct smb_stream_pool *pool, uint32_t seq,
    struct span seg, smb_stream_fn *each, void *ctx);
/* Frees the buffer. */
void proto_smb_stream_release(struct smb_stream *st, struct smb_stream_pool *pool);

#endif
