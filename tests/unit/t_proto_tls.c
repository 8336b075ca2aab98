/* t_proto_tls.c - JA4 against published values, the DER certificate
 * parser on a real leaf, the handshake buffer's ordering and caps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "sensor/proto_tls.h"
#include "sensor/proto_tls_stream.h"
#include "sensor/proto_x509.h"
#include "tests/tap.h"

struct buf {
	uint8_t b[4096];
	size_t n;
};

static void
put(struct buf *b, const void *p, size_t n)
{
	memcpy(b->b + b->n, p, n);
	b->n += n;
}

static void
u8(struct buf *b, unsigned v)
{
	b->b[b->n++] = (uint8_t)v;
}

static void
u16(struct buf *b, unsigned v)
{
	u8(b, v >> 8);
	u8(b, v & 0xff);
}

/* Writes the 16-bit length of what was written since mark at mark. */
static void
patch16(struct buf *b, size_t mark)
{
	size_t n = b->n - mark - 2;
	b->b[mark] = (uint8_t)(n >> 8);
	b->b[mark + 1] = (uint8_t)n;
}

/* A TLS 1.3 ClientHello record with the given cipher and extension order
 * (GREASE added first in both, which JA4 must ignore). */
static size_t
client_hello(uint8_t *out, const uint16_t *ciphers, size_t nc, const uint16_t *exts, size_t ne)
{
	static const uint16_t sigalgs[] = { 0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806,
		0x0601 };
	struct buf m = { .n = 0 };
	uint8_t rnd[32] = { 0 };
	u16(&m, 0x0303);
	put(&m, rnd, 32);
	u8(&m, 0);
	u16(&m, (unsigned)(nc + 1) * 2);
	u16(&m, 0x0a0a);
	for (size_t i = 0; i < nc; i++)
		u16(&m, ciphers[i]);
	u8(&m, 1);
	u8(&m, 0);
	size_t el = m.n;
	u16(&m, 0);
	u16(&m, 0x1a1a);
	u16(&m, 0);
	for (size_t i = 0; i < ne; i++) {
		u16(&m, exts[i]);
		size_t dl = m.n;
		u16(&m, 0);
		switch (exts[i]) {
		case 0x0000:
			u16(&m, 14);
			u8(&m, 0);
			u16(&m, 11);
			put(&m, "example.com", 11);
			break;
		case 0x000a:
			u16(&m, 2);
			u16(&m, 0x001d);
			break;
		case 0x000b:
			u8(&m, 1);
			u8(&m, 0);
			break;
		case 0x000d:
			u16(&m, sizeof(sigalgs));
			for (size_t k = 0; k < sizeof(sigalgs) / 2; k++)
				u16(&m, sigalgs[k]);
			break;
		case 0x0010:
			u16(&m, 12);
			u8(&m, 2);
			put(&m, "h2", 2);
			u8(&m, 8);
			put(&m, "http/1.1", 8);
			break;
		case 0x002b:
			u8(&m, 6);
			u16(&m, 0x2a2a);
			u16(&m, 0x0304);
			u16(&m, 0x0303);
			break;
		default:
			break;
		}
		patch16(&m, dl);
	}
	patch16(&m, el);
	out[0] = 22;
	out[1] = 3;
	out[2] = 1;
	out[3] = (uint8_t)((m.n + 4) >> 8);
	out[4] = (uint8_t)(m.n + 4);
	out[5] = 1;
	out[6] = 0;
	out[7] = (uint8_t)(m.n >> 8);
	out[8] = (uint8_t)m.n;
	memcpy(out + 9, m.b, m.n);
	return m.n + 9;
}

static const uint16_t chrome_ciphers[] = { 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030,
	0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035 };

static void
test_ja4(void)
{
	uint8_t rec[4200];
	struct tls_hello h;
	/* FoxIO's worked example (JA4.md, "raw output": JA4_ro and its JA4) */
	static const uint16_t spec_exts[] = { 0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d,
		0x000d, 0x0005, 0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015 };
	size_t n = client_hello(rec, chrome_ciphers, 15, spec_exts, 16);
	is_int(proto_tls_parse_hello((struct span){ (const char *)rec, n }, &h, NULL), 0, "spec hello parses");
	is_str(h.ja4, "t13d1516h2_8daaf6152771_e5627efa2ab1", "JA4 of FoxIO's specification example");
	/* a Chrome 143 hello as published with its JA4_ro by browserleaks */
	static const uint16_t chrome_exts[] = { 0x002d, 0x0033, 0x0010, 0xfe0d, 0x0017, 0x44cd, 0x0000,
		0x000b, 0x000a, 0x002b, 0xff01, 0x0023, 0x0012, 0x0005, 0x000d, 0x001b };
	n = client_hello(rec, chrome_ciphers, 15, chrome_exts, 16);
	is_int(proto_tls_parse_hello((struct span){ (const char *)rec, n }, &h, NULL), 0, "chrome hello parses");
	is_str(h.ja4, "t13d1516h2_8daaf6152771_d8a2da3f94cd", "JA4 of a published Chrome 143 hello");
	/* no SNI, no ALPN, no signature algorithms */
	static const uint16_t few[] = { 0x000a, 0x000b };
	n = client_hello(rec, chrome_ciphers, 2, few, 2);
	is_int(proto_tls_parse_hello((struct span){ (const char *)rec, n }, &h, NULL), 0, "plain hello parses");
	ok(strncmp(h.ja4, "t12i020200_", 11) == 0, "JA4 a-part without SNI/ALPN/versions: %s", h.ja4);
	struct tls_ja4_in in = { .version = 0x0303, .nciphers = 0, .nexts = 0 };
	in.alpn = SPAN_LIT("\xff" "ab\x01");
	char j[TLS_JA4_LEN + 1];
	proto_tls_ja4(&in, j, NULL);
	is_str(j, "t12i0000f1_000000000000_000000000000", "non-alphanumeric ALPN as hex digits, empty lists");
}

static int
read_file(const char *path, uint8_t *b, size_t cap, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	*n = fread(b, 1, cap, f);
	fclose(f);
	return 0;
}

static void
test_x509(void)
{
	uint8_t der[8192];
	size_t n = 0;
	struct x509_info x;
	char fp[64];
	char path[4096];
	const char *data = getenv("MAMORI_TEST_DATA");
	snprintf(path, sizeof(path), "%s/x509/prbtest_leaf.der", data ? data : "tests/data");
	if (read_file(path, der, sizeof(der), &n) != 0) {
		ok(false, "read prbtest_leaf.der");
		return;
	}
	is_int(proto_x509_parse((struct span){ (const char *)der, n }, &x, NULL), 0, "real leaf parses");
	for (int i = 0; i < 20; i++)
		snprintf(fp + 2 * i, 3, "%02x", x.sha1[i]);
	is_str(fp, "0ddb34f875632c7e1ec09d75827f82d2336dfeb6", "SHA-1 of the DER (SSLBL's fingerprint)");
	is_str(x.subject, "CN=www.prbtest.dev", "subject");
	is_str(x.issuer, "C=US, O=Google Trust Services LLC, CN=GTS CA 1D4", "issuer in certificate order");
	is_str(x.not_before, "2023-11-28T12:50:11", "notbefore");
	is_str(x.not_after, "2024-02-26T13:39:22", "notafter");
	is_str(x.serial, "2A:67:00:75:8D:85:12:3E:10:42:20:24:44:63:E1:C0", "serial");
	/* every cut of the certificate fails cleanly */
	int bad = 0;
	for (size_t k = 0; k + 1 < n; k += 7)
		bad += proto_x509_parse((struct span){ (const char *)der, k }, &x, NULL) == MAMORI_E_PARSE;
	is_int(bad, (int)((n - 2) / 7 + 1), "every truncation is a parse error");
	der[1] = 0x85;	/* a 5-byte length: refused */
	is_int(proto_x509_parse((struct span){ (const char *)der, n }, &x, NULL), MAMORI_E_PARSE, "long length form refused");
}

/* A Certificate message with one leaf of n bytes, in records of rec bytes. */
static size_t
cert_records(uint8_t *out, size_t leaf, size_t rec)
{
	static uint8_t msg[12000];
	size_t ml = 4 + 3 + 3 + leaf;
	msg[0] = TLS_HS_CERTIFICATE;
	msg[1] = (uint8_t)((ml - 4) >> 16), msg[2] = (uint8_t)((ml - 4) >> 8), msg[3] = (uint8_t)(ml - 4);
	msg[4] = (uint8_t)((leaf + 3) >> 16), msg[5] = (uint8_t)((leaf + 3) >> 8), msg[6] = (uint8_t)(leaf + 3);
	msg[7] = (uint8_t)(leaf >> 16), msg[8] = (uint8_t)(leaf >> 8), msg[9] = (uint8_t)leaf;
	for (size_t i = 0; i < leaf; i++)
		msg[10 + i] = (uint8_t)i;
	size_t o = 0;
	for (size_t off = 0; off < ml; off += rec) {
		size_t k = ml - off < rec ? ml - off : rec;
		uint8_t h[5] = { 22, 3, 3, (uint8_t)(k >> 8), (uint8_t)k };
		memcpy(out + o, h, 5);
		memcpy(out + o + 5, msg + off, k);
		o += 5 + k;
	}
	return o;
}

static void
test_stream(void)
{
	static uint8_t wire[14000];
	struct tls_stream_pool pool = { .bytes = 0 };
	struct tls_stream st = { .buf = NULL };
	uint8_t type;
	struct span m, der;
	/* a 3,000-byte leaf in 1,000-byte records, sent in 1,448-byte segments
	 * with a retransmission, an overlapping resend and a segment early */
	size_t n = cert_records(wire, 3000, 1000);
	uint32_t seq = 1000;
	is_int(proto_tls_stream_feed(&st, &pool, seq, (struct span){ (const char *)wire, 1448 }), 0, "first segment");
	is_int(proto_tls_stream_msg(&st, 0, &type, &m), MAMORI_E_LIMIT, "message incomplete");
	is_int(proto_tls_leaf_cert(m, &der), MAMORI_E_LIMIT, "leaf incomplete");
	is_int(proto_tls_stream_feed(&st, &pool, seq + 2896, (struct span){ (const char *)wire + 2896, n - 2896 }), 0,
	    "segment past a gap is held, not fatal");
	is_int(proto_tls_stream_feed(&st, &pool, seq, (struct span){ (const char *)wire, 1448 }), 0, "retransmission");
	is_int(proto_tls_stream_feed(&st, &pool, seq + 1000, (struct span){ (const char *)wire + 1000, 1896 }), 0,
	    "overlapping resend");
	is_int(proto_tls_stream_feed(&st, &pool, seq + 2896, (struct span){ (const char *)wire + 2896, n - 2896 }), 0,
	    "the rest");
	is_int(proto_tls_stream_msg(&st, 0, &type, &m), 0, "message complete across records");
	is_int(type, TLS_HS_CERTIFICATE, "certificate type");
	is_int(proto_tls_leaf_cert(m, &der), 0, "leaf found");
	ok(der.len == 3000 && (uint8_t)der.p[2999] == (uint8_t)2999, "leaf bytes in order, headers removed");
	ok(pool.held == 1 && pool.reordered == 1 && st.nheld == 0, "one segment held, then appended");
	proto_tls_stream_release(&st, &pool);
	is_int((long long)pool.bytes, 0, "memory returned");

	/* segments in reverse order, the last two before the first (held
	 * before the buffer starts): the same message */
	memset(&st, 0, sizeof(st));
	memset(&pool, 0, sizeof(pool));
	is_int(proto_tls_stream_hold_early(&st, &pool, seq + 2896, (struct span){ (const char *)wire + 2896, n - 2896 }),
	    0, "third segment held before the start");
	is_int(proto_tls_stream_hold_early(&st, &pool, seq + 1448, (struct span){ (const char *)wire + 1448, 1448 }),
	    0, "second segment held before the start");
	is_int(proto_tls_stream_feed(&st, &pool, seq, (struct span){ (const char *)wire, 1448 }), 0, "first segment");
	ok(proto_tls_stream_msg(&st, 0, &type, &m) == 0 && proto_tls_leaf_cert(m, &der) == 0 && der.len == 3000 &&
	    (uint8_t)der.p[1234] == (uint8_t)1234, "leaf whole from reordered segments");
	ok(pool.held == 2 && pool.reordered == 2 && pool.hold_unused == 0 && st.nheld == 0, "both used");
	proto_tls_stream_release(&st, &pool);
	is_int((long long)pool.bytes, 0, "memory returned");

	/* a gap that never fills ends it when the hold is full */
	memset(&st, 0, sizeof(st));
	proto_tls_stream_feed(&st, &pool, 0, (struct span){ (const char *)wire, 100 });
	int rc = 0;
	for (int i = 0; i <= TLS_STREAM_HOLD && rc == 0; i++)
		rc = proto_tls_stream_feed(&st, &pool, 500 + 10 * (uint32_t)i, (struct span){ (const char *)wire, 10 });
	is_int(rc, MAMORI_E_PARSE, "gap ends the buffer");
	ok(pool.gaps == 1 && pool.hold_dropped == 1, "gap and the segment not held counted");
	proto_tls_stream_release(&st, &pool);
	is_int((long long)pool.hold_unused, TLS_STREAM_HOLD, "held segments freed unused, counted");
	is_int((long long)pool.bytes, 0, "memory returned");

	/* per-flow cap: a 40,000-byte handshake does not fit */
	memset(&st, 0, sizeof(st));
	static uint8_t big[1 + 16389];
	big[0] = 22, big[1] = 3, big[2] = 3, big[3] = 0x40, big[4] = 0x00;
	rc = 0;
	uint32_t s2 = 0;
	for (int i = 0; i < 3 && rc == 0; i++) {
		rc = proto_tls_stream_feed(&st, &pool, s2, (struct span){ (const char *)big, 5 + 16384 });
		s2 += 5 + 16384;
	}
	is_int(rc, MAMORI_E_LIMIT, "per-flow cap");
	ok(pool.over_flow_cap == 1 && st.len <= TLS_STREAM_FLOW_CAP, "cap counted, buffer bounded");
	proto_tls_stream_release(&st, &pool);

	/* global cap */
	struct tls_stream_pool small = { .cap = 4096 };
	struct tls_stream a = { .buf = NULL }, b = { .buf = NULL };
	is_int(proto_tls_stream_feed(&a, &small, 0, (struct span){ (const char *)wire, 1448 }), 0, "first flow fits");
	is_int(proto_tls_stream_feed(&b, &small, 0, (struct span){ (const char *)wire, 1448 }), MAMORI_E_LIMIT,
	    "second flow over the global cap");
	is_int(small.over_global_cap, 1, "global cap counted");
	proto_tls_stream_release(&a, &small);
	proto_tls_stream_release(&b, &small);
	is_int((long long)small.bytes, 0, "global memory back to 0");

	/* application data ends it */
	memset(&st, 0, sizeof(st));
	static const uint8_t appdata[] = { 23, 3, 3, 0, 2, 1, 2 };
	is_int(proto_tls_stream_feed(&st, &pool, 0, (struct span){ (const char *)appdata, sizeof(appdata) }),
	    MAMORI_E_PARSE, "non-handshake record ends the buffer");
	proto_tls_stream_release(&st, &pool);
}

int
main(void)
{
	test_ja4();
	test_x509();
	test_stream();
	return done_testing();
}
