/*
 * syslog_frame.h - syslog messages out of a TCP (or TLS) byte stream,
 * RFC 6587: octet counting ("LEN SP MSG", chosen when a frame starts with
 * a digit) and non-transparent framing (MSG up to LF; NUL is accepted as
 * a trailer too, a CR before it is dropped). Empty frames are ignored.
 *
 * A message longer than max_msg is dropped and counted as oversize: an
 * octet-counted one by skipping its announced length (the stream stays
 * in step), an LF-framed one up to its LF. A length field that is not
 * digits followed by a space is malformed: counted, and the stream is
 * skipped up to the next LF to find a frame start again. Memory is one
 * max_msg buffer per stream, allocated once.
 */
#ifndef MAMORI_AGENT_SYSLOG_FRAME_H
#define MAMORI_AGENT_SYSLOG_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/span.h"

#define SYSLOG_FRAME_LEN_DIGITS 9	/* a longer length field is malformed */

enum syslog_frame_state {
	SF_START,		/* between frames */
	SF_LEN,			/* reading the octet count */
	SF_OCTETS,		/* reading `want` octets of message */
	SF_LF,			/* reading a message up to LF */
	SF_SKIP_OCTETS,		/* dropping `want` octets of an oversize message */
	SF_SKIP_LF,		/* dropping up to LF (oversize or malformed) */
};

struct syslog_frame_stats {
	uint64_t messages, octet_counted, oversize, malformed, bytes;
};

struct syslog_frame {
	char *buf;			/* max_msg bytes */
	size_t max_msg, len;		/* bytes of the message in buf */
	size_t want;			/* octet count being read / still expected */
	unsigned digits;
	enum syslog_frame_state state;
	struct syslog_frame_stats st;
};

typedef void (*syslog_msg_fn)(void *arg, struct span msg);

int syslog_frame_init(struct syslog_frame *f, size_t max_msg);
void syslog_frame_release(struct syslog_frame *f);
/* Feeds n bytes; fn gets each complete message (valid during the call). */
void syslog_frame_feed(struct syslog_frame *f, const char *p, size_t n, syslog_msg_fn fn, void *arg);
/*
 * The stream ended: an LF-framed message without its LF is handed out, a
 * cut octet-counted one is counted as malformed.
 */
void syslog_frame_end(struct syslog_frame *f, syslog_msg_fn fn, void *arg);

/*
 * One datagram (UDP) or frame: trailing LF/CR/NUL stripped. False for a
 * message that is empty or has a broken "<PRI>" (not 1-3 digits up to 191
 * closed by ">"); the caller counts those as malformed.
 */
bool syslog_frame_message(struct span in, struct span *msg);

#endif
