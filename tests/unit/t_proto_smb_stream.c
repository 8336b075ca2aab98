/* t_proto_smb_stream.c - SMB frames across TCP segments: a TREE_CONNECT
 * and a CREATE read whole wherever the segments cut them (every cut point,
 * and one byte at a time), a WRITE's data skipped without copying, a
 * retransmission ignored, a gap counted, and the global cap. After a gap:
 * on the PsExec capture's svcctl connection cut into segments, with each
 * segment left out in turn, every TREE_CONNECT and CREATE after the gap is
 * read and nothing else; SMB magics inside WRITE data do not mislead it;
 * the scan window. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "sensor/decode.h"
#include "sensor/pcapfile.h"
#include "sensor/proto_smb.h"
#include "sensor/proto_smb_stream.h"
#include "tests/tap.h"

struct stream {
	uint8_t b[90000];
	size_t n;
};

struct seen {
	int creates, trees, writes;
	char name[SMB_NAME_MAX], share[SMB_SHARE_MAX];
	size_t bytes;			/* handed to the reader */
	char items[64][SMB_NAME_MAX + 8];	/* the creates and trees, in order */
	size_t n;
};

static void
put(struct stream *s, const void *p, size_t n)
{
	memcpy(s->b + s->n, p, n);
	s->n += n;
}

static void
le16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
le32(uint8_t *p, uint32_t v)
{
	le16(p, v & 0xffff);
	le16(p + 2, v >> 16);
}

/* A NetBIOS frame with an SMB2 request: command, body. */
static void
frame(struct stream *s, unsigned cmd, const uint8_t *body, size_t n)
{
	uint8_t h[4 + 64] = { 0 };
	size_t len = 64 + n;
	h[1] = (uint8_t)(len >> 16);
	h[2] = (uint8_t)(len >> 8);
	h[3] = (uint8_t)len;
	memcpy(h + 4, "\xfeSMB", 4);
	le16(h + 8, 64);
	le16(h + 16, cmd);
	le32(h + 40, 7);	/* tree id */
	put(s, h, sizeof(h));
	put(s, body, n);
}

static size_t
utf16(uint8_t *dst, const char *ascii)
{
	size_t i = 0;
	for (; ascii[i]; i++) {
		dst[2 * i] = (uint8_t)ascii[i];
		dst[2 * i + 1] = 0;
	}
	return 2 * i;
}

static void
build(struct stream *s)
{
	uint8_t b[12000] = { 0 };
	s->n = 0;
	/* TREE_CONNECT \\dc1\ADMIN$ */
	le16(b, 9);
	size_t n = utf16(b + 8, "\\\\dc1\\ADMIN$");
	le16(b + 4, 64 + 8);
	le16(b + 6, (unsigned)n);
	frame(s, SMB2_TREE_CONNECT, b, 8 + n);
	/* WRITE with 10,000 bytes of data: skipped */
	memset(b, 0, sizeof(b));
	le16(b, 49);
	memset(b + 48, 'W', 10000);
	frame(s, 9, b, 48 + 10000);
	/* CREATE PSEXESVC.exe for writing */
	memset(b, 0, 200);
	le16(b, 57);
	le32(b + 24, SMB_ACC_WRITE_DATA);
	le32(b + 36, 5);
	n = utf16(b + 56, "PSEXESVC.exe");
	le16(b + 44, 64 + 56);
	le16(b + 46, (unsigned)n);
	frame(s, SMB2_CREATE, b, 56 + n + 150);
}

static void
reader(void *ctx, struct span frames)
{
	struct seen *w = ctx;
	struct smb_iter it;
	struct smb_msg m;
	struct smb_create c;
	w->bytes += frames.len;
	proto_smb_iter_init(&it, frames);
	while (proto_smb_next(&it, &m) == 0) {
		if (m.command == 9)
			w->writes++;
		if (proto_smb2_create(&m, &c) == 0) {
			w->creates++;
			memcpy(w->name, c.name, sizeof(w->name));
			if (w->n < 64)
				snprintf(w->items[w->n++], sizeof(w->items[0]), "create %s", c.name);
		}
		if (proto_smb2_tree_connect(&m, w->share, sizeof(w->share)) == 0) {
			w->trees++;
			if (w->n < 64)
				snprintf(w->items[w->n++], sizeof(w->items[0]), "tree %s", w->share);
		}
	}
}

/* Feeds s in segments of the given sizes (cycled), from sequence number seq. */
static void
feed(const struct stream *s, struct smb_stream *st, struct smb_stream_pool *pool, uint32_t seq,
    const size_t *sizes, size_t nsizes, struct seen *w)
{
	size_t off = 0, k = 0;
	while (off < s->n) {
		size_t n = sizes[k++ % nsizes];
		if (n > s->n - off)
			n = s->n - off;
		proto_smb_stream_feed(st, pool, seq + (uint32_t)off,
		    (struct span){ (const char *)s->b + off, n }, reader, w);
		off += n;
	}
}

static bool
all_read(const struct seen *w)
{
	return w->creates == 1 && w->trees == 1 && strcmp(w->name, "PSEXESVC.exe") == 0 &&
	    strcmp(w->share, "ADMIN$") == 0;
}

/* Feeds s[from, to) in segments of size n at sequence numbers seq + offset. */
static void
feed_range(const struct stream *s, struct smb_stream *st, struct smb_stream_pool *pool, uint32_t seq,
    size_t from, size_t to, size_t n, smb_stream_fn *fn, void *w)
{
	for (size_t off = from; off < to; off += n) {
		size_t k = to - off < n ? to - off : n;
		proto_smb_stream_feed(st, pool, seq + (uint32_t)off, (struct span){ (const char *)s->b + off, k },
		    fn, w);
	}
}

/* Where build() put the WRITE's data. */
#define WRITE_DATA (100 + 4 + 64 + 48)

static void
test_overlap(const struct stream *s)
{
	struct smb_stream_pool pool = { 0 };
	struct smb_stream st = { 0 };
	struct seen w = { 0 };
	/* 60-byte segments each repeating the 20 bytes before them */
	for (size_t off = 0; off < s->n; off += 40) {
		size_t from = off < 20 ? 0 : off - 20, to = off + 40 < s->n ? off + 40 : s->n;
		proto_smb_stream_feed(&st, &pool, 1 + (uint32_t)from,
		    (struct span){ (const char *)s->b + from, to - from }, reader, &w);
	}
	ok(all_read(&w) && pool.gaps == 0 && pool.not_smb == 0,
	    "segments overlapping the ones before: their new ends read, nothing lost");
	proto_smb_stream_release(&st, &pool);
}

/* An SMB2 header at p claiming len bytes, command cmd, StructureSize ss. */
static void
fake(uint8_t *p, uint32_t len, unsigned cmd, unsigned ss)
{
	memset(p, 0, 4 + 64);
	p[1] = (uint8_t)(len >> 16);
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	memcpy(p + 4, "\xfeSMB", 4);
	le16(p + 8, ss);
	le16(p + 16, cmd);
}

static void
test_false_magic(const struct stream *orig)
{
	static struct stream s;
	s = *orig;
	/* in the WRITE's data: a header with StructureSize 65, one whose frame
	 * would end among the data (a CREATE), one that fits and whose frame
	 * runs past its segment into the data */
	size_t g = WRITE_DATA + 3100, a = g + 500, b = g + 1100, c = g + 2900;
	fake(s.b + a, 300, SMB2_CREATE, 65);
	fake(s.b + b, 300, SMB2_CREATE, 64);
	fake(s.b + c, 2000, 9, 64);
	struct smb_stream_pool pool = { 0 };
	struct smb_stream st = { 0 };
	struct seen w = { 0 };
	/* the TREE_CONNECT, then a gap over the WRITE's header and first 3000
	 * data bytes, then the rest in 1000-byte segments from there (the
	 * third fake is 100 bytes before a segment's end) */
	feed_range(&s, &st, &pool, 7, 0, 100, 100, reader, &w);
	feed_range(&s, &st, &pool, 7, g, s.n, 1000, reader, &w);
	ok(all_read(&w) && pool.gaps == 1 && pool.resynced == 2 && pool.false_syncs == 2 &&
	    pool.skipped_bytes > 0 && w.bytes < 10000,
	    "SMB magics in WRITE data after a gap: a bad header passed over, a frame the next contradicts "
	    "passed over, a false resync caught at its end; the CREATE read (%llu resynced, %llu false, %llu skipped)",
	    (unsigned long long)pool.resynced, (unsigned long long)pool.false_syncs,
	    (unsigned long long)pool.skipped_bytes);
	proto_smb_stream_release(&st, &pool);
	ok(pool.bytes == 0, "nothing kept after the false resyncs");
}

static void
test_window(const struct stream *orig)
{
	static struct stream s;
	struct smb_stream_pool pool = { 0 };
	struct smb_stream st = { 0 };
	struct seen w = { 0 };
	/* a gap, then 70,000 bytes of no SMB, then the stream, no frame of it
	 * where a segment starts: out of the window, not found */
	memset(s.b, 'x', 70000);
	memcpy(s.b + 70000, orig->b, orig->n);
	s.n = 70000 + orig->n;
	feed_range(&s, &st, &pool, 1, 0, 4, 4, reader, &w);
	feed_range(&s, &st, &pool, 1, 8, s.n, 1000, reader, &w);
	ok(pool.scan_exhausted == 1 && w.creates == 0 && pool.resynced == 0,
	    "past the %d-byte scan window: counted, frames found only where segments start",
	    SMB_STREAM_HUNT_WINDOW);
	proto_smb_stream_release(&st, &pool);
	memset(&st, 0, sizeof(st));
	memset(&w, 0, sizeof(w));
	feed_range(&s, &st, &pool, 1, 0, 4, 4, reader, &w);
	feed_range(&s, &st, &pool, 1, 8, 70000, 1000, reader, &w);
	feed_range(&s, &st, &pool, 1, 70000, s.n, 1000, reader, &w);
	ok(pool.scan_exhausted == 2 && all_read(&w) && pool.resynced == 1,
	    "past the window, a segment that starts with a frame: read on from it");
	proto_smb_stream_release(&st, &pool);

	/* a new direction that begins inside a WRITE: scanned from its start */
	memset(&st, 0, sizeof(st));
	memset(&w, 0, sizeof(w));
	struct smb_stream_pool np = { 0 };
	feed_range(orig, &st, &np, 1, WRITE_DATA + 10, orig->n, 1000, reader, &w);
	ok(np.not_smb == 1 && np.resynced == 1 && w.creates == 1 && strcmp(w.name, "PSEXESVC.exe") == 0,
	    "a direction first seen inside a WRITE: the CREATE after it read");
	proto_smb_stream_release(&st, &np);
}

/* The client's bytes of the PsExec capture's svcctl connection (pipes
 * PSEXESVC-...-stdin/stdout/stderr), in sequence order. */
static int
capture_stream(struct stream *s, uint32_t *seq0)
{
	const char *dir = getenv("MAMORI_TEST_DATA");
	char path[512];
	snprintf(path, sizeof(path), "%s/pcap/sv_smb2_psexec_add_user.pcap", dir ? dir : "tests/data");
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	static uint8_t file[300000];
	size_t size = fread(file, 1, sizeof(file), f);
	fclose(f);
	struct pcapfile pf;
	struct pcapfile_pkt pk;
	enum anomaly why;
	pcapfile_init(&pf);
	pcapfile_feed(&pf, (struct span){ (const char *)file, size }, true);
	s->n = 0;
	bool started = false;
	while (pcapfile_next(&pf, &pk, &why) == PCAPFILE_PACKET) {
		struct pkt p;
		memset(&p, 0, sizeof(p));
		p.data = pk.data;
		p.cap_len = pk.cap_len;
		p.wire_len = pk.wire_len;
		decode_packet(pk.linktype, &p);
		if (p.l4 != L4_TCP || p.sport != 49285 || p.dport != 445 || !p.payload.len)
			continue;
		if (!started) {
			*seq0 = p.tcp_seq;
			started = true;
		}
		if (p.tcp_seq != *seq0 + (uint32_t)s->n || s->n + p.payload.len > sizeof(s->b))
			return -1;
		put(s, p.payload.p, p.payload.len);
	}
	return s->n > 30000 ? 0 : -1;
}

static bool
items_eq(const struct seen *a, const struct seen *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->items[i], b->items[i]) != 0)
			return false;
	return true;
}

/* Segments of n bytes, segment k left out: every TREE_CONNECT and CREATE
 * of a frame before the gap or starting after it is read, nothing else. */
static bool
capture_gap(const struct stream *s, uint32_t seq0, size_t n, size_t k, struct smb_stream_pool *pool)
{
	static struct seen want, got;
	size_t g0 = k * n, g1 = g0 + n;
	memset(&want, 0, sizeof(want));
	memset(&got, 0, sizeof(got));
	for (size_t off = 0; off + 4 <= s->n;) {
		size_t flen = 4 + ((size_t)s->b[off + 1] << 16 | (size_t)s->b[off + 2] << 8 | s->b[off + 3]);
		if (off + flen <= g0 || off >= g1)
			reader(&want, (struct span){ (const char *)s->b + off, flen });
		off += flen;
	}
	struct smb_stream st = { 0 };
	feed_range(s, &st, pool, seq0, 0, g0 < s->n ? g0 : s->n, n, reader, &got);
	if (g1 < s->n)
		feed_range(s, &st, pool, seq0, g1, s->n, n, reader, &got);
	proto_smb_stream_release(&st, pool);
	return items_eq(&want, &got) && pool->bytes == 0;
}

static void
test_capture_gaps(void)
{
	static struct stream s;
	uint32_t seq0 = 0;
	if (capture_stream(&s, &seq0) != 0) {
		ok(0, "the PsExec capture's svcctl connection read from tests/data");
		return;
	}
	static const size_t sizes[] = { 1000, 1448, 37 };
	for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
		size_t n = sizes[z], segs = (s.n + n - 1) / n, good = 0;
		struct smb_stream_pool pool = { 0 };
		for (size_t k = 0; k < segs; k++)
			good += capture_gap(&s, seq0, n, k, &pool);
		is_int((int)good, (int)segs,
		    "PsExec svcctl connection in %zu-byte segments, each left out in turn: every tree connect "
		    "and CREATE after the gap read (%llu resynced, %llu skipped bytes, %llu false)",
		    n, (unsigned long long)pool.resynced, (unsigned long long)pool.skipped_bytes,
		    (unsigned long long)pool.false_syncs);
	}
	/* the gap over the 19,156-byte WRITE's header: found by the scan;
	 * inside its data: counted off its length */
	struct smb_stream_pool a = { 0 }, b = { 0 };
	bool over = capture_gap(&s, seq0, 1000, 6, &a), inside = capture_gap(&s, seq0, 1000, 10, &b);
	ok(over && a.resynced == 1 && a.skipped_bytes > 18000 && inside && b.resynced == 0 &&
	    b.skipped_bytes == 0,
	    "a gap over a large WRITE's header: resynced after its data (%llu bytes skipped), the stdin/stdout/stderr "
	    "pipes read; a gap inside its data: no scan needed", (unsigned long long)a.skipped_bytes);
}

int
main(void)
{
	struct stream s;
	build(&s);
	int good = 0, cuts = 0;
	for (size_t cut = 1; cut < s.n; cut++) {
		struct smb_stream_pool pool = { 0 };
		struct smb_stream st = { 0 };
		struct seen w = { 0 };
		size_t sizes[2] = { cut, s.n };
		feed(&s, &st, &pool, 0xfffffff0u, sizes, 2, &w);	/* sequence numbers wrap */
		proto_smb_stream_release(&st, &pool);
		cuts++;
		good += all_read(&w) && pool.bytes == 0;
	}
	is_int(good, cuts, "two segments, cut at each of %d points: the tree connect and the create read once each", cuts);
	{
		struct smb_stream_pool pool = { 0 };
		struct smb_stream st = { 0 };
		struct seen w = { 0 };
		proto_smb_stream_feed(&st, &pool, 1, (struct span){ (const char *)s.b, 200 }, reader, &w);
		ok(pool.bytes == 0 && w.writes == 1 && st.skip > 9000,
		    "a WRITE cut after its header: read in place, its data skipped by count, nothing kept");
	}
	struct smb_stream_pool pool = { 0 };
	struct smb_stream st = { 0 };
	struct seen w = { 0 };
	size_t one = 1;
	feed(&s, &st, &pool, 1, &one, 1, &w);
	ok(all_read(&w) && pool.reassembled == 2 && w.writes == 0,
	    "one byte a segment: both read, the WRITE dropped once its command was seen (%llu reassembled)",
	    (unsigned long long)pool.reassembled);
	ok(pool.bytes == 0, "the buffer is given back once the frame is read");

	memset(&w, 0, sizeof(w));
	memset(&st, 0, sizeof(st));
	size_t big = 50;
	feed(&s, &st, &pool, 100, &big, 1, &w);
	struct seen w2 = { 0 };
	feed(&s, &st, &pool, 100, &big, 1, &w2);
	ok(all_read(&w) && w2.creates == 0 && w2.trees == 0 && w2.bytes == 0,
	    "a retransmission of the whole stream is ignored");

	struct smb_stream_pool gp = { 0 };
	memset(&st, 0, sizeof(st));
	memset(&w, 0, sizeof(w));
	proto_smb_stream_feed(&st, &gp, 5000, (struct span){ (const char *)s.b, 40 }, reader, &w);
	proto_smb_stream_feed(&st, &gp, 5100, (struct span){ (const char *)s.b + 100, 40 }, reader, &w);
	ok(gp.gaps == 1 && w.trees == 0 && gp.bytes == 0, "a gap: counted, the cut frame dropped");
	proto_smb_stream_release(&st, &gp);

	struct smb_stream_pool cp = { .cap = 100 };
	memset(&st, 0, sizeof(st));
	memset(&w, 0, sizeof(w));
	size_t cut40[2] = { 40, s.n };
	feed(&s, &st, &cp, 1, cut40, 2, &w);
	ok(cp.over_global_cap == 1 && cp.bytes == 0 && w.trees == 0 && w.creates == 1,
	    "global cap reached: counted, that frame read as far as its segment went, the rest goes on");

	struct smb_stream_pool np = { 0 };
	memset(&st, 0, sizeof(st));
	memset(&w, 0, sizeof(w));
	int rc = proto_smb_stream_feed(&st, &np, 1, span_from_cstr("GET / HTTP/1.1\r\n"), reader, &w);
	ok(rc == MAMORI_E_PARSE && np.not_smb == 1, "not SMB framing: MAMORI_E_PARSE, counted");
	proto_smb_stream_release(&st, &np);

	test_overlap(&s);
	test_false_magic(&s);
	test_window(&s);
	test_capture_gaps();
	return done_testing();
}
