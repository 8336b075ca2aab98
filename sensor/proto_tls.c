/* proto_tls.c - TLS hello parsing and JA3. */
#include "sensor/proto_tls.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "common/err.h"

#define HS_CLIENT_HELLO TLS_HS_CLIENT_HELLO
#define HS_SERVER_HELLO TLS_HS_SERVER_HELLO
/* Hellos larger than this are not real; caps the copy below. */
#define HELLO_MAX 16384

static bool
is_grease(uint16_t v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

bool
proto_tls_is_handshake(struct span s)
{
	const uint8_t *b = (const uint8_t *)s.p;
	return s.len >= 6 && b[0] == 22 && b[1] == 3 && b[2] <= 4 &&
	    (b[5] == HS_CLIENT_HELLO || b[5] == HS_SERVER_HELLO);
}

/* A small bounded string builder for the JA3 text. */
struct sb {
	char *p;
	size_t len, cap;
	bool over;
};

static void
sb_u16(struct sb *b, uint16_t v, bool *first, char sep)
{
	char tmp[8];
	size_t n = 0, k = 0;
	char rev[6];
	if (!*first)
		tmp[n++] = sep == '-' ? '-' : ',';
	*first = false;
	do {
		rev[k++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (k)
		tmp[n++] = rev[--k];
	if (b->len + n + 1 > b->cap) {
		b->over = true;
		return;
	}
	memcpy(b->p + b->len, tmp, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
sb_ch(struct sb *b, char c)
{
	if (b->len + 2 > b->cap) {
		b->over = true;
		return;
	}
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
}

/* Reassembles the handshake message body from consecutive records into
 * buf; returns its length, 0 when incomplete, -1 when not a handshake. */
static long
handshake_body(struct span s, uint8_t *buf, size_t cap, uint8_t *type)
{
	struct cursor c;
	size_t have = 0, need = 0;
	bool first = true;
	cursor_init(&c, s.p, s.len);
	while (!cursor_eof(&c)) {
		uint8_t ct, maj, min;
		uint16_t rlen;
		struct span frag;
		if (cursor_u8(&c, &ct) != 0 || cursor_u8(&c, &maj) != 0 ||
		    cursor_u8(&c, &min) != 0 || cursor_u16be(&c, &rlen) != 0)
			return 0;
		if (ct != 22 || maj != 3)
			return first ? -1 : 0;
		if (cursor_bytes(&c, rlen, &frag) != 0) {
			/* the record is cut: use what there is */
			frag.p = (const char *)c.p + c.off;
			frag.len = cursor_left(&c);
			c.off = c.len;
		}
		size_t n = frag.len;
		if (have + n > cap)
			n = cap - have;
		memcpy(buf + have, frag.p, n);
		have += n;
		first = false;
		if (need == 0 && have >= 4) {
			*type = buf[0];
			need = 4 + ((size_t)buf[1] << 16 | (size_t)buf[2] << 8 | buf[3]);
			if (need > cap)
				return -1;
		}
		if (need && have >= need)
			return (long)need;
	}
	return 0;
}

static void
md5_hex(const char *s, size_t n, char out[33], struct digest_set *d)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	out[0] = '\0';
	if (digest_compute(d, DIGEST_MD5, s, n, md) != 16)
		return;
	static const char hexd[] = "0123456789abcdef";
	for (unsigned i = 0; i < 16; i++) {
		out[2 * i] = hexd[md[i] >> 4];
		out[2 * i + 1] = hexd[md[i] & 15];
	}
	out[32] = '\0';
}

/* Appends v to a JA4 list (NULL: not collected). */
static void
list_add(uint16_t *list, size_t *n, bool *over, uint16_t v)
{
	if (!list)
		return;
	if (*n >= TLS_LIST_MAX) {
		*over = true;
		return;
	}
	list[(*n)++] = v;
}

static int
parse_u16_list(struct cursor *c, size_t lenbytes, struct sb *b, char sep, bool skip_grease,
    uint16_t *out, size_t *nout, bool *over)
{
	uint16_t n16;
	uint8_t n8;
	size_t n;
	if (lenbytes == 2) {
		if (cursor_u16be(c, &n16) != 0)
			return MAMORI_E_PARSE;
		n = n16;
	} else {
		if (cursor_u8(c, &n8) != 0)
			return MAMORI_E_PARSE;
		n = n8;
	}
	struct span list;
	if (cursor_bytes(c, n, &list) != 0)
		return MAMORI_E_PARSE;
	bool first = true;
	for (size_t i = 0; i + 1 < list.len; i += 2) {
		uint16_t v = (uint16_t)((uint8_t)list.p[i] << 8 | (uint8_t)list.p[i + 1]);
		if (skip_grease && is_grease(v))
			continue;
		list_add(out, nout, over, v);
		if (b)
			sb_u16(b, v, &first, sep);
	}
	return MAMORI_OK;
}

static int
parse_sni(struct span ext, char *out, size_t cap)
{
	struct cursor c;
	uint16_t listlen, nlen;
	uint8_t type;
	cursor_init(&c, ext.p, ext.len);
	if (cursor_u16be(&c, &listlen) != 0)
		return MAMORI_E_PARSE;
	while (cursor_left(&c) >= 3) {
		struct span name;
		if (cursor_u8(&c, &type) != 0 || cursor_u16be(&c, &nlen) != 0 ||
		    cursor_bytes(&c, nlen, &name) != 0)
			return MAMORI_E_PARSE;
		if (type == 0) {
			size_t n = name.len < cap - 1 ? name.len : cap - 1;
			for (size_t i = 0; i < n; i++) {
				unsigned char ch = (unsigned char)name.p[i];
				out[i] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
			}
			out[n] = '\0';
			return MAMORI_OK;
		}
	}
	return MAMORI_OK;
}

int
proto_tls_parse_hello(struct span s, struct tls_hello *out, struct digest_set *d)
{
	uint8_t buf[HELLO_MAX];
	uint8_t type = 0;
	memset(out, 0, sizeof(*out));
	if (s.len < 5)
		return MAMORI_E_LIMIT;
	long n = handshake_body(s, buf, sizeof(buf), &type);
	if (n < 0)
		return MAMORI_E_PARSE;
	if (n == 0)
		return MAMORI_E_LIMIT;
	int rc = proto_tls_parse_hello_msg((struct span){ (const char *)buf, (size_t)n }, out, d);
	out->record_version = (uint16_t)((uint8_t)s.p[1] << 8 | (uint8_t)s.p[2]);
	return rc;
}

/* ALPN protocol_name_list: the first name. */
static void
first_alpn(struct span ext, struct span *out)
{
	struct cursor c;
	uint16_t listlen;
	uint8_t n;
	cursor_init(&c, ext.p, ext.len);
	if (cursor_u16be(&c, &listlen) != 0 || cursor_u8(&c, &n) != 0 ||
	    cursor_bytes(&c, n, out) != 0)
		out->len = 0;
}

int
proto_tls_parse_hello_msg(struct span msg, struct tls_hello *out, struct digest_set *d)
{
	struct tls_ja4_in j4;
	memset(out, 0, sizeof(*out));
	j4.nciphers = j4.nexts = j4.nsigalgs = 0;
	j4.over = j4.sni = false;
	j4.alpn.len = 0;
	if (msg.len < 4)
		return MAMORI_E_PARSE;
	uint8_t type = (uint8_t)msg.p[0];
	if (type != HS_CLIENT_HELLO && type != HS_SERVER_HELLO)
		return MAMORI_E_PARSE;
	out->client = type == HS_CLIENT_HELLO;

	struct cursor c;
	struct span rnd, sid;
	uint8_t sidlen;
	cursor_init(&c, msg.p + 4, msg.len - 4);
	if (cursor_u16be(&c, &out->legacy_version) != 0 || cursor_bytes(&c, 32, &rnd) != 0 ||
	    cursor_u8(&c, &sidlen) != 0 || cursor_bytes(&c, sidlen, &sid) != 0)
		return MAMORI_E_PARSE;
	out->version = out->legacy_version;

	char ext_s[TLS_JA3_MAX], curves_s[TLS_JA3_MAX], pf_s[512];
	struct sb ja3 = { out->ja3, 0, sizeof(out->ja3), false };
	struct sb ext = { ext_s, 0, sizeof(ext_s), false };
	struct sb curves = { curves_s, 0, sizeof(curves_s), false };
	struct sb pf = { pf_s, 0, sizeof(pf_s), false };
	ext_s[0] = curves_s[0] = pf_s[0] = out->ja3[0] = '\0';
	bool first = true;
	sb_u16(&ja3, out->legacy_version, &first, ',');
	sb_ch(&ja3, ',');

	if (out->client) {
		uint8_t ncomp;
		struct span comp;
		if (parse_u16_list(&c, 2, &ja3, '-', true, j4.ciphers, &j4.nciphers, &j4.over) != 0 ||
		    cursor_u8(&c, &ncomp) != 0 ||
		    cursor_bytes(&c, ncomp, &comp) != 0)
			return MAMORI_E_PARSE;
	} else {
		uint8_t comp;
		if (cursor_u16be(&c, &out->cipher) != 0 || cursor_u8(&c, &comp) != 0)
			return MAMORI_E_PARSE;
		first = true;
		sb_u16(&ja3, out->cipher, &first, ',');
	}

	uint16_t extlen;
	bool efirst = true;
	if (cursor_left(&c) >= 2) {
		if (cursor_u16be(&c, &extlen) != 0 || cursor_left(&c) < extlen)
			return MAMORI_E_PARSE;
		c.len = c.off + extlen;
		while (cursor_left(&c) >= 4) {
			uint16_t et, el;
			struct span ed;
			if (cursor_u16be(&c, &et) != 0 || cursor_u16be(&c, &el) != 0 ||
			    cursor_bytes(&c, el, &ed) != 0)
				return MAMORI_E_PARSE;
			if (!is_grease(et)) {
				sb_u16(&ext, et, &efirst, '-');
				list_add(j4.exts, &j4.nexts, &j4.over, et);
			}
			struct cursor ec;
			cursor_init(&ec, ed.p, ed.len);
			if (et == 0 && out->client) {
				j4.sni = true;
				if (parse_sni(ed, out->sni, sizeof(out->sni)) != 0)
					return MAMORI_E_PARSE;
			} else if (et == 10 && out->client) {
				if (parse_u16_list(&ec, 2, &curves, '-', true, NULL, NULL, NULL) != 0)
					return MAMORI_E_PARSE;
			} else if (et == 13 && out->client) {
				/* signature algorithms: kept in order, for JA4 only */
				if (parse_u16_list(&ec, 2, NULL, '-', true, j4.sigalgs, &j4.nsigalgs,
				    &j4.over) != 0)
					return MAMORI_E_PARSE;
			} else if (et == 16 && out->client) {
				first_alpn(ed, &j4.alpn);
			} else if (et == 11 && out->client) {
				uint8_t np;
				struct span pts;
				if (cursor_u8(&ec, &np) != 0 || cursor_bytes(&ec, np, &pts) != 0)
					return MAMORI_E_PARSE;
				bool pfirst = true;
				for (size_t i = 0; i < pts.len; i++)
					sb_u16(&pf, (uint8_t)pts.p[i], &pfirst, '-');
			} else if (et == 43) {
				uint16_t v;
				if (!out->client) {
					if (cursor_u16be(&ec, &v) == 0)
						out->version = v;
				} else {
					uint8_t vl;
					if (cursor_u8(&ec, &vl) == 0)
						for (unsigned i = 0; i + 1 < vl; i += 2)
							if (cursor_u16be(&ec, &v) == 0 && !is_grease(v) &&
							    v > out->version && v <= 0x0304)
								out->version = v;
				}
			}
		}
	}
	sb_ch(&ja3, ',');
	if (ext.len)
		for (size_t i = 0; i < ext.len; i++)
			sb_ch(&ja3, ext_s[i]);
	if (out->client) {
		sb_ch(&ja3, ',');
		for (size_t i = 0; i < curves.len; i++)
			sb_ch(&ja3, curves_s[i]);
		sb_ch(&ja3, ',');
		for (size_t i = 0; i < pf.len; i++)
			sb_ch(&ja3, pf_s[i]);
	}
	if (ja3.over || ext.over || curves.over || pf.over)
		return MAMORI_E_PARSE;
	md5_hex(out->ja3, ja3.len, out->ja3_md5, d);
	if (out->client) {
		j4.version = out->version;
		proto_tls_ja4(&j4, out->ja4, d);
	}
	return MAMORI_OK;
}

/* 24-bit big-endian length. */
static int
cursor_u24be(struct cursor *c, size_t *v)
{
	uint8_t b[3];
	if (cursor_u8(c, &b[0]) != 0 || cursor_u8(c, &b[1]) != 0 || cursor_u8(c, &b[2]) != 0)
		return MAMORI_E_PARSE;
	*v = (size_t)b[0] << 16 | (size_t)b[1] << 8 | b[2];
	return MAMORI_OK;
}

int
proto_tls_leaf_cert(struct span msg, struct span *der)
{
	struct cursor c;
	uint8_t type;
	size_t mlen, all, one;
	cursor_init(&c, msg.p, msg.len);
	if (cursor_u8(&c, &type) != 0 || cursor_u24be(&c, &mlen) != 0 ||
	    cursor_u24be(&c, &all) != 0 || cursor_u24be(&c, &one) != 0)
		return msg.len < 10 ? MAMORI_E_LIMIT : MAMORI_E_PARSE;
	if (type != TLS_HS_CERTIFICATE || one == 0 || all < one + 3 || mlen < all + 3)
		return MAMORI_E_PARSE;
	if (cursor_bytes(&c, one, der) != 0)
		return MAMORI_E_LIMIT;
	return MAMORI_OK;
}

const char *
proto_tls_version_name(uint16_t v)
{
	switch (v) {
	case 0x0300: return "SSLv3";
	case 0x0301: return "TLS 1.0";
	case 0x0302: return "TLS 1.1";
	case 0x0303: return "TLS 1.2";
	case 0x0304: return "TLS 1.3";
	default: return "UNDETERMINED";
	}
}
