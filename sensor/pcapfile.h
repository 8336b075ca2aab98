/*
 * pcapfile.h - pcap and pcapng capture files walked record by record in
 * the caller's read buffer: packets are handed out as pointers into it (no
 * copy, no callback per packet, as libpcap's reader did). The caller reads
 * the file in large chunks and feeds what it holds; a record cut by the
 * end of the buffer is asked for again once more is read. (Reading beats
 * mapping the file here: on this project's machines page-table work for a
 * mapping, and the cache misses of touching it, cost several times the
 * kernel's copy into a buffer that stays in cache.)
 *
 * Classic pcap in both byte orders, micro- or nanosecond timestamps; pcapng
 * sections in either byte order with Interface Description (link type,
 * if_tsresol, if_tsoffset), Enhanced, Simple and obsolete Packet blocks;
 * other blocks are skipped. Link types are the file's LINKTYPE_* values.
 * A record that claims more bytes than are left is a truncated file, a
 * length beyond the caps below is a bogus file: both stop the walk with
 * an anomaly. A packet on an interface never described, or a captured
 * length beyond the cap inside an intact pcapng block, is skipped with an
 * anomaly and the walk goes on.
 */
#ifndef MAMORI_SENSOR_PCAPFILE_H
#define MAMORI_SENSOR_PCAPFILE_H

#include <stdbool.h>
#include <stdint.h>

#include "common/span.h"
#include "sensor/packet.h"

#define PCAPFILE_MAX_CAPLEN (256 * 1024)	/* libpcap's largest snapshot */
#define PCAPFILE_MAX_BLOCK (16 * 1024 * 1024)	/* libpcap's largest pcapng block */
#define PCAPFILE_MAX_IFACES 64			/* per pcapng section */

struct pcapfile_iface {
	int linktype;
	uint64_t units;		/* timestamp units per second (10^k or 2^k) */
	int64_t offset_s;	/* if_tsoffset */
};

struct pcapfile {
	struct cursor c;	/* over the bytes fed */
	bool eof;		/* nothing follows what was fed */
	bool started;		/* the file header was read */
	size_t want;		/* PCAPFILE_MORE: bytes the next record needs */
	bool ng;		/* pcapng, else classic pcap */
	bool swapped;		/* the current section's byte order is not ours */
	bool nsec;		/* classic pcap: nanosecond timestamps */
	int linktype;		/* classic pcap */
	struct pcapfile_iface ifaces[PCAPFILE_MAX_IFACES];
	uint32_t nifaces;	/* described in this section (may exceed the cap) */
};

struct pcapfile_pkt {
	int64_t ts_us;
	const uint8_t *data;	/* cap_len bytes inside the file's span */
	uint32_t cap_len, wire_len;
	int linktype;
};

enum pcapfile_rc {
	PCAPFILE_END = 0,	/* no more records */
	PCAPFILE_PACKET = 1,	/* *pkt filled */
	PCAPFILE_SKIPPED = 2,	/* a record passed over; *why says what was wrong */
	PCAPFILE_MORE = 3,	/* the next record needs want bytes, fewer are fed */
};

/* True when head starts like a file this reader takes (pcap or pcapng). */
bool pcapfile_is(struct span head);
void pcapfile_init(struct pcapfile *f);
/* The bytes that follow those consumed so far (pcapfile_used() of the
 * previous buffer); eof when the file ends with them. */
void pcapfile_feed(struct pcapfile *f, struct span buf, bool eof);
/* The next record: enum pcapfile_rc, or MAMORI_E_PARSE with *why set
 * (ANOM_CAPTURE_TRUNCATED, ANOM_CAPTURE_BAD_LENGTH, ANOM_CAPTURE_BAD_BLOCK)
 * when the walk cannot go on. */
int pcapfile_next(struct pcapfile *f, struct pcapfile_pkt *pkt, enum anomaly *why);
/* Bytes of the fed buffer consumed. */
static inline size_t pcapfile_used(const struct pcapfile *f) { return f->c.off; }

#endif
