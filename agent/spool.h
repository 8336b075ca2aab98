/*
 * spool.h - the agent's disk spool: events wait here until the manager
 * acknowledges them, across manager outages and agent restarts.
 *
 * A directory of append-only segment files (NNNN.seg, named by their first
 * seq). Each record is a 16-byte header (payload length, CRC-32 of seq and
 * payload, seq; little-endian) and the payload. Recovery reads every
 * segment and truncates at the first record that is short, too long, out
 * of order or fails its CRC: a torn tail from a crash mid-write is cut
 * off; records lost inside an older segment are counted in a "gap" event.
 *
 * The spool is bounded (cap bytes). When an append would pass the cap the
 * oldest segment is dropped, even unacknowledged, and a gap event with the
 * count and seq range is appended: the loss is counted and reported, never
 * silent. Records are deleted only after spool_ack() with the seq the
 * manager acknowledged; the acknowledged seq is kept in the file "acked".
 */
#ifndef MAMORI_AGENT_SPOOL_H
#define MAMORI_AGENT_SPOOL_H

#include <stddef.h>
#include <stdint.h>

#define SPOOL_RECORD_MAX (16u * 1024 * 1024)
#define SPOOL_HEADER 16

struct spool_seg {
	uint64_t first, last;	/* seqs; last < first when empty */
	uint64_t bytes, nrec;
};

struct spool_stats {
	uint64_t torn_bytes;		/* cut from segment tails at recovery */
	uint64_t corrupt_records;	/* lost inside older segments at recovery */
	uint64_t dropped_records;	/* dropped for the cap */
	uint64_t unspooled;		/* appends the disk refused (ENOSPC) */
	uint64_t gap_events;
};

struct spool {
	int dirfd, lockfd, wfd;		/* wfd: the active (last) segment, -1 none */
	uint64_t cap, seg_max;
	struct spool_seg *segs;
	size_t nseg, segcap;
	uint64_t next_seq, acked;
	uint64_t bytes;			/* all segments */
	struct spool_stats stats;
	/* Where the first unacknowledged record is, when known. */
	int rfd;
	uint64_t rseg_first, roff, rseq;
	uint64_t last_read_seq, last_read_end, last_read_seg;
	char *rbuf;
	size_t rbufcap;
	uint64_t unreported;		/* lost events not yet in a gap event */
	uint64_t lost_first, lost_last;	/* their seq range (0: none known) */
	const char *lost_reason;
	int dir_dirty;
	/* Unacknowledged gap events: when one is dropped with its segment its
	 * count moves into the next gap event, so the total stays exact. */
	struct spool_gap { uint64_t seq, dropped; } *gaps;
	size_t ngaps, gapcap;
	int64_t now_override;		/* tests: the clock for gap events; 0 = time() */
};

/*
 * Opens or creates dir (mode 0700) and recovers it. MAMORI_E_PERM when
 * another process holds the spool. cap is the byte cap of all segments.
 */
int spool_open(struct spool *s, const char *dir, uint64_t cap);
void spool_close(struct spool *s);

/*
 * Appends one payload (a JSON object text, the event without its seq) and
 * returns its seq. Not durable until spool_sync(). MAMORI_E_LIMIT when the
 * payload alone is over the cap or SPOOL_RECORD_MAX; MAMORI_E_IO (errno
 * kept: ENOSPC) when the disk refuses.
 */
int spool_append(struct spool *s, const char *payload, size_t len, uint64_t *seq);
int spool_sync(struct spool *s);

typedef int (*spool_record_fn)(void *ctx, uint64_t seq, const char *payload, size_t len);
/*
 * Calls fn for unacknowledged records in seq order, at most max_records and
 * about max_bytes of payload (at least one record). Nothing is consumed.
 */
int spool_read(struct spool *s, size_t max_records, size_t max_bytes,
    spool_record_fn fn, void *ctx);
/* The manager stored everything up to seq: forget it (durably). */
int spool_ack(struct spool *s, uint64_t seq);

/* Unacknowledged records (exact for contiguous seqs) and bytes on disk. */
uint64_t spool_pending(const struct spool *s);

#endif
