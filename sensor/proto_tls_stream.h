/*
 * proto_tls_stream.h - a small bounded buffer of one direction's TLS
 * handshake bytes, for hellos and certificates that span TCP segments.
 *
 * Only TLS handshake records are kept, with their record headers taken off,
 * so the buffer holds the handshake messages back to back. Bytes are
 * appended in sequence order: a retransmission is skipped; a segment
 * beyond a gap (reordered, or lost) is held as it is, up to
 * TLS_STREAM_HOLD of them, and appended once the gap before it fills. A
 * segment that cannot be held (the hold is full, or a cap) ends the buffer
 * at the gap: the leaf certificate is often complete before it. Segments
 * may also be held before the buffer starts (the server's second segment
 * captured before its first). Any record that is not a handshake record
 * (ChangeCipherSpec, application data, alerts) ends the buffer too. Each
 * buffer, its held segments included, has a hard cap, and all buffers
 * together share a global cap; running into either ends the buffer. Every
 * segment not used is counted in the pool.
 */
#ifndef MAMORI_SENSOR_PROTO_TLS_STREAM_H
#define MAMORI_SENSOR_PROTO_TLS_STREAM_H

#include <stdbool.h>
#include <stdint.h>

#include "common/span.h"

/* Per direction: a ClientHello with post-quantum key shares is ~2 KiB, a
 * leaf certificate rarely more than 8 KiB (only the leaf is needed). */
#define TLS_STREAM_FLOW_CAP (32 * 1024)
/* Segments past a gap held per direction. */
#define TLS_STREAM_HOLD 4
/* All flows together: 256 full buffers. */
#define TLS_STREAM_GLOBAL_CAP (8 * 1024 * 1024)

struct tls_stream_pool {
	size_t bytes;			/* buffer memory held now */
	size_t cap;			/* TLS_STREAM_GLOBAL_CAP unless set */
	uint64_t started, gaps, over_flow_cap, over_global_cap, not_handshake;
	/* out-of-order segments: held, later appended, not held (hold full or
	 * a cap: the buffer ended there), freed unused when the buffer ended */
	uint64_t held, reordered, hold_dropped, hold_unused;
};

struct tls_held {
	uint8_t *data;			/* malloc, len bytes */
	uint32_t seq, len;
};

enum tls_stream_state { TLS_STREAM_OFF = 0, TLS_STREAM_ON, TLS_STREAM_ENDED };

struct tls_stream {
	uint8_t *buf;			/* handshake messages, record headers removed */
	uint32_t len, cap;
	uint32_t next_seq;		/* TCP sequence number of the next byte expected */
	uint32_t used;			/* messages before this offset are handled */
	uint16_t rec_left;		/* body bytes still to come in the current record */
	uint8_t hdr[5], hdr_have;	/* a record header cut by a segment boundary */
	uint8_t state;			/* enum tls_stream_state */
	uint8_t nheld;
	uint32_t held_bytes;
	struct tls_held held[TLS_STREAM_HOLD];	/* segments past a gap */
};

/*
 * Appends one TCP segment's payload starting at sequence number seq; the
 * first call starts the buffer (the payload must begin with a record).
 * 0 when taken or held (a retransmission takes nothing); otherwise the
 * buffer has ENDED: MAMORI_E_PARSE for a gap that could not be held or a
 * record that is not handshake, MAMORI_E_LIMIT for a cap, MAMORI_E_NOMEM.
 * What was buffered before stays readable until proto_tls_stream_release.
 */
int proto_tls_stream_feed(struct tls_stream *st, struct tls_stream_pool *pool, uint32_t seq,
    struct span data);
/*
 * Holds a segment that came before the one the buffer will start with
 * (state OFF): 0 when held, else MAMORI_E_LIMIT (not held, counted).
 */
int proto_tls_stream_hold_early(struct tls_stream *st, struct tls_stream_pool *pool,
    uint32_t seq, struct span data);
/*
 * The handshake message at offset off (header included): 0 when complete,
 * MAMORI_E_LIMIT when only its start is there (*msg is that start),
 * MAMORI_E_NOTFOUND when not even its 4-byte header is.
 */
int proto_tls_stream_msg(const struct tls_stream *st, uint32_t off, uint8_t *type,
    struct span *msg);
/* Frees the buffer and held segments; the state becomes ENDED (nothing
 * more is taken). */
void proto_tls_stream_release(struct tls_stream *st, struct tls_stream_pool *pool);

#endif
