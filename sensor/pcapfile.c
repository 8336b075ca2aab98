/* pcapfile.c - pcap/pcapng records walked in place through a cursor. */
#include "sensor/pcapfile.h"

#include <string.h>

#include "common/err.h"

#define PCAP_MAGIC_US 0xa1b2c3d4u
#define PCAP_MAGIC_NS 0xa1b23c4du
#define NG_SHB 0x0a0d0d0au
#define NG_BOM 0x1a2b3c4du
#define NG_IDB 1u
#define NG_OPB 2u	/* obsolete Packet Block */
#define NG_SPB 3u
#define NG_EPB 6u
/* 128-bit product for timestamps in units other than us or ns */
__extension__ typedef unsigned __int128 u128;

#define LT_MASK 0x03ffffffu	/* the upper bits of a pcap link type carry FCS info */

/* b holds at least 4 (2) bytes: callers check with need() or a length
 * first. be: the section is big-endian. */
static uint32_t
rd32(const uint8_t *b, bool be)
{
	return be ? (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3]
		  : (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];
}

static uint16_t
rd16(const uint8_t *b, bool be)
{
	return be ? (uint16_t)(b[0] << 8 | b[1]) : (uint16_t)(b[1] << 8 | b[0]);
}

bool
pcapfile_is(struct span head)
{
	if (head.len < 12)
		return false;
	const uint8_t *b = (const uint8_t *)head.p;
	uint32_t le = rd32(b, false), be = rd32(b, true);
	if (le == PCAP_MAGIC_US || le == PCAP_MAGIC_NS || be == PCAP_MAGIC_US || be == PCAP_MAGIC_NS)
		return true;
	return le == NG_SHB && (rd32(b + 8, false) == NG_BOM || rd32(b + 8, true) == NG_BOM);
}

void
pcapfile_init(struct pcapfile *f)
{
	memset(f, 0, sizeof(*f));
}

void
pcapfile_feed(struct pcapfile *f, struct span buf, bool eof)
{
	cursor_init(&f->c, buf.p, buf.len);
	f->eof = eof;
	f->want = 0;
}

/* n bytes at the cursor, not consumed: 0, PCAPFILE_MORE, or (at the end
 * of the file) MAMORI_E_PARSE for a truncated file. */
static int
need(struct pcapfile *f, size_t n, enum anomaly *why)
{
	if (cursor_left(&f->c) >= n)
		return 0;
	if (!f->eof) {
		f->want = n;
		return PCAPFILE_MORE;
	}
	*why = ANOM_CAPTURE_TRUNCATED;
	return MAMORI_E_PARSE;
}

/* The 24-byte classic pcap file header, or nothing for pcapng (its
 * section header is read as the first block). */
static int
start(struct pcapfile *f, enum anomaly *why)
{
	int rc = need(f, 12, why);
	if (rc != 0)
		return rc;
	const uint8_t *b = f->c.p + f->c.off;
	if (!pcapfile_is((struct span){ (const char *)b, 12 })) {
		*why = ANOM_CAPTURE_BAD_BLOCK;
		return MAMORI_E_PARSE;
	}
	if (rd32(b, false) == NG_SHB) {
		f->ng = true;
		f->started = true;
		return 0;
	}
	if ((rc = need(f, 24, why)) != 0)
		return rc;
	uint32_t le = rd32(b, false);
	f->swapped = le != PCAP_MAGIC_US && le != PCAP_MAGIC_NS;
	f->nsec = rd32(b, f->swapped) == PCAP_MAGIC_NS;
	f->linktype = (int)(rd32(b + 20, f->swapped) & LT_MASK);
	cursor_skip(&f->c, 24);
	f->started = true;
	return 0;
}

static int
next_pcap(struct pcapfile *f, struct pcapfile_pkt *pkt, enum anomaly *why)
{
	if (cursor_eof(&f->c) && f->eof)
		return PCAPFILE_END;
	int rc = need(f, 16, why);
	if (rc != 0)
		return rc;
	const uint8_t *b = f->c.p + f->c.off;
	uint32_t caplen = rd32(b + 8, f->swapped);
	if (caplen > PCAPFILE_MAX_CAPLEN) {
		/* records have no framing of their own: nothing to resume from */
		*why = ANOM_CAPTURE_BAD_LENGTH;
		return MAMORI_E_PARSE;
	}
	if ((rc = need(f, 16 + (size_t)caplen, why)) != 0)
		return rc;
	uint32_t sec = rd32(b, f->swapped), frac = rd32(b + 4, f->swapped);
	cursor_skip(&f->c, 16 + (size_t)caplen);
	pkt->ts_us = (int64_t)sec * 1000000 + (f->nsec ? frac / 1000 : frac);
	pkt->data = b + 16;
	pkt->cap_len = caplen;
	pkt->wire_len = rd32(b + 12, f->swapped);
	pkt->linktype = f->linktype;
	return PCAPFILE_PACKET;
}

/* Interface Description Block body (after type and length). */
static int
ng_idb(struct pcapfile *f, struct span body, enum anomaly *why)
{
	uint32_t n = f->nifaces++;
	if (body.len < 8 || n >= PCAPFILE_MAX_IFACES) {
		*why = ANOM_CAPTURE_BAD_BLOCK;
		return PCAPFILE_SKIPPED;
	}
	struct pcapfile_iface *ifc = &f->ifaces[n];
	const uint8_t *b = (const uint8_t *)body.p;
	ifc->linktype = rd16(b, f->swapped);
	ifc->units = 1000000;
	ifc->offset_s = 0;
	struct cursor c;
	cursor_init(&c, body.p + 8, body.len - 8);
	struct span oh, ov;
	while (cursor_bytes(&c, 4, &oh) == 0) {
		uint16_t code = rd16((const uint8_t *)oh.p, f->swapped);
		uint16_t olen = rd16((const uint8_t *)oh.p + 2, f->swapped);
		if (code == 0 || cursor_bytes(&c, olen, &ov) != 0)
			break;
		cursor_skip(&c, (4 - olen % 4) % 4);
		const uint8_t *v = (const uint8_t *)ov.p;
		if (code == 9 && olen == 1) {		/* if_tsresol */
			unsigned e = v[0] & 0x7f;
			if ((v[0] & 0x80) ? e > 63 : e > 19) {
				ifc->linktype = -1;	/* packets on it are skipped */
				*why = ANOM_CAPTURE_BAD_BLOCK;
				return PCAPFILE_SKIPPED;
			}
			uint64_t u = 1;
			for (unsigned i = 0; i < e; i++)
				u *= (v[0] & 0x80) ? 2 : 10;
			ifc->units = u;
		} else if (code == 14 && olen == 8) {	/* if_tsoffset, seconds */
			uint64_t lo = rd32(v, f->swapped), hi = rd32(v + 4, f->swapped);
			ifc->offset_s = (int64_t)(f->swapped ? lo << 32 | hi : hi << 32 | lo);
			if (ifc->offset_s > (1LL << 40) || ifc->offset_s < -(1LL << 40))
				ifc->offset_s = 0;
		}
	}
	return PCAPFILE_END;	/* nothing to hand out: the caller reads on */
}

static int64_t
ng_time_us(const struct pcapfile_iface *ifc, uint64_t ts)
{
	uint64_t us;
	if (ifc->units == 1000000)
		us = ts;
	else if (ifc->units == 1000000000)
		us = ts / 1000;
	else
		us = (uint64_t)((u128)ts * 1000000 / ifc->units);
	/* a clock beyond year 9999 is clamped by the output anyway */
	if (us > (1ULL << 62))
		us = 1ULL << 62;
	return (int64_t)us + ifc->offset_s * 1000000;
}

/* Enhanced (EPB), obsolete (OPB) or Simple (SPB) Packet Block body. */
static int
ng_packet(struct pcapfile *f, uint32_t type, struct span body, struct pcapfile_pkt *pkt,
    enum anomaly *why)
{
	const uint8_t *b = (const uint8_t *)body.p;
	uint32_t iface = 0, caplen, len;
	uint64_t ts = 0;
	size_t hdr;
	*why = ANOM_CAPTURE_BAD_BLOCK;
	if (type == NG_SPB) {
		if (body.len < 4)
			return PCAPFILE_SKIPPED;
		hdr = 4;
		len = rd32(b, f->swapped);
		caplen = len < body.len - hdr ? len : (uint32_t)(body.len - hdr);
	} else {
		if (body.len < 20)
			return PCAPFILE_SKIPPED;
		hdr = 20;
		iface = type == NG_OPB ? rd16(b, f->swapped) : rd32(b, f->swapped);
		ts = (uint64_t)rd32(b + 4, f->swapped) << 32 | rd32(b + 8, f->swapped);
		caplen = rd32(b + 12, f->swapped);
		len = rd32(b + 16, f->swapped);
	}
	if (iface >= f->nifaces || iface >= PCAPFILE_MAX_IFACES || f->ifaces[iface].linktype < 0)
		return PCAPFILE_SKIPPED;
	if (caplen > body.len - hdr || caplen > PCAPFILE_MAX_CAPLEN) {
		*why = ANOM_CAPTURE_BAD_LENGTH;
		return PCAPFILE_SKIPPED;
	}
	const struct pcapfile_iface *ifc = &f->ifaces[iface];
	pkt->ts_us = type == NG_SPB ? 0 : ng_time_us(ifc, ts);
	pkt->data = b + hdr;
	pkt->cap_len = caplen;
	pkt->wire_len = len;
	pkt->linktype = ifc->linktype;
	*why = ANOM_NONE;
	return PCAPFILE_PACKET;
}

/* A Section Header Block at the cursor: byte order and a fresh interface
 * list. Its length is read in the byte order it announces. */
static int
ng_section(struct pcapfile *f, enum anomaly *why)
{
	int rc = need(f, 12, why);
	if (rc != 0)
		return rc;
	const uint8_t *b = f->c.p + f->c.off;
	bool sw;
	if (rd32(b + 8, false) == NG_BOM)
		sw = false;
	else if (rd32(b + 8, true) == NG_BOM)
		sw = true;
	else {
		*why = ANOM_CAPTURE_BAD_BLOCK;
		return MAMORI_E_PARSE;
	}
	uint32_t total = rd32(b + 4, sw);
	if (total < 28 || total > PCAPFILE_MAX_BLOCK) {
		*why = ANOM_CAPTURE_BAD_LENGTH;
		return MAMORI_E_PARSE;
	}
	if ((rc = need(f, total, why)) != 0)
		return rc;
	cursor_skip(&f->c, total);
	f->swapped = sw;
	f->nifaces = 0;
	return 0;
}

static int
next_ng(struct pcapfile *f, struct pcapfile_pkt *pkt, enum anomaly *why)
{
	for (;;) {
		if (cursor_eof(&f->c) && f->eof)
			return PCAPFILE_END;
		int rc = need(f, 8, why);
		if (rc != 0)
			return rc;
		const uint8_t *b = f->c.p + f->c.off;
		uint32_t type = rd32(b, f->swapped);
		if (type == NG_SHB) {
			if ((rc = ng_section(f, why)) != 0)
				return rc;
			continue;
		}
		uint32_t total = rd32(b + 4, f->swapped);
		if (total < 12 || total > PCAPFILE_MAX_BLOCK) {
			*why = ANOM_CAPTURE_BAD_LENGTH;
			return MAMORI_E_PARSE;
		}
		if ((rc = need(f, total, why)) != 0)
			return rc;
		cursor_skip(&f->c, total);
		struct span body = { (const char *)b + 8, total - 12 };
		rc = PCAPFILE_END;
		if (type == NG_IDB)
			rc = ng_idb(f, body, why);
		else if (type == NG_EPB || type == NG_SPB || type == NG_OPB)
			rc = ng_packet(f, type, body, pkt, why);
		if (rc != PCAPFILE_END)
			return rc;
	}
}

int
pcapfile_next(struct pcapfile *f, struct pcapfile_pkt *pkt, enum anomaly *why)
{
	*why = ANOM_NONE;
	if (!f->started) {
		int rc = start(f, why);
		if (rc != 0)
			return rc;
	}
	return f->ng ? next_ng(f, pkt, why) : next_pcap(f, pkt, why);
}
