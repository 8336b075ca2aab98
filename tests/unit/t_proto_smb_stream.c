/* t_proto_smb_stream.c - SMB frames across TCP segments: a TREE_CONNECT
 * and a CREATE read whole wherever the segments cut them (every cut point,
 * and one byte at a time), a WRITE's data skipped without copying, a
 * retransmission ignored, a gap counted, and the global cap. */
#include <string.h>

#include "common/err.h"
#include "sensor/proto_smb.h"
#include "sensor/proto_smb_stream.h"
#include "tests/tap.h"

struct stream {
	uint8_t b[16384];
	size_t n;
};

struct seen {
	int creates, trees, writes;
	char name[SMB_NAME_MAX], share[SMB_SHARE_MAX];
	size_t bytes;			/* handed to the reader */
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
		}
		if (proto_smb2_tree_connect(&m, w->share, sizeof(w->share)) == 0)
			w->trees++;
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
	return done_testing();
}
