/*
 * defrag.h - IPv4 and IPv6 fragment reassembly with bounded memory.
 *
 * Datagrams in flight are capped (DEFRAG_MAX_DGRAMS; the oldest is dropped
 * for a new one), so are the bytes held by all of them (DEFRAG_MAX_BYTES)
 * and the fragments of one (DEFRAG_MAX_FRAGS); a datagram not complete
 * DEFRAG_TIMEOUT_US after its first fragment is dropped. Each of these is a
 * counted anomaly. Overlaps: IPv4 keeps the data first received for every
 * byte (the "first" policy of Suricata's defrag; what a receiver really used
 * depends on its OS, so the overlap itself is the anomaly), IPv6 drops the
 * whole datagram as RFC 5722 and Linux do. The first fragment's IPv4 header
 * (IPv6: a plain 40-byte header, extension headers before the fragment
 * header left out) heads the reassembled datagram.
 */
#ifndef MAMORI_SENSOR_DEFRAG_H
#define MAMORI_SENSOR_DEFRAG_H

#include <stdbool.h>
#include <stdint.h>

#include "sensor/packet.h"

#define DEFRAG_MAX_DGRAMS 256
#define DEFRAG_MAX_BYTES (4u * 1024 * 1024)
#define DEFRAG_MAX_FRAGS 128
#define DEFRAG_TIMEOUT_US (30LL * 1000000)	/* Linux's ipfrag_time */
#define DEFRAG_MAX_LEN 65535u			/* IP payload of one datagram */
#define DEFRAG_OUT_MAX (DEFRAG_MAX_LEN + 60)

struct defrag_dgram;

/* Called for each datagram dropped unfinished (timeout or make room). */
typedef void (*defrag_drop_fn)(void *ud, const struct defrag_dgram *d, enum anomaly why,
    int64_t now_us);

struct defrag {
	struct defrag_dgram *d[DEFRAG_MAX_DGRAMS];
	size_t n;			/* datagrams in flight */
	size_t bytes;			/* buffer bytes they hold */
	defrag_drop_fn on_drop;
	void *ud;
	uint8_t *out;			/* DEFRAG_OUT_MAX: the last datagram completed */
	uint64_t reassembled, dropped;
};

int defrag_init(struct defrag *df, defrag_drop_fn on_drop, void *ud);
void defrag_free(struct defrag *df);
/*
 * Takes one fragment (p->frag set by the decoder). Returns the length of
 * the complete datagram now in df->out (an IP packet starting at its
 * header), 0 while it is incomplete, or 0 with *anom set when this fragment
 * is an anomaly (overlap, too large, a cap).
 */
size_t defrag_packet(struct defrag *df, const struct pkt *p, enum anomaly *anom);
/* Drops datagrams older than the timeout. */
void defrag_expire(struct defrag *df, int64_t now_us);
/* Source and destination of a dropped datagram (for its anomaly event). */
void defrag_dgram_addrs(const struct defrag_dgram *d, struct ip_addr *src, struct ip_addr *dst,
    uint8_t *ip_ver);

#endif
